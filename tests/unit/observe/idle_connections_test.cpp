// Connections that connect and send nothing, or half a request, must not keep /healthz and
// /metrics from answering: they wait for their request without holding a worker thread, and
// the time a connection may take to send its request is bounded.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/errors.hpp"
#include "observe/http_endpoint.hpp"
#include "observe/listen_address.hpp"
#include "observe/metrics.hpp"
#include "slow_clients.hpp"

using namespace ratingstream::observe;
using namespace std::chrono_literals;
namespace support = ratingstream::observe::testing;

namespace {

// A liveness check, not a benchmark: the bound is generous, and the old server needed about
// 10 s per 8 idle connections to get to a request queued behind them.
constexpr auto kPrompt = 3s;

}  // namespace

TEST(HttpEndpointUnderIdleConnections, HealthAndMetricsStillAnswer) {
  Metrics m({"malformed_json"});
  HttpEndpoint endpoint(m, "127.0.0.1", 0);
  support::SlowClients crowd(endpoint.port());
  crowd.open_silent(64);
  crowd.open_sending(16, "GET /metrics HTTP/1.1\r\n");            // a request line, then nothing
  crowd.open_sending(16, "GET /hea");                             // half a request line
  crowd.open_sending(8, "GET /healthz HTTP/1.1\r\nHost: x\r\n");  // headers never finished
  ASSERT_EQ(crowd.open_count(), 104u);

  for (const char* path : {"/healthz", "/metrics", "/healthz"}) {
    EXPECT_EQ(support::get_status(endpoint.port(), path, kPrompt), 200) << path;
  }
}

TEST(HttpEndpointUnderIdleConnections, ManyMoreIdleConnectionsThanWorkers) {
  Metrics m({});
  HttpEndpoint endpoint(m, "127.0.0.1", 0);
  support::SlowClients crowd(endpoint.port());
  crowd.open_silent(200);
  EXPECT_EQ(support::get_status(endpoint.port(), "/healthz", kPrompt), 200);
  EXPECT_EQ(support::get_status(endpoint.port(), "/metrics", kPrompt), 200);
}

namespace {

// What the server sends on `fd` until it closes the connection, or until `bound` passes; while
// waiting, `trickle` is sent every 100 ms (a client that never finishes its request).
std::string read_until_closed(int fd, std::chrono::seconds bound, std::string_view trickle = {}) {
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) > 0) {
      char buffer[4096];
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return received;
      received.append(buffer, static_cast<std::size_t>(n));
    } else if (!trickle.empty()) {
      (void)::send(fd, trickle.data(), trickle.size(), MSG_NOSIGNAL);
    }
  }
  return received + "(still open)";
}

HttpLimits short_limits() {
  HttpLimits limits;
  limits.request_timeout = 300ms;
  limits.max_head_bytes = 2048;
  return limits;
}

}  // namespace

TEST(HttpEndpointRequestDeadline, ATrickledRequestIsCutOffWith408) {
  Metrics m({});
  HttpEndpoint endpoint(m, "127.0.0.1", 0, {}, short_limits());
  const int fd = support::connect_loopback(endpoint.port());
  ASSERT_GE(fd, 0);
  (void)::send(fd, "GET /healthz HTTP/1.1\r\n", 23, MSG_NOSIGNAL);
  // A header line every 100 ms: each read is quick, the request never ends.
  const auto received = read_until_closed(fd, 5s, "X-Slow: 1\r\n");
  ::close(fd);
  EXPECT_EQ(received.rfind("HTTP/1.1 408 ", 0), 0u) << received;
}

TEST(HttpEndpointRequestDeadline, ASilentConnectionIsClosedQuietly) {
  Metrics m({});
  HttpEndpoint endpoint(m, "127.0.0.1", 0, {}, short_limits());
  const int fd = support::connect_loopback(endpoint.port());
  ASSERT_GE(fd, 0);
  EXPECT_EQ(read_until_closed(fd, 5s), "");
  ::close(fd);
}

TEST(HttpEndpointRequestDeadline, AnOversizedHeadIs431) {
  Metrics m({});
  HttpEndpoint endpoint(m, "127.0.0.1", 0, {}, short_limits());
  const int fd = support::connect_loopback(endpoint.port());
  ASSERT_GE(fd, 0);
  const std::string head = "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(4096, 'a');
  (void)::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  const auto received = read_until_closed(fd, 5s);
  ::close(fd);
  EXPECT_EQ(received.rfind("HTTP/1.1 431 ", 0), 0u) << received;
}

