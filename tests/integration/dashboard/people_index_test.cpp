// The people index of a bucketed table (docs/data-over-time.md, "The people index") against the
// real Cassandra: written by the processor's own sink, built by `schema` from rows already there,
// expiring with its bucket's rows, and read by the dashboard, which then finds a person whose
// newest rating is older than its look-back.

#include "store/people_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "../query/query_fixture.hpp"
#include "../query/sink_rows.hpp"
#include "dashboard/cassandra_ratings_source.hpp"
#include "observe/metrics.hpp"
#include "process/cassandra_sink.hpp"
#include "store/hour_rollups.hpp"

namespace ratingstream::dashboard_test {
namespace {

using namespace std::chrono_literals;
namespace rs_testing = ratingstream::testing;
using query_test::sink_row;

constexpr std::int64_t kDay = 86'400'000;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t day_of(std::int64_t ms) {
  return store::bucket_start(store::BucketSize::day, store::Timestamp{ms}).millis;
}

// name -> latest_bucket, as the index holds it.
std::map<std::string, std::int64_t> index_rows(store::Session& session, const store::TableRef& ratings) {
  std::map<std::string, std::int64_t> rows;
  auto pager = session.query("SELECT name, latest_bucket FROM " +
                             store::qualified_name(store::people_table_of(ratings), store::NameQuoting::for_cql));
  while (auto row = pager.next()) {
    rows[std::get<std::string>(row->at(0))] = std::get<store::Timestamp>(row->at(1)).millis;
  }
  return rows;
}

class PeopleIndex : public ::testing::Test {
 protected:
  void SetUp() override { keyspace_ = rs_testing::unique_name("it_people"); }
  void TearDown() override { session_.execute("DROP KEYSPACE IF EXISTS " + keyspace_); }

  store::TableRef make_table(const std::string& table, std::optional<std::chrono::seconds> retention = {}) {
    const store::TableRef ref{keyspace_, table};
    store::apply_schema(session_, ref, store::KeyspaceReplication{}, layout_, retention);
    store::enable_people_index(session_, ref, layout_, retention);
    return ref;
  }

  process::CassandraSink open(const store::TableRef& table) {
    process::SinkSettings settings;
    settings.retry.give_up_after = 30s;
    return std::move(process::CassandraSink::open({}, table, false, {}, settings, metrics_, stop_).value());
  }

  store::Session session_ = store::Session::connect({});
  std::string keyspace_;
  store::TableLayout layout_{store::BucketSize::day};
  observe::Metrics metrics_{{}};
  StopFlag stop_{false};
};

TEST_F(PeopleIndex, EachPersonsNewestBucketWinsWhateverOrderTheWritesComeIn) {
  const auto table = make_table("ratings");
  const std::int64_t now = now_ms();
  // Ann rated long ago only (past the dashboard's 400-day look-back), Bo on three days, Cy today.
  std::vector<process::Row> rows;
  for (int i = 0; i < 6; ++i) rows.push_back(sink_row("Ann Old", now - 500 * kDay + i * 60'000, i));
  for (const int days_ago : {2, 9, 30}) {
    for (int i = 0; i < 4; ++i) rows.push_back(sink_row("Bo Three Days", now - days_ago * kDay + i * 1000, 10 + i));
  }
  rows.push_back(sink_row("Cy Today", now - 1000, 99));
  // Newest first, in writes of 4 rows, each from a processor of its own (no entries remembered):
  // Bo's older days come in later writes than his newest.
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.timestamp.millis > b.timestamp.millis; });
  for (std::size_t first = 0; first < rows.size(); first += 4) {
    auto sink = open(table);
    const std::span<const process::Row> part(rows.data() + first, std::min<std::size_t>(4, rows.size() - first));
    ASSERT_TRUE(sink.write(part, stop_, {}).complete());
  }
  // Each person's newest day, from the rows themselves (so that midnight changes nothing).
  std::map<std::string, std::int64_t> expected;
  for (const auto& row : rows) expected[row.name] = std::max(expected[row.name], day_of(row.timestamp.millis));
  ASSERT_EQ(expected.at("Bo Three Days"), day_of(now - 2 * kDay + 3000));
  EXPECT_EQ(index_rows(session_, table), expected);

  // A replay of everything, oldest first, changes nothing.
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.timestamp.millis < b.timestamp.millis; });
  ASSERT_TRUE(open(table).write(rows, stop_, {}).complete());
  EXPECT_EQ(index_rows(session_, table), expected);

