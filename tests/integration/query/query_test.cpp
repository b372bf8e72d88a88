// `ratingstream query` against the real Cassandra (scripts/stack up): rows of known values
// written to a keyspace of the test's own, then every question in every format, the window's
// edges and zones, results larger than one page, and empty results.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "query/questions.hpp"
#include "query_fixture.hpp"

using namespace ratingstream;
using namespace ratingstream::query_test;

namespace {

const std::string kMe = "Stelios Giagkos";
const std::string kBig = "Zoë Ångström";  // 6,000 ratings: more than one page
const std::string kOther = "Other Person";
constexpr int kBigRows = 6000;

// The duration of the big person's row i, and whether it is a left-join row (null duration).
std::int32_t big_duration(int i) { return (i * 7919) % 240 + 1; }
bool big_is_unmatched(int i) { return i % 1000 == 999; }

class QueryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    session_ = std::make_unique<store::Session>(store::Session::connect({}));
    store::apply_schema(*session_, {keyspace_, "movie_ratings"}, store::KeyspaceReplication{});
    store::apply_schema(*session_, {keyspace_, "empty_ratings"}, store::KeyspaceReplication{});

    using Film = KnownRow::Film;
    const auto at = [](int h, int mi, int s = 0, int ms = 0) { return utc_ms(2025, 3, 13, h, mi, s, ms); };
    std::vector<KnownRow> rows = {
        {kMe, at(18, 59, 59, 999), "Before", 3, Film{"s1", "Dir One", "Greece", "PG", 2001, 10}},
        {kMe, at(19, 0), "Heat", 9, Film{"s2", "Michael Mann", "United States", "R", 1995, 90}},
        {kMe, at(19, 30), "Crouching Tiger, Hidden Dragon", 8,
         Film{"s3", "Ang Lee", "Taiwan, China", "PG-13", 2000, 91}},
        {kMe, at(19, 45), "Amélie", 10, std::nullopt},  // not in the catalogue: a left-join row
        {kMe, at(19, 59, 59, 999), "The \"Real\" One", 1, Film{"s5", "Zoë Ångström", "France", "TV-MA", 2010, 91}},
        {kMe, at(20, 0), "After", 5, Film{"s6", "X", "Y", "R", 2020, 1000}},
        {kOther, at(19, 15), "Heat", 2, Film{"s2", "Michael Mann", "United States", "R", 1995, 90}},
    };
    insert_rows(*session_, {keyspace_, "movie_ratings"}, rows, 1);

    std::vector<KnownRow> big;
    for (int i = 0; i < kBigRows; ++i) {
      KnownRow r{kBig, utc_ms(2025, 1, 1) + i * 1000LL, "Film " + std::to_string(i), i % 10 + 1, std::nullopt};
      if (!big_is_unmatched(i)) r.film = Film{"b" + std::to_string(i), "D", "C", "R", 2000, big_duration(i)};
      big.push_back(std::move(r));
    }
    insert_rows(*session_, {keyspace_, "movie_ratings"}, big, 1000);
  }

  static void TearDownTestSuite() {
    if (session_) session_->execute("DROP KEYSPACE IF EXISTS " + keyspace_);
    session_.reset();
  }

  static rs_testing::CommandResult query(std::vector<std::string> args) {
    return run_query(keyspace_, std::move(args));
  }

  // Runs a query that must succeed and returns its stdout.
  static std::string ok(std::vector<std::string> args) {
    const auto r = query(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");  // stdout carries the data; nothing else is said on success
    return r.out;
  }

  // The objects of a JSON output, each as a parsed element (the parser keeps them alive).
  simdjson::dom::array json_rows(const std::string& text) {
    simdjson::dom::element doc;
    const auto error = parser_.parse(text).get(doc);
    EXPECT_EQ(error, simdjson::SUCCESS) << text;
    simdjson::dom::array array;
    EXPECT_EQ(doc.get_array().get(array), simdjson::SUCCESS) << text;
    return array;
  }

  static inline std::string keyspace_ = rs_testing::unique_name("it_query");
  static inline std::unique_ptr<store::Session> session_;
  simdjson::dom::parser parser_;
};

