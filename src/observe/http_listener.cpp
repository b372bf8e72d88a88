#include "observe/http_listener.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>

#include <chrono>

#include "common/errors.hpp"

namespace ratingstream::observe {

HttpListener::HttpListener(std::unique_ptr<httplib::Server> server, const std::string& address, int port,
                           const std::string& flag)
    : server_(std::move(server)) {
  // cpp-httplib sets SO_REUSEPORT by default, which would let a second process bind the same
  // port silently and steal half the requests; SO_REUSEADDR alone still allows quick restarts.
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
    throw InputError(fmt::format("{} {}: cannot listen on {}:{} (in use?); choose another port", flag, port,
                                 address, port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() is a no-op until the listen loop runs; wait for it so the destructor cannot race it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

HttpListener::~HttpListener() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ratingstream::observe
