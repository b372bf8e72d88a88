#pragma once
// The standalone dashboard's HTTP server: binds, serves the routes on cpp-httplib's own threads
// until destroyed. (Inside the processor the page rides on observe::HttpEndpoint instead.)

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "observe/http_limits.hpp"
#include "observe/http_listener.hpp"

namespace httplib {
class Server;
}

namespace ratingstream::dashboard {

class WebServer {
 public:
  // Binds address:port (0 picks a free port). Throws InputError naming --address or --port when
  // it cannot.
  WebServer(const std::string& address, int port, const std::function<void(httplib::Server&)>& routes,
            const observe::HttpLimits& limits = {});

  int port() const { return listener_.port(); }

 private:
  observe::HttpListener listener_;
};

}  // namespace ratingstream::dashboard
