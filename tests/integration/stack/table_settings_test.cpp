// A ratings table against the real Kafka and Cassandra: its time zone is recorded with it, so a
// replay of zone-less records under another --timezone cannot store them a second time, and a
// table of the same name with other columns is refused up front (exit 2) by `process` as by
// `schema`.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../process/process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

// A rating without a zone in its timestamp, as the original producer wrote them (local time).
Outgoing zone_less_rating(int i) {
  return {0, "Ann",
          fmt::format(R"({{"name":"Ann","movie":"Ζωή στο Λιμάνι","rating":{},"timestamp":"{}"}})", i % 10 + 1,
                      fmt::format("2025-03-13T19:26:{:02d}.{:06d}", i % 60, 1000 + i))};
}

class TableSettingsTest : public ::testing::Test {
 protected:
  void TearDown() override { drop_keyspace(keyspace_); }

  testing::CommandResult process(const std::vector<std::string>& extra) {
    std::vector<std::string> args{"process",
                                  "-t",
                                  topic_,
                                  "--keyspace",
                                  keyspace_,
                                  "--group",
                                  testing::unique_name("it_zone_group"),
                                  "--starting-offsets",
                                  "earliest",
                                  "--trigger",
                                  "0",
                                  "--until-idle",
                                  "1s"};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::run_ratingstream(args, 120s);
  }

  // The zone recorded for movie_ratings; "" when none.
  std::string recorded_zone() {
    try {
      auto session = cassandra();
      auto pager = session.query("SELECT local_time_zone FROM " + keyspace_ +
                                 ".ratingstream_tables WHERE table_name = 'movie_ratings'");
      const auto row = pager.next();
      if (!row) return "";
      const auto* zone = std::get_if<std::string>(&(*row)[0]);
      return zone ? *zone : "";
    } catch (const std::exception& e) {
      return std::string("(cannot read it: ") + e.what() + ")";
    }
  }

  std::string topic_ = testing::unique_name("it_zone");
  std::string keyspace_ = testing::unique_name("it_zone");
};