  // The dashboard reads it: everyone listed, and Ann's ratings found past the look-back.
  dashboard::CassandraRatingsSource source({}, table);
  auto people = source.people(10);
  std::sort(people.begin(), people.end());
  EXPECT_EQ(people, (std::vector<std::string>{"Ann Old", "Bo Three Days", "Cy Today"}));
  EXPECT_TRUE(source.has_ratings("Ann Old"));
  EXPECT_FALSE(source.has_ratings("Nobody Here"));
  const auto ann = source.recent("Ann Old", store::Timestamp{0}, 1, 10);
  ASSERT_EQ(ann.size(), 6u);
  EXPECT_EQ(ann.front().at.millis, now - 500 * kDay + 5 * 60'000);  // newest first
  const auto bo = source.recent("Bo Three Days", store::Timestamp{0}, 12, 12);
  ASSERT_EQ(bo.size(), 12u);
  EXPECT_EQ(bo.front().at.millis, now - 2 * kDay + 3000);
  EXPECT_EQ(bo.back().at.millis, now - 30 * kDay);
}

TEST_F(PeopleIndex, SchemaBuildsTheIndexOfATableThatHasRowsAlready) {
  const store::TableRef table{keyspace_, "ratings"};
  store::apply_schema(session_, table, store::KeyspaceReplication{}, layout_);
  // Rows written before the table had an index (by a processor of an earlier version).
  const std::int64_t now = now_ms();
  std::vector<query_test::KnownRow> rows;
  std::map<std::string, std::int64_t> expected;
  for (int p = 0; p < 30; ++p) {
    const std::string name = "Person " + std::to_string(p);
    for (int d = 0; d <= p % 5; ++d) {
      const std::int64_t at = now - (p * 3 + d * 7) * kDay;
      rows.push_back({name, at, "Film " + std::to_string(d), d % 10 + 1, std::nullopt});
      expected[name] = std::max(expected[name], day_of(at));
    }
  }
  query_test::insert_rows(session_, table, rows, 1, layout_);
  EXPECT_EQ(store::read_people_index_state(session_, table), store::DerivedTableState::absent);

  const auto result = rs_testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--table", "ratings"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("people index of " + keyspace_ + ".ratings kept from now on (30 people"), std::string::npos)
      << result.out;
  EXPECT_EQ(store::read_people_index_state(session_, table), store::DerivedTableState::complete);
  EXPECT_EQ(index_rows(session_, table), expected);
  // A processor started now keeps it: a rating of yesterday is newer than Person 29's built
  // bucket (87 days ago), though written after the build.
  ASSERT_TRUE(open(table).write(std::vector{sink_row("Person 29", now - kDay, 1)}, stop_, {}).complete());
  EXPECT_EQ(index_rows(session_, table).at("Person 29"), day_of(now - kDay));
  // Run again: nothing to build, nothing said.
  const auto again = rs_testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--table", "ratings"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.find("people index"), std::string::npos) << again.out;
}

TEST_F(PeopleIndex, AnEntryExpiresWithTheLastRowsOfItsBucket) {
  const auto table = make_table("kept", std::chrono::seconds(30 * 86'400));
  const std::int64_t now = now_ms();
  ASSERT_TRUE(
      open(table)
          .write(std::vector{sink_row("Dee Recent", now - 3 * kDay, 1), sink_row("Eve Expired", now - 40 * kDay, 2)},
                 stop_, {})
          .complete());
  // Eve's only rating is past retention: no row and no entry.
  EXPECT_EQ(index_rows(session_, table), (std::map<std::string, std::int64_t>{{"Dee Recent", day_of(now - 3 * kDay)}}));
  auto pager = session_.query("SELECT TTL(latest_bucket) FROM " +
                              store::qualified_name(store::people_table_of(table), store::NameQuoting::for_cql));
  const auto row = pager.next();
  ASSERT_TRUE(row);
  // Until 30 days after the end of Dee's day.
  const std::int64_t expected_s = (day_of(now - 3 * kDay) + kDay + 30 * kDay - now) / 1000;
  EXPECT_NEAR(static_cast<double>(std::get<std::int32_t>(row->at(0))), static_cast<double>(expected_s), 60);
}

TEST_F(PeopleIndex, SchemaPrintShowsTheIndexOfABucketedTableAndALongNameIsRefused) {
  const auto printed = rs_testing::run_ratingstream({"schema", "--layout", "bucketed", "--bucket", "week", "--print"});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("CREATE TABLE IF NOT EXISTS netflix.movie_ratings_people"), std::string::npos)
      << printed.out;
  const auto original = rs_testing::run_ratingstream({"schema", "--print"});
  ASSERT_EQ(original.exit_code, 0) << original.err;
  EXPECT_EQ(original.out.find("_people"), std::string::npos) << original.out;
  const auto long_name = rs_testing::run_ratingstream(
      {"schema", "--layout", "bucketed", "--bucket", "day", "--table", std::string(42, 't'), "--print"});
  EXPECT_EQ(long_name.exit_code, 2) << long_name.err;
  EXPECT_NE(long_name.err.find("at most 41"), std::string::npos) << long_name.err;
}

TEST_F(PeopleIndex, ATableOfThatNameMadeBySomethingElseIsLeftAlone) {
  // Another table already holds the names the index and the rollups would take.
  session_.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace_ +
                   " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  session_.execute("CREATE TABLE " + keyspace_ + ".ratings_people (id int PRIMARY KEY, note text)");
  session_.execute("CREATE TABLE " + keyspace_ + ".ratings_hourly (id int PRIMARY KEY)");
  session_.await_schema_agreement();
  const auto made = rs_testing::run_ratingstream(
      {"schema", "--keyspace", keyspace_, "--table", "ratings", "--layout", "bucketed", "--bucket", "day"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.err.find(keyspace_ + ".ratings_people is another table, not a people index"), std::string::npos)
      << made.err;
  const store::TableRef table{keyspace_, "ratings"};
  EXPECT_EQ(store::read_people_index_state(session_, table), store::DerivedTableState::foreign);
  // A processor writes without an index (and without rollups), and the dashboard scans the keys.
  auto sink = open(table);
  EXPECT_FALSE(sink.keeps_rollups());
  ASSERT_TRUE(sink.write(std::vector{sink_row("Fay Fallback", now_ms() - kDay, 1)}, stop_, {}).complete());
  dashboard::CassandraRatingsSource source({}, table);
  EXPECT_EQ(source.people(10), std::vector<std::string>{"Fay Fallback"});
  EXPECT_EQ(source.recent("Fay Fallback", store::Timestamp{0}, 1, 10).size(), 1u);
  // Rollups asked for explicitly: refused, naming the table in the way.
  const auto rollups =
      rs_testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--table", "ratings", "--rollups"});
  EXPECT_EQ(rollups.exit_code, 2) << rollups.err;
  EXPECT_NE(rollups.err.find(keyspace_ + ".ratings_hourly exists and is not ratingstream's hourly rollups"),
            std::string::npos)
      << rollups.err;
  // The other tables are untouched.
  EXPECT_EQ(store::read_table_comment(session_, {keyspace_, "ratings_people"}), std::optional<std::string>(""));
}

TEST_F(PeopleIndex, ATableNameTooLongForTheSideTablesStillTakesRowsAndAnswers) {
  // 45 characters: a valid table name, too long for a people index and for rollups.
  const store::TableRef table{keyspace_, std::string(45, 'l')};
  store::apply_schema(session_, table, store::KeyspaceReplication{}, layout_);
  EXPECT_EQ(store::read_people_index_state(session_, table), store::DerivedTableState::absent);
  EXPECT_EQ(store::read_rollup_state(session_, table), store::RollupState::absent);
  auto sink = open(table);
  ASSERT_TRUE(sink.write(std::vector{sink_row("Gil Long", now_ms() - kDay, 1)}, stop_, {}).complete());
  dashboard::CassandraRatingsSource source({}, table);
  EXPECT_EQ(source.people(10), std::vector<std::string>{"Gil Long"});
  EXPECT_EQ(source.average_duration("Gil Long", {store::Timestamp{0}, store::Timestamp{now_ms()}}).rows(), 1);
}

}  // namespace
}  // namespace ratingstream::dashboard_test