// The window of my ratings 19:00 to 20:00 holds Heat (at 19:00), Crouching Tiger, Amélie
// (no duration) and The "Real" One (at 19:59:59.999); not Before (18:59:59.999) nor After (20:00).
const std::vector<std::string> kMyHour = {"--name", kMe, "--from", "2025-03-13T19:00:00Z", "--to", "2025-03-13 20:00"};

// The cells of a line of the table, without their padding.
std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const auto end = line.find(" | ", start);
    const std::string_view cell = std::string_view(line).substr(start, end == std::string::npos ? end : end - start);
    cells.emplace_back(trim(cell, " "));
    if (end == std::string::npos) return cells;
    start = end + 3;
  }
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST_F(QueryTest, AverageDurationTableIsExactAndCountsRowsWithoutDuration) {
  // (90 + 91 + 91) / 3 = 90.67; CQL's AVG over the int column would say 90.
  EXPECT_EQ(ok(with({"avg-duration"}, kMyHour)),
            " name            | from                            | to                              | ratings | "
            "without_duration | avg_duration\n"
            "-----------------+---------------------------------+---------------------------------+---------+----------"
            "--------+--------------\n"
            " Stelios Giagkos | 2025-03-13 19:00:00.000000+0000 | 2025-03-13 20:00:00.000000+0000 |       4 |          "
            "      1 |        90.67\n"
            "\n"
            "(1 rows)\n");
}

TEST_F(QueryTest, AverageDurationCsvAndJson) {
  EXPECT_EQ(ok(with({"avg-duration", "--format", "csv"}, kMyHour)),
            "name,from,to,ratings,without_duration,avg_duration\r\n"
            "Stelios Giagkos,2025-03-13 19:00:00.000000+0000,2025-03-13 20:00:00.000000+0000,4,1,90.67\r\n");
  EXPECT_EQ(
      ok(with({"avg-duration", "--format", "json"}, kMyHour)),
      "[\n{\"name\":\"Stelios Giagkos\",\"from\":\"2025-03-13 19:00:00.000000+0000\","
      "\"to\":\"2025-03-13 20:00:00.000000+0000\",\"ratings\":4,\"without_duration\":1,\"avg_duration\":90.67}\n]\n");
}

TEST_F(QueryTest, AverageDurationOverMoreThanOnePageIsExact) {
  std::int64_t sum = 0;
  std::int64_t with_duration = 0;
  for (int i = 0; i < kBigRows; ++i) {
    if (big_is_unmatched(i)) continue;
    sum += big_duration(i);
    ++with_duration;
  }
  const std::int64_t hundredths = (200 * sum + with_duration) / (2 * with_duration);  // rounded half up
  const std::string expected_average =
      std::to_string(hundredths / 100) + "." + (hundredths % 100 < 10 ? "0" : "") + std::to_string(hundredths % 100);

  const auto out =
      ok({"avg-duration", "--name", kBig, "--from", "2025-01-01", "--to", "2025-01-02", "--format", "csv"});
  EXPECT_EQ(out, "name,from,to,ratings,without_duration,avg_duration\r\n" + kBig +
                     ",2025-01-01 00:00:00.000000+0000,2025-01-02 00:00:00.000000+0000,6000,6," + expected_average +
                     "\r\n");

  // What the README says of CQL's AVG: over an int column it truncates to an int.
  const store::BoundValue bounds[] = {store::BoundValue::of_text(kBig),
                                      store::BoundValue::of_timestamp({utc_ms(2025, 1, 1)}),
                                      store::BoundValue::of_timestamp({utc_ms(2025, 1, 2)})};
  auto cql_avg = session_->query(
      "SELECT AVG(duration) FROM " + keyspace_ + ".movie_ratings WHERE name = ? AND timestamp >= ? AND timestamp < ?",
      bounds);
  const auto row = cql_avg.next();
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->at(0), store::Value(static_cast<std::int32_t>(sum / with_duration)));
  EXPECT_NE(hundredths % 100, 0) << "the data must have a fraction for the comparison to mean anything";
}