TEST_F(TableSettingsTest, AReplayUnderAnotherTimezoneIsRefusedAndWithoutOneUsesTheTablesZone) {
  constexpr int kRecords = 20;
  create_topic(topic_, 1);
  std::vector<Outgoing> records;
  for (int i = 0; i < kRecords; ++i) records.push_back(zone_less_rating(i));
  produce(topic_, records);

  const auto first = process({"--timezone", "Europe/Athens"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto written = read_rows(keyspace_);
  ASSERT_EQ(written.size(), static_cast<std::size_t>(kRecords));
  EXPECT_EQ(recorded_zone(), "Europe/Athens");
  // 19:26 in Athens (UTC+2 in March) is 17:26 UTC.
  const auto& some_row = written.begin()->second;
  EXPECT_EQ(std::get<store::Timestamp>(some_row[1]).millis / 3'600'000 % 24, 17) << describe(some_row);

  // A replay by a process configured with another zone (a flag changed, a group member set up
  // differently): refused before anything is written, naming both zones.
  for (const auto& how : std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>>{
           {{"--timezone", "UTC"}, {}}, {{}, {"RATINGSTREAM_TIMEZONE=UTC"}}}) {
    std::vector<std::string> args{"process",
                                  "-t",
                                  topic_,
                                  "--keyspace",
                                  keyspace_,
                                  "--group",
                                  testing::unique_name("it_zone_group"),
                                  "--starting-offsets",
                                  "earliest",
                                  "--trigger",
                                  "0",
                                  "--until-idle",
                                  "1s"};
    args.insert(args.end(), how.first.begin(), how.first.end());
    const auto replay = testing::run_ratingstream(args, 120s, how.second);
    EXPECT_EQ(replay.exit_code, 2) << replay.err;
    EXPECT_NE(replay.err.find("--timezone UTC differs from Europe/Athens, the time zone recorded for table " +
                              keyspace_ + ".movie_ratings"),
              std::string::npos)
        << replay.err;
    auto session = cassandra();
    EXPECT_EQ(count_rows(session, keyspace_), kRecords) << "rows were added";
  }

  // Without --timezone the table's zone is used: the same rows again, none added.
  const auto again = process({});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto session = cassandra();
  EXPECT_EQ(count_rows(session, keyspace_), kRecords);
  EXPECT_NE(again.err.find("read in Europe/Athens, the time zone of table"), std::string::npos) << again.err;
  expect_table_equals(read_rows(keyspace_), written);
}

TEST_F(TableSettingsTest, ATableWithoutSettingsGetsTheFirstProcessorsZone) {
  // A table as the original system (or an older ratingstream) made it: no settings table at all.
  {
    auto session = cassandra();
    session.execute("CREATE KEYSPACE " + keyspace_ +
                    " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}");
    session.execute("CREATE TABLE " + keyspace_ +
                    ".movie_ratings (name text, timestamp timestamp, id uuid, country text, director text, duration "
                    "int, movie text, rating text, rating_movie int, release_year int, show_id text, PRIMARY KEY "
                    "(name, timestamp, id)) WITH CLUSTERING ORDER BY (timestamp DESC, id ASC)");
  }
  create_topic(topic_, 1);
  produce(topic_, {zone_less_rating(1)});

  // `schema` without a zone leaves an existing table's zone to the first processor.
  const auto schema = testing::run_ratingstream({"schema", "--keyspace", keyspace_}, 60s);
  ASSERT_EQ(schema.exit_code, 0) << schema.err;
  EXPECT_NE(schema.out.find("no time zone recorded yet"), std::string::npos) << schema.out;
  EXPECT_EQ(recorded_zone(), "");

  const auto first = process({"--timezone", "Asia/Tokyo"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(recorded_zone(), "Asia/Tokyo");
  const auto other = process({"--timezone", "Europe/Athens"});
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_NE(other.err.find("--timezone Europe/Athens differs from Asia/Tokyo"), std::string::npos) << other.err;
  EXPECT_EQ(read_rows(keyspace_).size(), 1u);
}

TEST_F(TableSettingsTest, SchemaRecordsTheZoneOfANewTableAndRefusesAnotherLater) {
  const auto created = testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--timezone", "Europe/Athens"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.out.find("timestamps without a zone are read in Europe/Athens"), std::string::npos) << created.out;
  EXPECT_EQ(recorded_zone(), "Europe/Athens");

  const auto other = testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--timezone", "Etc/UTC"});
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_NE(other.err.find("--timezone UTC differs from Europe/Athens"), std::string::npos) << other.err;
  EXPECT_EQ(std::count(other.err.begin(), other.err.end(), '\n'), 1) << other.err;

  const auto same = testing::run_ratingstream({"schema", "--keyspace", keyspace_});
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(recorded_zone(), "Europe/Athens");

  // A table dropped and created again under the name is a new table: its old zone goes with it.
  cassandra().execute("DROP TABLE " + keyspace_ + ".movie_ratings");
  const auto recreated = testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--timezone", "UTC"});
  EXPECT_EQ(recreated.exit_code, 0) << recreated.err;
  EXPECT_EQ(recorded_zone(), "UTC");
}

TEST_F(TableSettingsTest, ATableWithOtherColumnsIsRefusedByProcessAndSchemaWithExit2) {
  {
    auto session = cassandra();
    session.execute("CREATE KEYSPACE " + keyspace_ +
                    " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}");
    session.execute("CREATE TABLE " + keyspace_ +
                    ".other (name text, timestamp timestamp, id uuid, score int, "
                    "PRIMARY KEY (name, timestamp, id)) WITH CLUSTERING ORDER BY (timestamp DESC, id ASC)");
    // The columns and key, but oldest first: not the table the queries and the dashboard expect.
    session.execute("CREATE TABLE " + keyspace_ +
                    ".ascending (name text, timestamp timestamp, id uuid, country text, director text, duration int, "
                    "movie text, rating text, rating_movie int, release_year int, show_id text, "
                    "PRIMARY KEY (name, timestamp, id))");
    // The right columns, another key: every row would land elsewhere.
    session.execute("CREATE TABLE " + keyspace_ +
                    ".rekeyed (id uuid PRIMARY KEY, name text, timestamp timestamp, country text, director text, "
                    "duration int, movie text, rating text, rating_movie int, release_year int, show_id text)");
  }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"other", "table " + keyspace_ + ".other exists but has no column country"},
      {"rekeyed", "table " + keyspace_ + ".rekeyed exists but column name is a regular column, not the partition key"},
      {"ascending", "table " + keyspace_ +
                        ".ascending exists but column timestamp is clustering column 1 (ASC), not clustering column 1 "
                        "(DESC)"},
  };
  for (const auto& [table, expected] : cases) {
    // No Kafka topic is needed: the table is checked before anything is read.
    const auto processed = testing::run_ratingstream(
        {"process", "-t", topic_, "--keyspace", keyspace_, "--table", table, "--until-idle", "1s"}, 60s);
    EXPECT_EQ(processed.exit_code, 2) << processed.err;
    EXPECT_NE(processed.err.find(expected), std::string::npos) << processed.err;
    EXPECT_NE(processed.err.find("choose another --table"), std::string::npos) << processed.err;
    EXPECT_EQ(processed.err.find("Undefined column"), std::string::npos) << processed.err;

    const auto schema = testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--table", table});
    EXPECT_EQ(schema.exit_code, 2) << schema.err;
    EXPECT_NE(schema.err.find(expected), std::string::npos) << schema.err;
    EXPECT_EQ(std::count(schema.err.begin(), schema.err.end(), '\n'), 1) << schema.err;
  }
}

}  // namespace
}  // namespace ratingstream::process_test
