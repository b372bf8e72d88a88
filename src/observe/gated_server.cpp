#include "observe/gated_server.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <algorithm>

#include "observe/connection_stream.hpp"

namespace ratingstream::observe {
namespace {

// Runs each accepted socket's job on the accept loop's thread: the job only hands the socket
// over to the gate, so nothing waits there.
class InlineTaskQueue final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

}  // namespace

GatedServer::GatedServer(HttpLimits limits) : limits_(std::move(limits)) {
  new_task_queue = [] { return new InlineTaskQueue; };
  set_payload_max_length(limits_.max_body_bytes);
  const auto serve = [this](HttpConnection c) { this->serve(std::move(c)); };
  priority_workers_ = std::make_unique<ConnectionWorkers>(limits_.priority_workers, serve);
  workers_ = std::make_unique<ConnectionWorkers>(limits_.workers, serve);
  gate_ = std::make_unique<RequestGate>(limits_, [this](HttpConnection c) { dispatch(std::move(c)); });
}

GatedServer::~GatedServer() { shut_down(); }

void GatedServer::shut_down() {
  shutting_down_ = true;
  gate_->stop();
  priority_workers_->stop();
  workers_->stop();
}

void GatedServer::widen_backlog(int backlog) {
  const socket_t listening = svr_sock_;
  if (listening != INVALID_SOCKET) ::listen(listening, backlog);  // listen() again only resizes the queue
}

bool GatedServer::process_and_close_socket(socket_t sock) {
  ::fcntl(sock, F_SETFD, FD_CLOEXEC);
  gate_->admit(HttpConnection(sock));
  return true;
}

void GatedServer::dispatch(HttpConnection connection) {
  const auto path = request_path(connection.pending);
  const bool priority =
      std::find(limits_.priority_paths.begin(), limits_.priority_paths.end(), path) != limits_.priority_paths.end();
  (priority ? priority_workers_ : workers_)->submit(std::move(connection));
}

void GatedServer::serve(HttpConnection connection) {
  ConnectionStream stream(connection.fd(), std::move(connection.pending), limits_.io_timeout);
  const bool last = shutting_down_ || connection.answered + 1 >= limits_.max_requests_per_connection;
  bool closed_by_client = false;
  const bool answered = process_request(stream, last, closed_by_client, nullptr);
  if (!answered || closed_by_client || last || stream.failed()) return;  // closes the connection
  connection.pending = stream.unread();
  ++connection.answered;
  gate_->admit(std::move(connection));
}

}  // namespace ratingstream::observe
