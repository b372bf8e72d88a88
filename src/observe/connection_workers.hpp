#pragma once
// A fixed set of threads answering connections whose request has fully arrived. Only complete
// requests get here (RequestGate holds the others), so a worker is never held by a client that
// is slow to send.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "observe/http_connection.hpp"

namespace ratingstream::observe {

class ConnectionWorkers {
 public:
  using Serve = std::function<void(HttpConnection)>;
  ConnectionWorkers(std::size_t threads, Serve serve);
  ~ConnectionWorkers();  // stop()
  ConnectionWorkers(const ConnectionWorkers&) = delete;
  ConnectionWorkers& operator=(const ConnectionWorkers&) = delete;

  void submit(HttpConnection connection);
  // Lets the running requests finish, closes the queued ones, joins the threads.
  void stop();

 private:
  void work();

  Serve serve_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<HttpConnection> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ratingstream::observe
