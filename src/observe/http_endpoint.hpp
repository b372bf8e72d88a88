#pragma once
// The processor's HTTP endpoint (--metrics-port): /metrics in the Prometheus text format and
// /healthz. Serves from its own thread; handlers only read Metrics under its lock, so the
// processor's hot path never waits on a scrape.

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "observe/http_listener.hpp"
#include "observe/metrics.hpp"

namespace httplib {
class Server;
}

namespace ratingstream::observe {

// Registers more routes on the server before it starts (the dashboard's page and endpoints).
using ExtraRoutes = std::function<void(httplib::Server&)>;

class HttpEndpoint {
 public:
  // Binds address:port (port 0 picks a free one) and starts serving. Throws InputError naming
  // the port when it cannot be bound (taken, or not allowed).
  HttpEndpoint(const Metrics& metrics, const std::string& address, int port, const ExtraRoutes& extra_routes = {});

  int port() const { return listener_.port(); }

 private:
  HttpListener listener_;
};

}  // namespace ratingstream::observe
