#pragma once
// Serves cpp-httplib routes on threads of its own, from construction to destruction: the accept
// loop, the waiting room of connections that have not sent their request yet, and the workers
// (gated_server.hpp). Shared by the processor's metrics endpoint and the standalone dashboard.

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "common/setting.hpp"
#include "observe/http_limits.hpp"

namespace httplib {
class Server;
}

namespace ratingstream::observe {

class GatedServer;

// The settings of the address and the port, named in the errors (e.g. Setting::metrics_address,
// Setting::metrics_port).
struct ListenSettings {
  Setting address;
  Setting port;
};

class HttpListener {
 public:
  using Routes = std::function<void(httplib::Server&)>;
  // Registers `routes`, binds address:port (port 0 picks a free one) and starts serving. Throws
  // InputError naming the setting at fault when it cannot bind: an address that is not valid or
  // not this machine's, a port in use or not allowed.
  HttpListener(const Routes& routes, const std::string& address, int port, const ListenSettings& settings,
               const HttpLimits& limits = {});
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  int port() const { return port_; }

 private:
  std::unique_ptr<GatedServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace ratingstream::observe
