#pragma once
// The standalone dashboard's HTTP server: binds, serves the routes on cpp-httplib's own threads
// until destroyed. (Inside the processor the page rides on observe::HttpEndpoint instead.)

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace ratingstream::dashboard {

class WebServer {
 public:
  // Binds address:port (0 picks a free port). Throws InputError naming --port when it cannot.
  WebServer(const std::string& address, int port, const std::function<void(httplib::Server&)>& routes);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace ratingstream::dashboard
