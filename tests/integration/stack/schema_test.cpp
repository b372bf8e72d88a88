// ratingstream schema against the real Cassandra: idempotent, and the table read back from
// system_schema is the ratings table of docs/contract.md, "The table".

#include "store/schema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "store/session.hpp"
#include "test_support.hpp"

using namespace ratingstream;
using namespace std::chrono_literals;
namespace rs_testing = ratingstream::testing;

namespace {

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override { session_ = std::make_unique<store::Session>(store::Session::connect({})); }
  void TearDown() override {
    if (session_) session_->execute("DROP KEYSPACE IF EXISTS " + keyspace_);
  }

  std::vector<std::vector<store::Value>> rows(const std::string& cql) {
    const store::BoundValue params[] = {store::BoundValue::of_text(keyspace_)};
    auto pager = session_->query(cql, params);
    std::vector<std::vector<store::Value>> out;
    while (auto row = pager.next()) out.push_back(std::move(*row));
    return out;
  }

  std::string keyspace_ = rs_testing::unique_name("it_schema");
  std::unique_ptr<store::Session> session_;
};

std::string text(const store::Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : "<not text>";
}

}  // namespace

TEST_F(SchemaTest, AppliedTwiceGivesTheSpecTable) {
  for (int run = 0; run < 2; ++run) {
    const auto r = rs_testing::run_ratingstream({"schema", "--keyspace", keyspace_}, 120s);
    ASSERT_EQ(r.exit_code, 0) << "run " << run << ": " << r.err;
    EXPECT_NE(r.out.find("schema ready: " + keyspace_ + ".movie_ratings"), std::string::npos) << r.out;
  }

  // Columns, types and key roles.
  std::map<std::string, std::vector<std::string>> columns;  // name -> {type, kind, position, order}
  for (const auto& row : rows("SELECT column_name, type, kind, position, clustering_order "
                              "FROM system_schema.columns WHERE keyspace_name = ? AND table_name = 'movie_ratings'")) {
    const auto* position = std::get_if<std::int32_t>(&row[3]);
    columns[text(row[0])] = {text(row[1]), text(row[2]), std::to_string(position ? *position : -99), text(row[4])};
  }
  const std::map<std::string, std::vector<std::string>> expected = {
      {"name", {"text", "partition_key", "0", "none"}},   {"timestamp", {"timestamp", "clustering", "0", "desc"}},
      {"id", {"uuid", "clustering", "1", "asc"}},         {"country", {"text", "regular", "-1", "none"}},
      {"director", {"text", "regular", "-1", "none"}},    {"duration", {"int", "regular", "-1", "none"}},
      {"movie", {"text", "regular", "-1", "none"}},       {"rating", {"text", "regular", "-1", "none"}},
      {"rating_movie", {"int", "regular", "-1", "none"}}, {"release_year", {"int", "regular", "-1", "none"}},
      {"show_id", {"text", "regular", "-1", "none"}},
  };
  EXPECT_EQ(columns, expected);

  // Keyspace: SimpleStrategy, replication factor 1, durable writes.
  const auto ks = rows("SELECT durable_writes, replication FROM system_schema.keyspaces WHERE keyspace_name = ?");
  ASSERT_EQ(ks.size(), 1u);
  EXPECT_EQ(std::get<bool>(ks[0][0]), true);
}