TEST(HttpEndpointConnections, KeepAliveAndPipelinedRequestsAreAnswered) {
  Metrics m({});
  HttpEndpoint endpoint(m, "127.0.0.1", 0);
  httplib::Client client("127.0.0.1", endpoint.port());
  client.set_keep_alive(true);
  client.set_read_timeout(kPrompt);
  for (int i = 0; i < 3; ++i) {
    const auto result = client.Get("/healthz");
    ASSERT_TRUE(result) << i;
    EXPECT_EQ(result->status, 200);
  }
  // Two requests in one write: both answered, in order, on the one connection.
  const int fd = support::connect_loopback(endpoint.port());
  ASSERT_GE(fd, 0);
  const std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  (void)::send(fd, two.data(), two.size(), MSG_NOSIGNAL);
  const auto received = read_until_closed(fd, 5s);
  ::close(fd);
  const auto second = received.find("HTTP/1.1 404 ");
  EXPECT_EQ(received.rfind("HTTP/1.1 200 ", 0), 0u) << received;
  EXPECT_NE(second, std::string::npos) << received;
  EXPECT_NE(received.find("not found: GET /nope", second), std::string::npos) << received;
}

TEST(HttpEndpointConnections, AFullWaitingRoomDropsTheLongestWaiting) {
  Metrics m({});
  HttpLimits limits;
  limits.max_waiting = 8;
  HttpEndpoint endpoint(m, "127.0.0.1", 0, {}, limits);
  support::SlowClients crowd(endpoint.port());
  crowd.open_silent(40);
  EXPECT_EQ(support::get_status(endpoint.port(), "/healthz", kPrompt), 200);
}

TEST(HttpEndpointConnections, SlowHandlersElsewhereDoNotDelayTheProbes) {
  Metrics m({});
  std::mutex mutex;
  std::condition_variable changed;
  int inside = 0;
  bool release = false;
  const ExtraRoutes slow_route = [&](httplib::Server& server) {
    server.Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
      std::unique_lock lock(mutex);
      ++inside;
      changed.notify_all();
      changed.wait_for(lock, 20s, [&] { return release; });
      res.set_content("done\n", "text/plain");
    });
  };
  HttpLimits limits;
  limits.workers = 4;
  HttpEndpoint endpoint(m, "127.0.0.1", 0, slow_route, limits);
  std::vector<std::thread> clients;
  for (int i = 0; i < 6; ++i) {
    clients.emplace_back([&] { (void)support::get_status(endpoint.port(), "/slow", 30s); });
  }
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return inside == 4; })) << "the slow handlers never all started";
  }
  EXPECT_EQ(support::get_status(endpoint.port(), "/healthz", kPrompt), 200);
  EXPECT_EQ(support::get_status(endpoint.port(), "/metrics", kPrompt), 200);
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  for (auto& c : clients) c.join();
}

TEST(ListenAddress, UrlsBracketIpv6) {
  EXPECT_EQ(http_url("127.0.0.1", 9108), "http://127.0.0.1:9108/");
  EXPECT_EQ(http_url("::1", 12346), "http://[::1]:12346/");
  EXPECT_EQ(http_url("localhost", 80), "http://localhost:80/");
  EXPECT_EQ(kDefaultListenAddress, "127.0.0.1");
}

TEST(ListenAddress, AnInvalidOrForeignAddressIsNamedNotCalledInUse) {
  Metrics m({});
  for (const std::string address : {"999.1.1.1", "192.0.2.1", "not a host"}) {
    try {
      HttpEndpoint endpoint(m, address, 0);
      ADD_FAILURE() << address << ": expected InputError";
    } catch (const ratingstream::InputError& e) {
      const std::string message = e.what();
      EXPECT_EQ(message.rfind("metrics_address " + address + ": ", 0), 0u) << message;
      EXPECT_EQ(message.find("in use"), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }
}

TEST(ListenAddress, APortInUseSaysSo) {
  Metrics m({});
  HttpEndpoint first(m, "127.0.0.1", 0);
  try {
    HttpEndpoint second(m, "127.0.0.1", first.port());
    FAIL() << "expected InputError";
  } catch (const ratingstream::InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("metrics_port " + std::to_string(first.port()) + ": ", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
  }
}
