#include "dashboard/web_server.hpp"

namespace ratingstream::dashboard {

WebServer::WebServer(const std::string& address, int port, const std::function<void(httplib::Server&)>& routes,
                     const observe::HttpLimits& limits)
    : listener_(routes, address, port, observe::ListenSettings{Setting::listen_address, Setting::listen_port}, limits) {
}

}  // namespace ratingstream::dashboard
