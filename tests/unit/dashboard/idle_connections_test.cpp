// The standalone dashboard's server under idle connections and half-sent requests: the page
// and the API still answer promptly (a liveness check with a generous bound).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "../observe/slow_clients.hpp"
#include "dashboard/dashboard.hpp"
#include "observe/http_listener.hpp"

namespace ratingstream::dashboard {
namespace {

using namespace std::chrono_literals;
namespace clients = observe::testing;

std::unique_ptr<Dashboard> offline_dashboard() {
  store::SessionConfig session;
  session.contact_points = {"127.0.0.1:1"};  // never connected to by the requests below
  return Dashboard::standalone("http://127.0.0.1:1", session, store::TableRef{"netflix", "movie_ratings"});
}

// The standalone dashboard's server, as `ratingstream dashboard` starts it, on a free port.
std::unique_ptr<observe::HttpListener> serve(Dashboard& dashboard) {
  return std::make_unique<observe::HttpListener>(
      [&](httplib::Server& s) { dashboard.add_routes(s); }, "127.0.0.1", 0,
      observe::ListenSettings{Setting::listen_address, Setting::listen_port});
}

TEST(DashboardUnderIdleConnections, PageAndApiStillAnswer) {
  auto dashboard = offline_dashboard();
  const auto server = serve(*dashboard);
  clients::SlowClients crowd(server->port());
  crowd.open_silent(64);
  crowd.open_sending(16, "GET /api/overview HTTP/1.1\r\n");
  crowd.open_sending(16, "GET /api/q");
  EXPECT_EQ(clients::get_status(server->port(), "/", 3s), 200);
  EXPECT_EQ(clients::get_status(server->port(), "/api/q1", 3s), 400);  // no name: answered without Cassandra
}

}  // namespace
}  // namespace ratingstream::dashboard

namespace ratingstream::dashboard {
namespace {

TEST(DashboardRoutes, UnknownApiPathsAnswerAJsonErrorAndOthersAText404) {
  auto dashboard = offline_dashboard();
  const auto server = serve(*dashboard);
  httplib::Client client("127.0.0.1", server->port());
  client.set_read_timeout(std::chrono::seconds(3));
  for (const char* path : {"/api/nope", "/api/", "/api/q1/extra"}) {
    const auto result = client.Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 404) << path;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json; charset=utf-8") << path;
    EXPECT_EQ(result->body.rfind("{\"error\":\"no such endpoint: GET ", 0), 0u) << result->body;
  }
  const auto posted = client.Post("/api/q1", "x", "text/plain");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 404);
  EXPECT_EQ(posted->body.rfind("{\"error\":\"no such endpoint: POST /api/q1", 0), 0u) << posted->body;
  const auto page = client.Get("/nope.html");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);
  EXPECT_EQ(page->body, "not found: GET /nope.html; the dashboard is at /\n");
  // A handler's own error keeps its body.
  const auto bad = client.Get("/api/q1");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("name is missing"), std::string::npos) << bad->body;
}

TEST(DashboardRoutes, ThePageAndItsAssetsAreQuickPaths) {
  const auto paths = Dashboard::quick_paths();
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/dashboard.js"), paths.end());
  EXPECT_EQ(std::find(paths.begin(), paths.end(), "/api/overview"), paths.end());
}

}  // namespace
}  // namespace ratingstream::dashboard
