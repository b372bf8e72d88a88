// The dashboard's endpoints against the real stack with live data: a producer, a processor
// (whose --metrics-port serves the page and /api/pipeline) and a standalone `ratingstream
// dashboard` relaying it; JSON shapes, Q1/Q2 equal to `ratingstream query`, error answers.

#include <fmt/chrono.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "../../unit/observe/slow_clients.hpp"
#include "../process/process_fixtures.hpp"

namespace ratingstream::dashboard_test {
namespace {

using namespace std::chrono_literals;
namespace rs_testing = ratingstream::testing;
using process_test::Background;
using process_test::http_get;

const std::string kMe = "Stelios Giagkos";

int dashboard_port(const std::string& err) {
  std::smatch match;
  if (!std::regex_search(err, match, std::regex(R"(dashboard on http://(?:[0-9.]+|\[[0-9a-f:]+\]):(\d+)/)"))) return 0;
  return std::stoi(match[1]);
}

std::string minute_text(std::chrono::system_clock::time_point at) {
  return fmt::format("{:%Y-%m-%d %H:%M}Z", std::chrono::floor<std::chrono::minutes>(at));
}

// One pipeline for the whole suite: starting Kafka consumers and Cassandra sessions is slow.
class DashboardEndpoints : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new rs_testing::TempDir();
    name_ = rs_testing::unique_name("dash");
    producer_ = new Background({"produce", "-t", name_, "--interval", "1s", "--quiet"}, dir_->path(), "producer");
    processor_ =
        new Background({"process", "-t", name_, "--keyspace", name_, "--group", name_, "--trigger", "1s",
                        "--starting-offsets", "earliest", "--metrics-port", "0", "--metrics-address", "127.0.0.1"},
                       dir_->path(), "processor");
    ASSERT_TRUE(rs_testing::eventually([] { return process_test::metrics_port(processor_->err()) > 0; }, 120s))
        << processor_->err();
    processor_port_ = process_test::metrics_port(processor_->err());
    dashboard_ = new Background({"dashboard", "--port", "0", "--address", "127.0.0.1", "--keyspace", name_,
                                 "--processor", fmt::format("http://127.0.0.1:{}", processor_port_)},
                                dir_->path(), "dashboard");
    ASSERT_TRUE(rs_testing::eventually([] { return dashboard_port(dashboard_->err()) > 0; }, 60s)) << dashboard_->err();
    dashboard_port_ = dashboard_port(dashboard_->err());
    // The processor creates the table as it starts; until then the data endpoints answer 503.
    ASSERT_TRUE(rs_testing::eventually([] { return http_get(dashboard_port_, "/api/people").status == 200; }, 120s))
        << http_get(dashboard_port_, "/api/people").body;
  }
  static void TearDownTestSuite() {
    delete dashboard_;
    delete processor_;
    delete producer_;
    delete dir_;
    // Each test runs in a process of its own (ctest), so each leaves a keyspace and a topic.
    process_test::drop_keyspace(name_);
    try {
      process_test::delete_topic(name_);
    } catch (const std::exception&) {
      // best effort, as drop_keyspace
    }
  }

  simdjson::dom::element json(const process_test::HttpAnswer& answer) {
    simdjson::dom::element doc;
    EXPECT_EQ(parser_.parse(answer.body).get(doc), simdjson::SUCCESS) << answer.body;
    return doc;
  }

  static inline rs_testing::TempDir* dir_ = nullptr;
  static inline std::string name_;
  static inline Background* producer_ = nullptr;
  static inline Background* processor_ = nullptr;
  static inline Background* dashboard_ = nullptr;
  static inline int processor_port_ = 0;
  static inline int dashboard_port_ = 0;
  simdjson::dom::parser parser_;
};

TEST_F(DashboardEndpoints, TheProcessorChartsItsOwnPipeline) {
  std::uint64_t written = 0;
  ASSERT_TRUE(rs_testing::eventually(
      [&] {
        const auto answer = http_get(processor_port_, "/api/pipeline");
        if (answer.status != 200) return false;
        const auto doc = json(answer);
        written = doc["totals"]["written"].get_uint64().value();
        return written >= 15 && doc["samples"].get_array().value().size() >= 3;
      },
      180s, 500ms))
      << processor_->err();
  const auto doc = json(http_get(processor_port_, "/api/pipeline"));
  const auto sample = doc["samples"].at(0).value();
  for (const char* field : {"t", "records_in", "written", "unmatched", "rejected", "lag", "batch_seconds"}) {
    EXPECT_NE(sample[field].error(), simdjson::NO_SUCH_FIELD) << field;
  }
  EXPECT_GE(doc["rejected_by_reason"].get_object().value().size(), 1u);  // every known reason, from the start
  EXPECT_TRUE(doc["cassandra_up"].get_bool().value());
  // /metrics and /healthz are still there, beside the page.
  EXPECT_EQ(http_get(processor_port_, "/healthz").status, 200);
  EXPECT_NE(http_get(processor_port_, "/metrics").body.find("ratingstream_records_written_total"), std::string::npos);
}

