#pragma once
// Serves a cpp-httplib server's routes on a thread of its own, from construction to destruction.
// Shared by the processor's metrics endpoint and the standalone dashboard.

#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace ratingstream::observe {

class HttpListener {
 public:
  // Binds address:port (port 0 picks a free one) and starts serving `server`, whose routes are
  // already set. Throws InputError naming `flag` (e.g. --metrics-port) when it cannot bind.
  HttpListener(std::unique_ptr<httplib::Server> server, const std::string& address, int port,
               const std::string& flag);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace ratingstream::observe
