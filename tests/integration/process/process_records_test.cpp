// `ratingstream process` end to end against the real stack: known records, malformed ones of every
// reason and an unknown movie among them, produced to a fresh topic → exactly the expected rows in
// Cassandra (every column, ids = UUID v5 of the rating's content), exactly the rejected records
// in the dead-letter topic with their reasons, and progress counts that add up.

#include <gtest/gtest.h>

#include <ctime>

#include "process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

constexpr const char* kCatalogue =
    "show_id,title,director,country,release_year,rating,duration\n"
    "s1,Twin Harbours,Ottilie Marsh,United Kingdom,2011,PG-13,102\n"
    "s2,\"Salt, Smoke and Silver\",Tobias Ferrand,France,2021,TV-MA,117\n"
    "s3,Ζωή στο Λιμάνι,Eleni Marangou,Greece,2020,TV-14,88\n"
    "s4,Twin Harbours,Jun Takeda,Japan,2022,TV-MA,119\n";  // a duplicate title: the first row wins

const FilmColumns kTwinHarbours{"s1", "Ottilie Marsh", "United Kingdom", "PG-13", 2011, 102};
const FilmColumns kSaltSmoke{"s2", "Tobias Ferrand", "France", "TV-MA", 2021, 117};
const FilmColumns kZoi{"s3", "Eleni Marangou", "Greece", "TV-14", 2020, 88};

std::string rating_json(const std::string& name, const std::string& movie, const std::string& rating,
                        const std::string& timestamp) {
  return R"({"name":")" + name + R"(","movie":")" + movie + R"(","rating":)" + rating + R"(,"timestamp":")" +
         timestamp + R"("})";
}

struct Case {
  Outgoing record;
  std::int64_t offset;
  std::string reason;  // empty: not rejected
};

// The records, in produce order per partition (offsets 0.. in each of two partitions).
std::vector<Case> known_records() {
  const std::string big_movie(70 * 1024, 'x');
  return {
      {{0, "Ann", rating_json("Ann Lee", "Twin Harbours", "7", "2025-03-13T19:26:50.863211Z")}, 0, ""},
      {{0, "Bob", rating_json("Bob", "Nowhere Film", "4", "2025-03-13T19:26:50Z")}, 1, ""},  // unmatched
      {{0, "Bob", std::string(R"({"name": "Bob",)")}, 2, "malformed_json"},
      {{0, "Cy", std::string(R"({"name":"Cy","rating":3,"timestamp":"2025-03-13T19:26:50Z"})")}, 3, "missing_field"},
      {{0, "Cy", rating_json("Cy", "Twin Harbours", "\"7\"", "2025-03-13T19:26:50Z")}, 4, "bad_type"},
      {{0, "Eleni", rating_json("Eleni", "Ζωή στο Λιμάνι", "10", "2025-03-13T19:26:50.999999+02:00")}, 5, ""},
      {{1, "Dee", rating_json("Dee", "Twin Harbours", "0", "2025-03-13T19:26:50Z")}, 0, "rating_out_of_range"},
      {{1, "Dee", rating_json("Dee", "Twin Harbours", "5", "2025-02-30T10:00:00Z")}, 1, "bad_timestamp"},
      {{1, "Dee", rating_json("Dee", big_movie, "5", "2025-03-13T19:26:50Z")}, 2, "too_large"},
      {{1, std::nullopt, rating_json("Fay", "Salt, Smoke and Silver", "1", "2025-03-13T00:00:00Z")}, 3, ""},
      {{1, "Tom", std::nullopt}, 4, "malformed_json"},  // a null value
      {{1, "Gus", rating_json("Gus", "Salt, Smoke and Silver", "5", "2025-03-13T19:26:50.863211")}, 5, ""},
  };
}