TEST_F(QueryTest, MoviesTableNewestFirst) {
  EXPECT_EQ(ok(with({"movies"}, kMyHour)),
            " timestamp                       | movie\n"
            "---------------------------------+--------------------------------\n"
            " 2025-03-13 19:59:59.999000+0000 |                 The \"Real\" One\n"
            " 2025-03-13 19:45:00.000000+0000 |                         Amélie\n"
            " 2025-03-13 19:30:00.000000+0000 | Crouching Tiger, Hidden Dragon\n"
            " 2025-03-13 19:00:00.000000+0000 |                           Heat\n"
            "\n"
            "(4 rows)\n");
}

TEST_F(QueryTest, MoviesCsvQuotesAndJsonParses) {
  EXPECT_EQ(ok(with({"movies", "--format", "csv"}, kMyHour)),
            "timestamp,movie\r\n"
            "2025-03-13 19:59:59.999000+0000,\"The \"\"Real\"\" One\"\r\n"
            "2025-03-13 19:45:00.000000+0000,Amélie\r\n"
            "2025-03-13 19:30:00.000000+0000,\"Crouching Tiger, Hidden Dragon\"\r\n"
            "2025-03-13 19:00:00.000000+0000,Heat\r\n");

  const auto rows = json_rows(ok(with({"movies", "--format", "json"}, kMyHour)));
  std::vector<std::string> movies;
  for (auto object : rows) movies.emplace_back(std::string_view(object["movie"]));
  EXPECT_EQ(movies, (std::vector<std::string>{"The \"Real\" One", "Amélie", "Crouching Tiger, Hidden Dragon", "Heat"}));
  EXPECT_EQ(std::string_view(rows.at(0)["timestamp"]), "2025-03-13 19:59:59.999000+0000");
}

TEST_F(QueryTest, MoviesByHourIsTheSameWindow) {
  EXPECT_EQ(ok({"movies", "--name", kMe, "--hour", "2025-03-13 19", "--format", "csv"}),
            ok(with({"movies", "--format", "csv"}, kMyHour)));
  EXPECT_EQ(lines_of(ok({"movies", "--name", kMe, "--hour", "2025-03-13 20", "--format", "csv"})),
            (std::vector<std::string>{"timestamp,movie", "2025-03-13 20:00:00.000000+0000,After"}));
}

TEST_F(QueryTest, MoviesPastOnePageReturnsEveryRowOnce) {
  const std::vector<std::string> args = {"movies", "--name",     kBig,       "--from", "2025-01-01",
                                         "--to",   "2025-01-02", "--format", "csv"};
  const auto lines = lines_of(ok(args));
  ASSERT_EQ(lines.size(), 1u + kBigRows);
  std::set<std::string> movies;
  for (std::size_t i = 1; i < lines.size(); ++i) movies.insert(lines[i].substr(lines[i].find(',') + 1));
  EXPECT_EQ(movies.size(), static_cast<std::size_t>(kBigRows));
  EXPECT_EQ(lines[1], "2025-01-01 01:39:59.000000+0000,Film 5999");  // newest first
  EXPECT_EQ(lines.back(), "2025-01-01 00:00:00.000000+0000,Film 0");
  // Small pages: many requests, the same answer.
  EXPECT_EQ(lines_of(ok(with(args, {"--page-size", "997"}))), lines);
}

