#include "dashboard/web_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <sys/socket.h>

#include <chrono>

#include "common/errors.hpp"

namespace ratingstream::dashboard {

WebServer::WebServer(const std::string& address, int port, const std::function<void(httplib::Server&)>& routes)
    : server_(std::make_unique<httplib::Server>()) {
  routes(*server_);
  // As observe::HttpEndpoint: no SO_REUSEPORT, so a second dashboard cannot share the port silently.
  server_->set_socket_options([](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  if (port == 0) {
    port_ = server_->bind_to_any_port(address.c_str());
  } else if (server_->bind_to_port(address.c_str(), port)) {
    port_ = port;
  }
  if (port_ <= 0) {
    throw InputError(fmt::format("--port {}: cannot listen on {}:{} (in use?); choose another port", port, address, port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

WebServer::~WebServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ratingstream::dashboard