// The rows the records above give (inner join unless `left`).
std::map<store::Uuid, TableRow> expected_rows(bool left) {
  std::vector<TableRow> rows{
      expected_row("Ann Lee", utc_us(2025, 3, 13, 19, 26, 50, 863'211), "Twin Harbours", 7, &kTwinHarbours),
      expected_row("Eleni", utc_us(2025, 3, 13, 17, 26, 50, 999'999), "Ζωή στο Λιμάνι", 10, &kZoi),
      expected_row("Fay", utc_us(2025, 3, 13, 0, 0, 0, 0), "Salt, Smoke and Silver", 1, &kSaltSmoke),
      expected_row("Gus", utc_us(2025, 3, 13, 19, 26, 50, 863'211), "Salt, Smoke and Silver", 5, &kSaltSmoke),
  };
  if (left) {
    rows.push_back(expected_row("Bob", utc_us(2025, 3, 13, 19, 26, 50, 0), "Nowhere Film", 4, nullptr));
  }
  std::map<store::Uuid, TableRow> out;
  for (auto& row : rows) {
    const auto id = std::get<store::Uuid>(row[2]);
    out.emplace(id, std::move(row));
  }
  return out;
}

class ProcessRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    create_topic(topic_, 2);
    std::vector<Outgoing> records;
    for (const auto& c : known_records()) records.push_back(c.record);
    produce(topic_, records);
    catalogue_ = dir_.write("catalogue.csv", kCatalogue);
  }
  void TearDown() override { drop_keyspace(keyspace_); }

  testing::CommandResult process(const std::vector<std::string>& extra, const std::string& group = {}) {
    std::vector<std::string> args{"process",
                                  "-t",
                                  topic_,
                                  "--keyspace",
                                  keyspace_,
                                  "--group",
                                  group.empty() ? group_ : group,
                                  "--catalog",
                                  catalogue_.string(),
                                  "--starting-offsets",
                                  "earliest",
                                  "--trigger",
                                  "1s",
                                  "--until-idle",
                                  "5s",
                                  "--progress",
                                  "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::run_ratingstream(args, 180s);
  }

  const std::string topic_ = testing::unique_name("it_process_records");
  const std::string keyspace_ = testing::unique_name("it_process_records");
  const std::string group_ = testing::unique_name("it_process_group");
  testing::TempDir dir_;
  std::filesystem::path catalogue_;
};

TEST_F(ProcessRecords, WritesExactlyTheValidRowsAndDeadLettersEveryRejectedRecord) {
  const std::string dead_letters = topic_ + "_dlq";
  const auto result = process({"--dead-letter-topic", dead_letters});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  expect_table_equals(read_rows(keyspace_), expected_rows(false));

  // Progress lines: the counts add up to the records produced.
  EXPECT_EQ(sum_progress(result.err, "records_in"), 12) << result.err;
  EXPECT_EQ(sum_progress(result.err, "written"), 4) << result.err;
  EXPECT_EQ(sum_progress(result.err, "unmatched"), 1) << result.err;
  EXPECT_EQ(sum_progress(result.err, "rejected"), 7) << result.err;
  for (const char* reason : {"rating_out_of_range", "bad_timestamp", "too_large", "missing_field", "bad_type"}) {
    EXPECT_EQ(sum_progress(result.err, reason), 1) << reason << "\n" << result.err;
  }
  EXPECT_EQ(sum_progress(result.err, "malformed_json"), 2) << result.err;

  // The dead-letter topic holds exactly the rejected records: key, value and headers.
  const auto letters = consume_all(dead_letters, 2);
  std::map<std::pair<std::int32_t, std::int64_t>, Consumed> by_source;
  for (const auto& letter : letters) {
    EXPECT_EQ(letter.headers.at("source.topic"), topic_);
    EXPECT_FALSE(letter.headers.at("detail").empty());
    const auto source = std::make_pair(std::stoi(letter.headers.at("source.partition")),
                                       std::stoll(letter.headers.at("source.offset")));
    EXPECT_TRUE(by_source.emplace(source, letter).second)
        << "dead-lettered twice: " << source.first << "/" << source.second;
  }
  std::size_t rejected = 0;
  for (const auto& c : known_records()) {
    if (c.reason.empty()) continue;
    ++rejected;
    const auto it = by_source.find({c.record.partition, c.offset});
    if (it == by_source.end()) {
      ADD_FAILURE() << "not dead-lettered: " << c.record.partition << "/" << c.offset << " (" << c.reason << ")";
      continue;
    }
    EXPECT_EQ(it->second.headers.at("reason"), c.reason) << c.record.partition << "/" << c.offset;
    EXPECT_EQ(it->second.key, c.record.key) << c.record.partition << "/" << c.offset;
    EXPECT_EQ(it->second.value, c.record.value) << c.record.partition << "/" << c.offset;
  }
  EXPECT_EQ(letters.size(), rejected);
}

// The processor reads the layout from the table `schema` made: the same rows, each in the
// partition of its person and UTC hour.
TEST_F(ProcessRecords, ABucketedTableGetsTheSameRowsEachInTheBucketOfItsTime) {
  const auto schema =
      testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--layout", "bucketed", "--bucket", "hour"});
  ASSERT_EQ(schema.exit_code, 0) << schema.err;
  EXPECT_NE(schema.out.find("bucketed by hour"), std::string::npos) << schema.out;
  const auto result = process({});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("(bucketed by hour; trigger"), std::string::npos) << result.err;
  expect_table_equals(read_rows(keyspace_), expected_rows(false));
  auto session = cassandra();
  auto pager = session.query("SELECT bucket, timestamp FROM " + keyspace_ + ".movie_ratings");
  int rows = 0;
  while (const auto row = pager.next()) {
    const auto bucket = std::get<store::Timestamp>((*row)[0]).millis;
    const auto at = std::get<store::Timestamp>((*row)[1]).millis;
    EXPECT_EQ(bucket, at - (at % 3'600'000)) << at;
    ++rows;
  }
  EXPECT_EQ(rows, 4);
}

// A table with a retention: each row expires by its rating's time (the records are of
// 2025-03-13), and a record already past it is counted as expired, not written, and committed.
TEST_F(ProcessRecords, RowsExpireByTheirRatingsTimeAndRecordsPastRetentionAreCountedExpired) {
  const auto schema = testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--retention", "100d"});
  ASSERT_EQ(schema.exit_code, 0) << schema.err;
  EXPECT_NE(schema.out.find("rows kept 100d after their rating's time"), std::string::npos) << schema.out;
  const auto expired = process({});
  ASSERT_EQ(expired.exit_code, 0) << expired.err;
  EXPECT_EQ(sum_progress(expired.err, "expired"), 4) << expired.err;
  EXPECT_EQ(sum_progress(expired.err, "written"), 0) << expired.err;
  EXPECT_EQ(sum_progress(expired.err, "unmatched"), 1) << expired.err;
  EXPECT_TRUE(read_rows(keyspace_).empty());
  EXPECT_EQ(sum_progress(process({}).err, "records_in"), 0);  // their offsets were committed

  // Longer than the records' age: written, each living what is left of it.
  const auto longer = testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--retention", "2000d"});
  ASSERT_EQ(longer.exit_code, 0) << longer.err;
  EXPECT_NE(longer.out.find("retention of " + keyspace_ + ".movie_ratings set to 2000d (was 100d)"), std::string::npos)
      << longer.out;
  const auto written = process({}, testing::unique_name("it_process_group"));
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(sum_progress(written.err, "written"), 4) << written.err;
  expect_table_equals(read_rows(keyspace_), expected_rows(false));
  auto session = cassandra();
  auto pager = session.query("SELECT timestamp, TTL(movie) FROM " + keyspace_ + ".movie_ratings");
  const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  int rows = 0;
  while (const auto row = pager.next()) {
    const auto rated_s = std::get<store::Timestamp>((*row)[0]).millis / 1000;
    const auto ttl = std::get<std::int32_t>((*row)[1]);
    const auto expected = rated_s + 2000LL * 86'400 - now_s;
    EXPECT_NEAR(ttl, expected, 120) << rated_s;
    ++rows;
  }
  EXPECT_EQ(rows, 4);
}

TEST_F(ProcessRecords, LeftJoinKeepsUnknownMoviesWithNullCatalogueColumns) {
  const auto result = process({"--join", "left"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_table_equals(read_rows(keyspace_), expected_rows(true));
  EXPECT_EQ(sum_progress(result.err, "records_in"), 12) << result.err;
  EXPECT_EQ(sum_progress(result.err, "written"), 5) << result.err;
  EXPECT_EQ(sum_progress(result.err, "unmatched"), 0) << result.err;
  EXPECT_EQ(sum_progress(result.err, "rejected"), 7) << result.err;
}

// An unmatched row's film columns are left unset, not written as nulls (a tombstone per column):
// a value already there survives the same row written again.
TEST_F(ProcessRecords, LeftJoinLeavesTheFilmColumnsOfAnUnknownMovieUntouched) {
  ASSERT_EQ(process({"--join", "left"}).exit_code, 0);
  auto session = cassandra();
  const std::string table = keyspace_ + ".movie_ratings";
  auto pager =
      session.query("SELECT name, timestamp, id FROM " + table + " WHERE movie = 'Nowhere Film' ALLOW FILTERING");
  const auto key = pager.next();
  ASSERT_TRUE(key);
  const store::BoundValue where[] = {store::BoundValue::of_text(std::get<std::string>((*key)[0])),
                                     store::BoundValue::of_timestamp(std::get<store::Timestamp>((*key)[1])),
                                     store::BoundValue::of_uuid(std::get<store::Uuid>((*key)[2]))};
  session.execute("UPDATE " + table + " SET director = 'Set By Hand' WHERE name = ? AND timestamp = ? AND id = ?",
                  where);
  // Read again from the start by another group: the same row written once more.
  const auto again = process({"--join", "left"}, testing::unique_name("it_process_group"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(sum_progress(again.err, "written"), 5) << again.err;
  auto director =
      session.query("SELECT director FROM " + table + " WHERE name = ? AND timestamp = ? AND id = ?", where);
  const auto row = director.next();
  ASSERT_TRUE(row);
  EXPECT_EQ((*row)[0], store::Value(std::string("Set By Hand")));
}

TEST_F(ProcessRecords, ARestartWithTheSameGroupReadsNothingTwice) {
  ASSERT_EQ(process({}).exit_code, 0);
  const auto again = process({});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(sum_progress(again.err, "records_in"), 0) << again.err;  // every offset was committed
  expect_table_equals(read_rows(keyspace_), expected_rows(false));
}

TEST_F(ProcessRecords, OneRequestPerRowWritesTheSameTable) {
  // --batch-rows 1 turns the single-partition batches off: the same rows, one request each.
  const auto result = process({"--batch-rows", "1"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_table_equals(read_rows(keyspace_), expected_rows(false));
}

TEST(ProcessInput, BadBatchRowsIsExit2WithOneLineNamingTheFlag) {
  for (const char* value : {"0", "1001", "many"}) {
    const auto result = testing::run_ratingstream({"process", "--batch-rows", value}, 60s);
    EXPECT_EQ(result.exit_code, 2) << value << ": " << result.err;
    EXPECT_NE(result.err.find("--batch-rows"), std::string::npos) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
}

TEST(ProcessInput, BadCatalogueIsExit2WithOneLine) {
  testing::TempDir dir;
  const auto bad =
      dir.write("bad.csv", "show_id,title,director,country,release_year,rating,duration\ns1,T,D,C,soon,PG,90\n");
  for (const auto& path : {bad.string(), (dir.path() / "missing.csv").string()}) {
    const auto result = testing::run_ratingstream({"process", "--catalog", path}, 60s);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find(path), std::string::npos) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
}

}  // namespace
}  // namespace ratingstream::process_test