TEST_F(QueryTest, RatingsGivesEveryColumn) {
  const auto csv = lines_of(ok(with({"ratings", "--format", "csv"}, kMyHour)));
  ASSERT_EQ(csv.size(), 5u);
  EXPECT_EQ(csv[0], "name,timestamp,id,country,director,duration,movie,rating,rating_movie,release_year,show_id");
  EXPECT_EQ(csv[3],
            "Stelios Giagkos,2025-03-13 19:30:00.000000+0000,ab000000-0000-4000-8000-000000000003,\"Taiwan, China\","
            "Ang Lee,91,\"Crouching Tiger, Hidden Dragon\",PG-13,8,2000,s3");
  // The left-join row: catalogue columns empty (null), the rating's own columns there.
  EXPECT_EQ(csv[2],
            "Stelios Giagkos,2025-03-13 19:45:00.000000+0000,ab000000-0000-4000-8000-000000000004,,,,Amélie,,10,,");

  const auto rows = json_rows(ok(with({"ratings", "--format", "json"}, kMyHour)));
  ASSERT_EQ(rows.size(), 4u);
  auto amelie = rows.at(1);
  EXPECT_EQ(std::string_view(amelie["movie"]), "Amélie");
  EXPECT_TRUE(amelie["duration"].is_null());
  EXPECT_TRUE(amelie["country"].is_null());
  EXPECT_EQ(std::int64_t(amelie["rating_movie"]), 10);
  auto real = rows.at(0);
  EXPECT_EQ(std::int64_t(real["duration"]), 91);
  EXPECT_EQ(std::string_view(real["director"]), "Zoë Ångström");
  EXPECT_EQ(std::string_view(real["id"]), "ab000000-0000-4000-8000-000000000005");

  const auto table = lines_of(ok(with({"ratings"}, kMyHour)));
  ASSERT_EQ(table.size(), 8u);  // header, rule, 4 rows, blank, count
  EXPECT_EQ(table.back(), "(4 rows)");
  EXPECT_EQ(cells_of(table[3]),  // the left-join row: nulls shown as cqlsh does
            (std::vector<std::string>{"Stelios Giagkos", "2025-03-13 19:45:00.000000+0000",
                                      "ab000000-0000-4000-8000-000000000004", "null", "null", "null", "Amélie", "null",
                                      "10", "null", "null"}));
}

TEST_F(QueryTest, FromIsInclusiveToIsExclusive) {
  const auto movies_between = [](const std::string& from, const std::string& to) {
    std::vector<std::string> movies;
    const auto lines = lines_of(ok({"movies", "--name", kMe, "--from", from, "--to", to, "--format", "csv"}));
    for (std::size_t i = 1; i < lines.size(); ++i) movies.push_back(lines[i].substr(lines[i].find(',') + 1));
    return movies;
  };
  EXPECT_EQ(movies_between("2025-03-13 19:00", "2025-03-13 19:59:59.999"),
            (std::vector<std::string>{"Amélie", "\"Crouching Tiger, Hidden Dragon\"", "Heat"}));
  EXPECT_EQ(movies_between("2025-03-13 18:59:59.999", "2025-03-13 19:00"), (std::vector<std::string>{"Before"}));
  EXPECT_EQ(movies_between("2025-03-13 20:00", "2025-03-13 20:00:00.001"), (std::vector<std::string>{"After"}));
  // Sub-millisecond bounds: a row at .999 is before .9995 (out) and the row at 20:00:00.000 is
  // before 20:00:00.000001 (in).
  EXPECT_EQ(movies_between("2025-03-13T19:59:59.9995Z", "2025-03-13T20:00:00.000001Z"),
            (std::vector<std::string>{"After"}));
  // A time as the table prints it reads back.
  EXPECT_EQ(movies_between("2025-03-13 19:59:59.999000+0000", "2025-03-13 20:00:00.000000+0000"),
            (std::vector<std::string>{"\"The \"\"Real\"\" One\""}));
}

