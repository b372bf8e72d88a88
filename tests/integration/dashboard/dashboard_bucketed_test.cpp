// The dashboard on a bucketed table (docs/data-over-time.md, "The dashboard"): the same recent
// rows written to a table of the original layout and to one bucketed by hour; a standalone
// dashboard on each must give the same people, overview and Q1/Q2 answers.

#include <fmt/chrono.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "../process/process_fixtures.hpp"
#include "../query/query_fixture.hpp"

namespace ratingstream::dashboard_test {
namespace {

using namespace std::chrono_literals;
namespace rs_testing = ratingstream::testing;
using process_test::Background;
using process_test::http_get;
using query_test::KnownRow;

int dashboard_port(const std::string& err) {
  std::smatch match;
  if (!std::regex_search(err, match, std::regex(R"(dashboard on http://(?:[0-9.]+|\[[0-9a-f:]+\]):(\d+)/)"))) return 0;
  return std::stoi(match[1]);
}

std::string minified(const std::string& json, const char* field) {
  simdjson::dom::parser parser;
  const auto doc = parser.parse(json);
  EXPECT_EQ(doc.error(), simdjson::SUCCESS) << json;
  return simdjson::minify(doc[field]);
}

TEST(DashboardBucketed, ABucketedTableAnswersAsTheOriginalLayoutDoes) {
  const std::string keyspace = rs_testing::unique_name("it_dash_bucketed");
  auto session = store::Session::connect({});
  // Rows of the last 30 hours, so they span many hourly buckets and the overview's look-back.
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::vector<KnownRow> rows;
  const std::vector<std::string> people = {"Ann Example", "Bo Sample", "Cy Third"};
  for (int i = 0; i < 600; ++i) {
    rows.push_back({people[static_cast<std::size_t>(i) % people.size()], now_ms - i * 180'000LL,
                    "Film " + std::to_string(i % 31), i % 10 + 1,
                    KnownRow::Film{"s" + std::to_string(i), "D", "C", "R", 2001, i % 150 + 1}});
  }
  for (const auto& [table, layout] : std::vector<std::pair<std::string, store::TableLayout>>{
           {"original", {}}, {"by_hour", {store::BucketSize::hour}}}) {
    store::apply_schema(session, {keyspace, table}, store::KeyspaceReplication{}, layout);
    query_test::insert_rows(session, {keyspace, table}, rows, 1, layout);
  }

  rs_testing::TempDir dir;
  std::vector<std::unique_ptr<Background>> dashboards;
  std::vector<int> ports;
  for (const char* table : {"original", "by_hour"}) {
    dashboards.push_back(
        std::make_unique<Background>(std::vector<std::string>{"dashboard", "--port", "0", "--address", "127.0.0.1",
                                                              "--keyspace", keyspace, "--table", table},
                                     dir.path(), table));
    Background& dashboard = *dashboards.back();
    ASSERT_TRUE(rs_testing::eventually([&] { return dashboard_port(dashboard.err()) > 0; }, 60s)) << dashboard.err();
    ports.push_back(dashboard_port(dashboard.err()));
  }

  const auto people_answer = http_get(ports[0], "/api/people");
  ASSERT_EQ(people_answer.status, 200) << people_answer.body;
  const auto bucketed_people = http_get(ports[1], "/api/people");
  ASSERT_EQ(bucketed_people.status, 200) << bucketed_people.body;
  EXPECT_EQ(minified(bucketed_people.body, "people"), minified(people_answer.body, "people"));

  const auto overview = http_get(ports[0], "/api/overview");
  ASSERT_EQ(overview.status, 200) << overview.body;
  const auto bucketed_overview = http_get(ports[1], "/api/overview");
  ASSERT_EQ(bucketed_overview.status, 200) << bucketed_overview.body;
  EXPECT_EQ(minified(bucketed_overview.body, "people"), minified(overview.body, "people"));

  const auto from = fmt::format("{:%Y-%m-%d %H:%M}Z",
                                std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now() - 20h));
  const auto to = fmt::format("{:%Y-%m-%d %H:%M}Z",
                              std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now() - 2h));
  const auto query = fmt::format("?name={}&from={}&to={}", httplib::detail::encode_query_param("Bo Sample"),
                                 httplib::detail::encode_query_param(from), httplib::detail::encode_query_param(to));
  for (const char* question : {"/api/q1", "/api/q2"}) {
    const auto original = http_get(ports[0], question + query);
    ASSERT_EQ(original.status, 200) << original.body;
    const auto bucketed = http_get(ports[1], question + query);
    EXPECT_EQ(bucketed.status, 200) << bucketed.body;
    EXPECT_EQ(bucketed.body, original.body) << question;
  }
  // A person with no ratings is unknown in both.
  const auto unknown = fmt::format("?name=Nobody&from={}&to={}", httplib::detail::encode_query_param(from),
                                   httplib::detail::encode_query_param(to));
  EXPECT_EQ(http_get(ports[1], "/api/q1" + unknown).status, http_get(ports[0], "/api/q1" + unknown).status);

  dashboards.clear();
  session.execute("DROP KEYSPACE IF EXISTS " + keyspace);
}

}  // namespace
}  // namespace ratingstream::dashboard_test
