#pragma once
// The processor's HTTP endpoint (--metrics-port): /metrics in the Prometheus text format and
// /healthz. Serves from threads of its own; handlers only read Metrics under its lock, so the
// processor's hot path never waits on a scrape. /healthz and /metrics have their own workers, so
// neither idle clients nor slow dashboard requests delay a probe (http_listener.hpp).

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "observe/http_limits.hpp"
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
  // Binds address:port (port 0 picks a free one; kDefaultListenAddress of listen_address.hpp is
  // the address to default to) and starts serving. Throws InputError naming --metrics-address or
  // --metrics-port when it cannot bind (an address not of this machine, a port taken).
  HttpEndpoint(const Metrics& metrics, const std::string& address, int port, const ExtraRoutes& extra_routes = {},
               const HttpLimits& limits = {});

  int port() const { return listener_.port(); }

 private:
  HttpListener listener_;
};

}  // namespace ratingstream::observe