TEST_F(DashboardEndpoints, TheStandaloneDashboardRelaysTheProcessorsPipeline) {
  ASSERT_TRUE(rs_testing::eventually(
      [&] {
        const auto answer = http_get(dashboard_port_, "/api/pipeline");
        return answer.status == 200 && json(answer)["totals"]["records_in"].get_uint64().value() > 0;
      },
      180s, 500ms))
      << dashboard_->err();
}

TEST_F(DashboardEndpoints, ThePageAndItsChartingLibraryAreServed) {
  const auto page = http_get(dashboard_port_, "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("/vendor/uPlot.iife.min.js"), std::string::npos);
  const auto library = http_get(dashboard_port_, "/vendor/uPlot.iife.min.js");
  EXPECT_EQ(library.status, 200);
  EXPECT_GT(library.body.size(), 10'000u);
  EXPECT_EQ(http_get(processor_port_, "/").body, page.body);
}

TEST_F(DashboardEndpoints, TheOverviewShowsEveryPersonsLatestRatings) {
  ASSERT_TRUE(rs_testing::eventually(
      [&] {
        const auto answer = http_get(dashboard_port_, "/api/overview");
        return answer.status == 200 && json(answer)["people"].get_array().value().size() == 15;
      },
      180s, 500ms))
      << dashboard_->err();
  const auto doc = json(http_get(dashboard_port_, "/api/overview"));
  std::int64_t per_minute = 0;
  const simdjson::dom::array minutes = doc["ratings_per_minute"].get_array().value();
  for (auto m : minutes) per_minute += m["count"].get_int64().value();
  EXPECT_GE(per_minute, 15);
  EXPECT_GE(doc["top_by_count"].get_array().value().size(), 1u);
  const auto person = doc["people"].at(0).value();
  EXPECT_GE(person["latest"].get_array().value().size(), 1u);
  EXPECT_GE(person["latest"].at(0)["rating"].get_int64().value(), 1);
  EXPECT_LE(person["latest"].at(0)["rating"].get_int64().value(), 10);
}

TEST_F(DashboardEndpoints, Q1AndQ2EqualTheCommandLinesAnswers) {
  const auto now = std::chrono::system_clock::now();
  const std::string from = minute_text(now - 1h);
  const std::string to = minute_text(now + 2min);
  // Some of my ratings in the window, then the producer stops so the window holds still; the two
  // answers are compared until the processor has written the last records (both read one table).
  ASSERT_TRUE(rs_testing::eventually(
      [&] {
        const auto answer = http_get(dashboard_port_, "/api/overview");
        if (answer.status != 200) return false;
        const auto doc = json(answer);
        const simdjson::dom::array people = doc["people"].get_array().value();
        for (auto person : people) {
          if (person["name"].get_string().value() == kMe) return person["latest"].get_array().value().size() >= 3;
        }
        return false;
      },
      180s, 500ms));
  producer_->signal(SIGTERM);
  ASSERT_TRUE(producer_->wait(30s).has_value());
  const auto query = fmt::format("?name={}&from={}&to={}", httplib::detail::encode_query_param(kMe),
                                 httplib::detail::encode_query_param(from), httplib::detail::encode_query_param(to));
  std::string last;
  const bool agreed = rs_testing::eventually(
      [&] {
        const auto cli = rs_testing::run_ratingstream({"query", "avg-duration", "--keyspace", name_, "--name", kMe,
                                                       "--from", from, "--to", to, "--format", "json"});
        const auto cli_movies = rs_testing::run_ratingstream(
            {"query", "movies", "--keyspace", name_, "--name", kMe, "--from", from, "--to", to, "--format", "csv"});
        const auto q1 = http_get(dashboard_port_, "/api/q1" + query);
        const auto q2 = http_get(dashboard_port_, "/api/q2" + query);
        last = cli.out + cli.err + q1.body;
        if (cli.exit_code != 0 || cli_movies.exit_code != 0 || q1.status != 200 || q2.status != 200) return false;
        simdjson::dom::parser cli_parser;
        const auto expected = cli_parser.parse(cli.out).value().at(0).value();
        const auto answer = json(q1);
        if (expected["avg_duration"].is_null() || answer["avg_duration"].is_null()) return false;
        const auto rows = std::count(cli_movies.out.begin(), cli_movies.out.end(), '\n') - 1;  // less the header
        simdjson::dom::parser q2_parser;  // a parser's document lives until its next parse: one each
        const auto movies = q2_parser.parse(q2.body).value();
        return answer["ratings"].get_int64().value() == expected["ratings"].get_int64().value() &&
               std::stod(std::string(answer["avg_duration"].get_string().value())) ==
                   expected["avg_duration"].get_double().value() &&
               movies["count"].get_int64().value() == rows &&
               movies["movies"].get_array().value().size() == static_cast<std::size_t>(rows) && rows >= 3;
      },
      60s, 1s);
  EXPECT_TRUE(agreed) << last;
}

TEST_F(DashboardEndpoints, IdleAndHalfSentConnectionsDelayNoOne) {
  // The processor's endpoint (metrics, health, the page) and the standalone dashboard, each with
  // connections that send nothing or part of a request: the others are still answered at once.
  namespace clients = observe::testing;
  for (const int port : {processor_port_, dashboard_port_}) {
    clients::SlowClients crowd(port);
    crowd.open_silent(64);
    crowd.open_sending(16, "GET /healthz HTTP/1.1\r\n");
    crowd.open_sending(16, "GET /api/ov");
    const std::vector<std::string> paths = port == processor_port_
                                               ? std::vector<std::string>{"/healthz", "/metrics", "/api/pipeline"}
                                               : std::vector<std::string>{"/", "/api/people"};
    for (const auto& path : paths) EXPECT_EQ(clients::get_status(port, path, 3s), 200) << port << path;
  }
}

TEST_F(DashboardEndpoints, BadRequestsAnswerAClearJsonError) {
  const auto unknown = http_get(dashboard_port_, "/api/q1?name=Nobody%20At%20All&hour=2025-03-13%2019");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(std::string(json(unknown)["error"].get_string().value()).find("unknown person"), std::string::npos);
  const auto bad_window = http_get(dashboard_port_, "/api/q2?name=Stelios%20Giagkos&from=soon&to=later");
  EXPECT_EQ(bad_window.status, 400);
  EXPECT_NE(std::string(json(bad_window)["error"].get_string().value()).find("from"), std::string::npos);
  // The server is still there.
  EXPECT_EQ(http_get(dashboard_port_, "/api/people").status, 200);
}

TEST(DashboardCommand, AProcessorThatDoesNotAnswerIsA502ThePageShows) {
  rs_testing::TempDir dir;
  Background dashboard({"dashboard", "--port", "0", "--address", "127.0.0.1", "--processor", "http://127.0.0.1:1"},
                       dir.path(), "dashboard");
  ASSERT_TRUE(rs_testing::eventually([&] { return dashboard_port(dashboard.err()) > 0; }, 60s)) << dashboard.err();
  const auto answer = http_get(dashboard_port(dashboard.err()), "/api/pipeline");
  EXPECT_EQ(answer.status, 502);
  EXPECT_NE(answer.body.find("processor at http://127.0.0.1:1 does not answer"), std::string::npos) << answer.body;
}

TEST(DashboardCommand, ListensOnLoopbackUnlessToldOtherwise) {
  rs_testing::TempDir dir;
  Background loopback({"dashboard", "--port", "0", "--processor", "http://127.0.0.1:1"}, dir.path(), "loopback");
  ASSERT_TRUE(rs_testing::eventually([&] { return dashboard_port(loopback.err()) > 0; }, 60s)) << loopback.err();
  EXPECT_NE(loopback.err().find("dashboard on http://127.0.0.1:"), std::string::npos) << loopback.err();
  // An IPv6 address is written in brackets, so the URL can be pasted.
  Background ipv6({"dashboard", "--port", "0", "--address", "::1", "--processor", "http://127.0.0.1:1"}, dir.path(),
                  "ipv6");
  ASSERT_TRUE(rs_testing::eventually([&] { return dashboard_port(ipv6.err()) > 0; }, 60s)) << ipv6.err();
  EXPECT_NE(ipv6.err().find("dashboard on http://[::1]:"), std::string::npos) << ipv6.err();
}

TEST(DashboardCommand, AnAddressThatIsNotValidOrNotLocalIsAUsageError) {
  for (const std::string address : {"999.1.1.1", "192.0.2.1"}) {
    const auto result = rs_testing::run_ratingstream({"dashboard", "--port", "0", "--address", address});
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_EQ(result.err.rfind("ratingstream: --address " + address + ": not ", 0), 0u) << result.err;
    EXPECT_EQ(result.err.find("in use"), std::string::npos) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
}

TEST(DashboardCommand, ABadProcessorUrlIsAUsageError) {
  const auto result = rs_testing::run_ratingstream({"dashboard", "--port", "0", "--processor", "localhost:9108"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--processor"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ratingstream::dashboard_test
