#include "dashboard/web_server.hpp"

namespace ratingstream::dashboard {

WebServer::WebServer(const std::string& address, int port, const std::function<void(httplib::Server&)>& routes,
                     const observe::HttpLimits& limits)
    : listener_(routes, address, port, observe::ListenFlags{"--address", "--port"}, limits) {}

}  // namespace ratingstream::dashboard
