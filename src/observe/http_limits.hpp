#pragma once
// How long and how much a client of the HTTP endpoints may take, and the threads that answer.
// The defaults suit a page polling every 1.5 s and a Prometheus scraper on the same network.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace ratingstream::observe {

struct HttpLimits {
  // From the accept (or the end of the previous answer on a kept-alive connection) to the last
  // byte of the request's head: a whole-request deadline, not a per-read timeout, so a client
  // that trickles a byte now and then is cut off too.
  std::chrono::milliseconds request_timeout{5000};
  // Reading a request's body and writing its answer, each.
  std::chrono::milliseconds io_timeout{5000};
  // Connections waiting for their request at once; past it the longest-waiting one is closed.
  std::size_t max_waiting = 256;
  std::size_t max_head_bytes = 16 * 1024;  // request line and headers (431 past it)
  std::size_t max_body_bytes = 64 * 1024;  // the endpoints take no body; more is 413
  std::size_t max_requests_per_connection = 100;
  // Threads running the handlers of complete requests. Paths in `priority_paths` (exact, without
  // the query) have threads of their own, so a slow handler elsewhere (a Cassandra read of the
  // dashboard) never delays them.
  std::size_t workers = 8;
  std::size_t priority_workers = 2;
  std::vector<std::string> priority_paths;
};

}  // namespace ratingstream::observe
