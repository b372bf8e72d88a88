#pragma once
// The waiting room of the HTTP endpoints: accepted connections wait here, on one poll() thread,
// until their request head (request line and headers) has fully arrived, and only then go to a
// worker thread. A connection that sends nothing, or half a request, costs a descriptor and a
// poll slot, not a worker; it is closed when it has not sent its whole head within
// HttpLimits::request_timeout (408 when it had started one), and when the room is full the
// connection that has waited longest goes first.
//
// cpp-httplib's own server (0.11) gives each connection a pool thread from accept to close,
// waiting up to 5 s per read for a request and then up to 5 s for the next: eight clients that
// connect and say nothing block every other request for seconds.

#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "observe/http_connection.hpp"
#include "observe/http_limits.hpp"

namespace ratingstream::observe {

class RequestGate {
 public:
  using SteadyClock = std::chrono::steady_clock;
  // Called on the gate's thread with each connection whose head is complete.
  using Dispatch = std::function<void(HttpConnection)>;

  RequestGate(const HttpLimits& limits, Dispatch dispatch);
  ~RequestGate();  // stop()
  RequestGate(const RequestGate&) = delete;
  RequestGate& operator=(const RequestGate&) = delete;

  // A new or kept-alive connection, to wait for its (next) request. Thread-safe; after stop()
  // the connection is closed.
  void admit(HttpConnection connection);
  // Closes every waiting connection and joins the thread.
  void stop();

 private:
  struct Waiting {
    HttpConnection connection;
    SteadyClock::time_point deadline;
  };
  void run();
  void take_admitted(std::vector<Waiting>& waiting);
  // Reads what arrived; true when the connection is still waiting for the rest of its head.
  bool read_some(Waiting& w);

  HttpLimits limits_;
  Dispatch dispatch_;
  int wake_fd_ = -1;  // eventfd: admit() and stop() interrupt poll()
  std::mutex mutex_;
  std::vector<HttpConnection> admitted_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ratingstream::observe
