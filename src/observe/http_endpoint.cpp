#include "observe/http_endpoint.hpp"

#include <httplib.h>

namespace ratingstream::observe {

namespace {

std::unique_ptr<httplib::Server> metrics_server(const Metrics& metrics, const ExtraRoutes& extra_routes) {
  auto server = std::make_unique<httplib::Server>();
  if (extra_routes) extra_routes(*server);
  server->Get("/metrics", [&metrics](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics.prometheus_text(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server->Get("/healthz", [&metrics](const httplib::Request&, httplib::Response& res) {
    const bool ok = metrics.healthy();
    res.status = ok ? 200 : 503;
    res.set_content(ok ? "ok\n" : "cassandra unreachable\n", "text/plain; charset=utf-8");
  });
  return server;
}

}  // namespace

HttpEndpoint::HttpEndpoint(const Metrics& metrics, const std::string& address, int port,
                           const ExtraRoutes& extra_routes)
    : listener_(metrics_server(metrics, extra_routes), address, port, "--metrics-port") {}

}  // namespace ratingstream::observe
