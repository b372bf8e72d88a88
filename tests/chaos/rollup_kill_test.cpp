// kill -9 of a processor that writes rows and keeps hourly rollups, then a second run to the end:
// every rollup equals the sum of its hour's expected rows exactly, no mark is left, and Q1 from
// the rollups equals the scan (docs/data-over-time.md, "Hourly rollups").

#include <gtest/gtest.h>

#include "chaos_fixtures.hpp"
#include "query/questions.hpp"
#include "store/hour_rollups.hpp"

namespace ratingstream::chaos_test {
namespace {

constexpr int kRecords = 40'000;  // a second apart: about 11 hours, 97 people
constexpr int kPartitions = 3;

TEST(ChaosRollupKill, KillNineWhileWritingRowsAndRollupsThenTheRollupsAreExact) {
  const std::string topic = testing::unique_name("chaos_rollups");
  const std::string keyspace = testing::unique_name("chaos_rollups");
  const KeyspaceDropper dropper(keyspace);
  const std::string group = testing::unique_name("chaos_rollups");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  create_topic(topic, kPartitions);
  ExpectedRows expected;
  expected.produce_load(topic, kPartitions, 0, kRecords);

  const auto schema =
      testing::run_ratingstream({"schema", "--keyspace", keyspace, "--table", "movie_ratings", "--rollups"});
  ASSERT_EQ(schema.exit_code, 0) << schema.err;

  const std::vector<std::string> common = testing::processor_command(
      topic, keyspace, group, catalogue, {"--progress", "json", "-X", "session.timeout.ms=6000"});
  auto session = cassandra();
  {
    auto args = common;
    args.insert(args.end(), {"--trigger", "0", "--max-records-per-trigger", "500", "--max-in-flight", "4"});
    Background first(args, dir.path(), "first");
    ASSERT_TRUE(testing::eventually([&] { return count_rows(session, keyspace) >= 12'000 || !first.running(); }, 120s))
        << first.err();
    ASSERT_TRUE(first.running()) << "the first run ended before it could be killed:\n" << first.err();
    ASSERT_NE(first.err().find("with hourly rollups"), std::string::npos) << first.err();
    first.signal(SIGKILL);
    ASSERT_EQ(first.wait(30s), -SIGKILL);
    ASSERT_LT(count_rows(session, keyspace), kRecords) << "not killed in the middle of the run";
  }
  // Its marks are stale after 3 s: the second run's sweeps take them.
  auto args = common;
  args.insert(args.end(), {"--trigger", "1s", "--until-idle", "8s", "--rollup-stale-after", "3s"});
  const auto second = testing::run_ratingstream(args, 300s);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  expect_table_equals(read_rows(keyspace), expected.rows);

  // Each hour's figures from the expected rows, computed here.
  std::map<store::HourKey, store::HourSummary> sums;
  for (const auto& [id, row] : expected.rows) {
    const auto at = std::get<store::Timestamp>(row[1]);
    const auto duration = std::get_if<std::int32_t>(&row[5]);
    const auto rating = std::get_if<std::int32_t>(&row[8]);
    sums[{std::get<std::string>(row[0]), store::hour_of(at)}].add(duration ? std::optional(*duration) : std::nullopt,
                                                                  rating ? std::optional(*rating) : std::nullopt);
  }
  const store::TableRef table{keyspace, "movie_ratings"};
  store::HourRollups rollups(session, table, {}, std::nullopt);
  EXPECT_TRUE(rollups.all_marks().empty());
  std::map<store::HourKey, store::HourSummary> stored;
  auto pager = session.query("SELECT name, hour, ratings, with_duration, duration_sum, rating_sum FROM " + keyspace +
                             ".movie_ratings_hourly");
  while (auto row = pager.next()) {
    stored[{std::get<std::string>((*row)[0]), std::get<store::Timestamp>((*row)[1])}] = {
        std::get<std::int64_t>((*row)[2]), std::get<std::int64_t>((*row)[3]), std::get<std::int64_t>((*row)[4]),
        std::get<std::int64_t>((*row)[5])};
  }
  EXPECT_EQ(stored.size(), sums.size());
  for (const auto& [key, sum] : sums) {
    const auto it = stored.find(key);
    ASSERT_NE(it, stored.end()) << key.name << " at " << key.hour.millis;
    EXPECT_EQ(it->second, sum) << key.name << " at " << key.hour.millis;
  }
  query::Questions with(session, table), without(session, table, 5000, query::RollupUse::never);
  ASSERT_TRUE(with.uses_rollups());
  const query::TimeWindow all{store::Timestamp{kStartMs - 1}, store::Timestamp{kStartMs + kRecords * 1001LL}};
  for (int person = 0; person < 97; person += 24) {
    const std::string name = fmt::format("Person {}", person);
    const auto a = with.average_duration(name, all);
    const auto b = without.average_duration(name, all);
    EXPECT_EQ(a.rows(), b.rows());
    EXPECT_EQ(a.sum(), b.sum());
    EXPECT_EQ(a.without_duration(), b.without_duration());
  }
}

}  // namespace
}  // namespace ratingstream::chaos_test