TEST_F(SchemaTest, PrintShowsTheCqlWithoutConnecting) {
  const auto r =
      rs_testing::run_ratingstream({"schema", "--print", "--cassandra", "127.0.0.1:1", "--keyspace", keyspace_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CREATE KEYSPACE IF NOT EXISTS " + keyspace_), std::string::npos);
  EXPECT_NE(r.out.find("PRIMARY KEY (name, timestamp, id)"), std::string::npos);
  EXPECT_NE(r.out.find("CLUSTERING ORDER BY (timestamp DESC, id ASC)"), std::string::npos);
  EXPECT_FALSE(store::table_exists(*session_, {keyspace_, "movie_ratings"}));
}

TEST_F(SchemaTest, UnreachableCassandraIsOneLineNamingTheAddressAndExit1) {
  const auto started = std::chrono::steady_clock::now();
  const auto r = rs_testing::run_ratingstream({"schema", "--cassandra", "127.0.0.1:1"}, 60s);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
}

TEST_F(SchemaTest, BadKeyspaceNameIsAUsageError) {
  const auto r = rs_testing::run_ratingstream({"schema", "--keyspace", "no-dashes"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--keyspace"), std::string::npos) << r.err;
}

TEST_F(SchemaTest, ABucketedTableIsCreatedFromTheEnvironmentAndKeepsItsLayout) {
  const auto r = rs_testing::run_ratingstream({"schema", "--keyspace", keyspace_}, 60s,
                                              {"RATINGSTREAM_LAYOUT=bucketed", "RATINGSTREAM_BUCKET=week"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("bucketed by week"), std::string::npos) << r.out;
  EXPECT_EQ(store::read_table_layout(*session_, {keyspace_, "movie_ratings"}),
            store::TableLayout{store::BucketSize::week});
  // Run again without a layout: the table's own is kept and said.
  const auto again = rs_testing::run_ratingstream({"schema", "--keyspace", keyspace_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("bucketed by week"), std::string::npos) << again.out;
  // Asking for another one is exit 2, one line naming both.
  const auto other =
      rs_testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--layout", "bucketed", "--bucket", "day"});
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_NE(other.err.find("bucketed by week, not bucketed by day"), std::string::npos) << other.err;
  EXPECT_EQ(std::count(other.err.begin(), other.err.end(), '\n'), 1) << other.err;
}

TEST_F(SchemaTest, LayoutFlagsThatAreNotOneAreUsageErrorsNamingThem) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--layout", "buckets"}, "--layout"},
      {{"--layout", "bucketed", "--bucket", "year"}, "--bucket"},
      {{"--bucket", "day"}, "--bucket"},  // a bucket for the original layout
      {{"--expected-rate", "0"}, "--expected-rate"},
      {{"--expected-rate", "fast"}, "--expected-rate"},
  };
  for (const auto& [flags, named] : cases) {
    std::vector<std::string> args{"schema", "--print", "--keyspace", keyspace_};
    args.insert(args.end(), flags.begin(), flags.end());
    const auto r = rs_testing::run_ratingstream(args);
    EXPECT_EQ(r.exit_code, 2) << flags.front() << ": " << r.err;
    EXPECT_NE(r.err.find(named), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(SchemaTest, TheExpectedRateSaysWhatAPartitionReachesAndWarnsPastTheGuidance) {
  const auto month = rs_testing::run_ratingstream(
      {"schema", "--print", "--layout", "bucketed", "--bucket", "month", "--expected-rate", "0.1"});
  ASSERT_EQ(month.exit_code, 0) << month.err;
  EXPECT_NE(month.out.find("at most 267840 rows"), std::string::npos) << month.out;
  EXPECT_NE(month.err.find("choose a smaller --bucket"), std::string::npos) << month.err;
  EXPECT_NE(month.out.find("comment = 'ratingstream: bucket=month'"), std::string::npos) << month.out;
  const auto day = rs_testing::run_ratingstream(
      {"schema", "--print", "--layout", "bucketed", "--bucket", "day", "--expected-rate", "0.1"});
  ASSERT_EQ(day.exit_code, 0) << day.err;
  EXPECT_NE(day.out.find("at most 8640 rows"), std::string::npos) << day.out;
  EXPECT_EQ(day.err, "");
  const auto original = rs_testing::run_ratingstream({"schema", "--print", "--expected-rate", "0.1"});
  EXPECT_NE(original.err.find("after 11.6 days"), std::string::npos) << original.err;
}

TEST_F(SchemaTest, ARetentionIsTheTablesTimeToLiveWithTimeWindowCompaction) {
  const auto r = rs_testing::run_ratingstream(
      {"schema", "--keyspace", keyspace_, "--layout", "bucketed", "--bucket", "week", "--retention", "400d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(store::read_retention(*session_, {keyspace_, "movie_ratings"}), std::chrono::seconds{400 * 86'400});
  const auto compaction = rows(
      "SELECT compaction['class'], compaction['compaction_window_size'] FROM system_schema.tables WHERE "
      "keyspace_name = ? AND table_name = 'movie_ratings'");
  ASSERT_EQ(compaction.size(), 1u);
  EXPECT_NE(text(compaction[0][0]).find("TimeWindowCompactionStrategy"), std::string::npos) << text(compaction[0][0]);
  EXPECT_EQ(text(compaction[0][1]), "7");
  for (const char* bad : {"0", "1.5d", "500ms", "7301d", "forever"}) {
    const auto refused = rs_testing::run_ratingstream({"schema", "--print", "--retention", bad});
    EXPECT_EQ(refused.exit_code, 2) << bad << ": " << refused.err;
    EXPECT_NE(refused.err.find("--retention"), std::string::npos) << refused.err;
  }
}
