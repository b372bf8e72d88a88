#include "observe/http_listener.hpp"

#include <fmt/format.h>
#include <sys/socket.h>

#include <chrono>

#include "common/errors.hpp"
#include "observe/gated_server.hpp"
#include "observe/listen_address.hpp"

namespace ratingstream::observe {
namespace {

std::string bind_error(const std::string& address, int port, const ListenSettings& settings) {
  const auto failure = diagnose_bind_failure(address, port);
  using Cause = BindFailure::Cause;
  switch (failure.cause) {
    case Cause::bad_address:
    case Cause::not_local:
      return fmt::format(
          "{} {}: {}; give an address of this machine: {} (this machine only, the default) or "
          "0.0.0.0 (every interface)",
          settings.address, address, failure.detail, kDefaultListenAddress);
    case Cause::in_use:
      return fmt::format("{} {}: cannot listen on {}: {}; choose another port", settings.port, port,
                         http_url(address, port), failure.detail);
    case Cause::not_allowed:
    case Cause::other: break;
  }
  return fmt::format("{} {}: cannot listen on {}: {}; choose another port", settings.port, port,
                     http_url(address, port), failure.detail);
}

// An error without a body of its own (an unknown path, a method the route does not take) says
// what it is in plain text rather than answering empty.
httplib::Server::HandlerResponse plain_error(const httplib::Request& request, httplib::Response& response) {
  if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
  if (response.status == 404) {
    response.set_content(fmt::format("not found: {} {}\n", request.method, request.path), "text/plain; charset=utf-8");
  } else {
    response.set_content(fmt::format("HTTP {}\n", response.status), "text/plain; charset=utf-8");
  }
  return httplib::Server::HandlerResponse::Handled;
}

}  // namespace

HttpListener::HttpListener(const Routes& routes, const std::string& address, int port, const ListenSettings& settings,
                           const HttpLimits& limits)
    : server_(std::make_unique<GatedServer>(limits)) {
  // cpp-httplib sets SO_REUSEPORT by default, which would let a second process bind the same
  // port silently and steal half the requests; SO_REUSEADDR alone still allows quick restarts.
  server_->set_socket_options([](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->set_error_handler(httplib::Server::HandlerWithResponse(plain_error));
  if (routes) routes(*server_);  // after the generic error handler, so routes may set their own
  if (port == 0) {
    port_ = server_->bind_to_any_port(address.c_str());
  } else if (server_->bind_to_port(address.c_str(), port)) {
    port_ = port;
  }
  if (port_ <= 0) throw InputError(bind_error(address, port, settings));
  server_->widen_backlog(SOMAXCONN);
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
  server_->shut_down();
}

}  // namespace ratingstream::observe