TEST_F(QueryTest, ZonesOfTheWindowAndOfThePrintedTimes) {
  const auto utc_answer = ok(with({"movies", "--format", "csv"}, kMyHour));
  // An explicit offset: the same instants.
  EXPECT_EQ(ok({"movies", "--name", kMe, "--from", "2025-03-13T21:00:00+02:00", "--to", "2025-03-13 15:00-05:00",
                "--format", "csv"}),
            utc_answer);
  // Zone-less times in --tz (Athens is UTC+2 in March), printed in --tz.
  const auto athens = lines_of(ok({"movies", "--name", kMe, "--from", "2025-03-13 21:00", "--to", "2025-03-13 22:00",
                                   "--tz", "Europe/Athens", "--format", "csv"}));
  EXPECT_EQ(athens,
            (std::vector<std::string>{"timestamp,movie", "2025-03-13 21:59:59.999000+0200,\"The \"\"Real\"\" One\"",
                                      "2025-03-13 21:45:00.000000+0200,Amélie",
                                      "2025-03-13 21:30:00.000000+0200,\"Crouching Tiger, Hidden Dragon\"",
                                      "2025-03-13 21:00:00.000000+0200,Heat"}));
  EXPECT_EQ(
      lines_of(ok({"movies", "--name", kMe, "--hour", "2025-03-13 21", "--tz", "Europe/Athens", "--format", "csv"})),
      athens);
  // Without --tz the same zone-less times are UTC: a later window with only After in it.
  EXPECT_EQ(lines_of(ok({"movies", "--name", kMe, "--from", "2025-03-13 20:00", "--to", "2025-03-13 22:00", "--format",
                         "csv"})),
            (std::vector<std::string>{"timestamp,movie", "2025-03-13 20:00:00.000000+0000,After"}));
}

TEST_F(QueryTest, SampleGivesAtMostLimitRowsOfEveryColumn) {
  const auto fifty = json_rows(ok({"sample", "--format", "json"}));
  EXPECT_EQ(fifty.size(), 50u);
  for (auto object : fifty) EXPECT_EQ(simdjson::dom::object(object).size(), 11u);
  EXPECT_EQ(json_rows(ok({"sample", "--limit", "3", "--format", "json"})).size(), 3u);
  const auto table = lines_of(ok({"sample", "--limit", "7"}));
  EXPECT_EQ(table.back(), "(7 rows)");
  EXPECT_EQ(cells_of(table.front()),
            (std::vector<std::string>{"name", "timestamp", "id", "country", "director", "duration", "movie", "rating",
                                      "rating_movie", "release_year", "show_id"}));
  // More than the table holds: all of it.
  EXPECT_EQ(json_rows(ok({"sample", "--limit", "100000", "--format", "json"})).size(), 7u + kBigRows);
}

TEST_F(QueryTest, SampleOfAnEmptyTable) {
  EXPECT_EQ(ok({"sample", "--table", "empty_ratings", "--format", "csv"}),
            "name,timestamp,id,country,director,duration,movie,rating,rating_movie,release_year,show_id\r\n");
  EXPECT_EQ(lines_of(ok({"sample", "--table", "empty_ratings"})).back(), "(0 rows)");
}

TEST_F(QueryTest, AnUnknownPersonOrAnEmptyWindowIsAnEmptyResult) {
  EXPECT_EQ(ok({"movies", "--name", "Nobody", "--hour", "2025-03-13 19"}),
            " timestamp | movie\n"
            "-----------+-------\n"
            "\n"
            "(0 rows)\n");
  EXPECT_EQ(ok({"movies", "--name", kMe, "--hour", "2025-03-13 21", "--format", "json"}), "[]\n");
  EXPECT_EQ(ok({"ratings", "--name", "Nobody", "--hour", "2025-03-13 19", "--format", "csv"}),
            "name,timestamp,id,country,director,duration,movie,rating,rating_movie,release_year,show_id\r\n");
  EXPECT_EQ(ok({"avg-duration", "--name", "Nobody", "--hour", "2025-03-13 19", "--format", "csv"}),
            "name,from,to,ratings,without_duration,avg_duration\r\n"
            "Nobody,2025-03-13 19:00:00.000000+0000,2025-03-13 20:00:00.000000+0000,0,0,\r\n");
  EXPECT_EQ(
      ok({"avg-duration", "--name", kMe, "--hour", "2025-03-13 21", "--format", "json"}),
      "[\n{\"name\":\"Stelios Giagkos\",\"from\":\"2025-03-13 21:00:00.000000+0000\","
      "\"to\":\"2025-03-13 22:00:00.000000+0000\",\"ratings\":0,\"without_duration\":0,\"avg_duration\":null}\n]\n");
  // Only rows without a duration: counted, no average.
  EXPECT_EQ(lines_of(ok({"avg-duration", "--name", kMe, "--from", "2025-03-13 19:45", "--to", "2025-03-13 19:46",
                         "--format", "csv"}))
                .back(),
            "Stelios Giagkos,2025-03-13 19:45:00.000000+0000,2025-03-13 19:46:00.000000+0000,1,1,");
}

