#include "observe/http_endpoint.hpp"

#include <httplib.h>

namespace ratingstream::observe {

namespace {

void metrics_routes(httplib::Server& server, const Metrics& metrics, const ExtraRoutes& extra_routes) {
  if (extra_routes) extra_routes(server);
  server.Get("/metrics", [&metrics](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics.prometheus_text(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server.Get("/healthz", [&metrics](const httplib::Request&, httplib::Response& res) {
    const auto health = metrics.health();
    res.status = health.ok ? 200 : 503;
    res.set_content(health.text + "\n", "text/plain; charset=utf-8");
  });
}

HttpLimits with_probes_first(HttpLimits limits) {
  for (const char* path : {"/healthz", "/metrics"}) limits.priority_paths.emplace_back(path);
  return limits;
}

}  // namespace

HttpEndpoint::HttpEndpoint(const Metrics& metrics, const std::string& address, int port,
                           const ExtraRoutes& extra_routes, const HttpLimits& limits)
    : listener_([&](httplib::Server& server) { metrics_routes(server, metrics, extra_routes); }, address, port,
                ListenSettings{Setting::metrics_address, Setting::metrics_port}, with_probes_first(limits)) {}

}  // namespace ratingstream::observe
