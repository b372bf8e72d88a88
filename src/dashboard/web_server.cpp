#include "dashboard/web_server.hpp"

#include <httplib.h>

namespace ratingstream::dashboard {

namespace {

std::unique_ptr<httplib::Server> routed(const std::function<void(httplib::Server&)>& routes) {
  auto server = std::make_unique<httplib::Server>();
  routes(*server);
  return server;
}

}  // namespace

WebServer::WebServer(const std::string& address, int port, const std::function<void(httplib::Server&)>& routes)
    : listener_(routed(routes), address, port, "--port") {}

}  // namespace ratingstream::dashboard