TEST_F(QueryTest, AMissingTableIsARuntimeFailureNamingIt) {
  const auto r = query({"movies", "--name", kMe, "--hour", "2025-03-13 19", "--table", "no_such_table"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("ratingstream: cannot query " + keyspace_ + ".no_such_table: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// A null writer: these checks count round trips, not rows.
class Discard final : public query::ResultWriter {
 public:
  void begin(const std::vector<std::string>&) override {}
  void row(const std::vector<query::Cell>&) override {}
  void end() override {}
};

TEST_F(QueryTest, AskingTheSameQuestionsAgainPreparesEachStatementOnce) {
  // The dashboard asks Q1 and Q2 on every refresh: a PREPARE per question would be a round trip
  // to every node each time.
  query::Questions questions(*session_, {keyspace_, "movie_ratings"});
  const query::TimeWindow window{store::Timestamp{utc_ms(2025, 3, 13, 19)}, store::Timestamp{utc_ms(2025, 3, 13, 20)}};
  const auto before = session_->statements_prepared();
  Discard out;
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(questions.average_duration(kMe, window).rows(), 4);
    EXPECT_EQ(questions.movies(kMe, window, out), 4u);
    EXPECT_EQ(questions.ratings(kMe, window, out), 4u);
    EXPECT_EQ(questions.sample(2, out), 2u);
    EXPECT_EQ(session_->statements_prepared() - before, 4u) << "after round " << round + 1;
  }
}

}  // namespace

namespace {

TEST_F(QueryTest, CsvOfStoredEmptyTextAndNullsStaysApart) {
  // A row whose catalogue texts are empty (not null), in a table of its own so the other tests'
  // counts stay as they are; a spreadsheet formula as its movie.
  store::apply_schema(*session_, {keyspace_, "text_ratings"}, store::KeyspaceReplication{});
  insert_rows(*session_, {keyspace_, "text_ratings"},
              {{"Edge Case", utc_ms(2025, 3, 13, 19, 0), "=1+2", 4, KnownRow::Film{"", "", "", "", 1999, 80}},
               {"Edge Case", utc_ms(2025, 3, 13, 19, 30), "@Up", 5, std::nullopt}},
              9000);
  const std::vector<std::string> args = {"ratings", "--table",       "text_ratings", "--name", "Edge Case",
                                         "--hour",  "2025-03-13 19", "--format",     "csv"};
  EXPECT_EQ(ok(args),
            "name,timestamp,id,country,director,duration,movie,rating,rating_movie,release_year,show_id\r\n"
            "Edge Case,2025-03-13 19:30:00.000000+0000,ab000000-0000-4000-8000-000000002329,,,,@Up,,5,,\r\n"
            "Edge Case,2025-03-13 "
            "19:00:00.000000+0000,ab000000-0000-4000-8000-000000002328,\"\",\"\",80,=1+2,\"\",4,1999,\"\"\r\n");
  auto safe = args;
  safe.push_back("--escape-formulas");
  const auto lines = lines_of(ok(safe));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1],
            "Edge Case,2025-03-13 19:30:00.000000+0000,ab000000-0000-4000-8000-000000002329,,,,\"'@Up\",,5,,");
  EXPECT_NE(lines[2].find(",80,\"'=1+2\",\"\",4,"), std::string::npos) << lines[2];
}

}  // namespace
