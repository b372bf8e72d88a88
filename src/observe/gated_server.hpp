#pragma once
// A cpp-httplib server whose connections wait in a RequestGate for their request instead of
// on a pool thread, and whose complete requests are answered by ConnectionWorkers: one set for
// HttpLimits::priority_paths (/healthz, /metrics), one for the rest. Routes, parsing and
// answers stay cpp-httplib's (process_request); only who waits where changes.

#include <httplib.h>

#include <atomic>
#include <memory>

#include "observe/connection_workers.hpp"
#include "observe/http_limits.hpp"
#include "observe/request_gate.hpp"

namespace ratingstream::observe {

class GatedServer final : public httplib::Server {
 public:
  explicit GatedServer(HttpLimits limits);
  ~GatedServer() override;

  // After a bind: lets the kernel queue `backlog` connections not yet accepted. cpp-httplib
  // listens with a backlog of 5, so a burst of a few more connections (a browser opens six at
  // once) had SYNs dropped and waited a second for the retry.
  void widen_backlog(int backlog);

  // After stop() and the end of the listen loop: closes the waiting connections, lets the
  // running requests finish, closes the queued ones.
  void shut_down();

 private:
  // Called by cpp-httplib's accept loop for each accepted socket (on that loop's thread, by the
  // inline task queue): hands the socket to the gate and returns at once.
  bool process_and_close_socket(socket_t sock) override;
  void dispatch(HttpConnection connection);
  void serve(HttpConnection connection);

  HttpLimits limits_;
  std::atomic<bool> shutting_down_{false};
  std::unique_ptr<ConnectionWorkers> priority_workers_;
  std::unique_ptr<ConnectionWorkers> workers_;
  std::unique_ptr<RequestGate> gate_;
};

}  // namespace ratingstream::observe
