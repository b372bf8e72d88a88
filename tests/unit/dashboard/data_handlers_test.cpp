// The data endpoints' answers over a fake table: JSON shapes, the window and person checks,
// errors as {"error"} with their status, the overview's figures, and the cache.

#include "dashboard/data_handlers.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "common/errors.hpp"

namespace ratingstream::dashboard {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kNow = 1'741'894'010'000;  // 2025-03-13 19:26:50 UTC
// The handlers' clock stands still at kNow.
const ManualClock at_now{Clock::WallTime{std::chrono::milliseconds(kNow)}};

class FakeSource final : public RatingsSource {
 public:
  std::map<std::string, std::vector<PersonRating>> table;  // newest first
  std::map<std::string, std::vector<std::optional<std::int32_t>>> durations;
  int reads = 0;
  bool down = false;

  std::vector<std::string> people(std::size_t limit) override {
    ++reads;
    fail_if_down();
    std::vector<std::string> names;
    for (const auto& [name, rows] : table) {
      if (names.size() < limit) names.push_back(name);
    }
    return names;
  }
  std::vector<PersonRating> recent(const std::string& name, store::Timestamp since, std::size_t at_least,
                                   std::size_t at_most) override {
    std::vector<PersonRating> out;
    for (const auto& r : table[name]) {
      if ((r.at.millis < since.millis && out.size() >= at_least) || out.size() >= at_most) break;
      out.push_back(r);
    }
    return out;
  }
  bool has_ratings(const std::string& name) override {
    ++reads;
    fail_if_down();
    return table.count(name) > 0;
  }
  query::DurationAverage average_duration(const std::string& name, const query::TimeWindow& window) override {
    query::DurationAverage average;
    const auto& rows = table[name];
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].at.millis >= window.from.millis && rows[i].at.millis < window.to.millis)
        average.add(durations[name][i]);
    }
    return average;
  }
  query::ResultTable movies(const std::string& name, const query::TimeWindow& window, std::size_t limit,
                            bool& more) override {
    query::ResultTable result;
    result.columns = {"timestamp", "movie"};
    more = false;
    for (const auto& r : table[name]) {
      if (r.at.millis < window.from.millis || r.at.millis >= window.to.millis) continue;
      if (result.rows.size() == limit) {
        more = true;
        break;
      }
      result.rows.push_back({query::Cell(r.at), query::Cell(r.movie)});
    }
    return result;
  }

 private:
  void fail_if_down() const {
    if (down) throw store::Error(store::ErrorKind::connection, 0, "no node reachable at 127.0.0.1:9042");
  }
};

class DataHandlersTest : public ::testing::Test {
 protected:
  DataHandlersTest() {
    // Stelios: 3 ratings in the last hour, one older; Ann: one an hour and a half ago.
    source.table["Stelios Giagkos"] = {{{kNow - 10'000}, "Inception", 9},
                                       {{kNow - 70'000}, "Up", 7},
                                       {{kNow - 75'000}, "Inception", 7},
                                       {{kNow - 7'200'000}, "Heat", 3}};
    source.durations["Stelios Giagkos"] = {148, 96, 148, std::nullopt};
    source.table["Ann Lee"] = {{{kNow - 5'400'000}, "Heat", 5}};
    source.durations["Ann Lee"] = {170};
  }

  DataHandlers handlers(std::chrono::milliseconds ttl = 0ms) {
    DataLimits limits;
    limits.cache_ttl = ttl;
    limits.max_movies = 2;
    return DataHandlers(source, limits, at_now);
  }

  simdjson::dom::element parse(const HttpAnswer& answer) {
    simdjson::dom::element doc;
    EXPECT_EQ(parser.parse(answer.body).get(doc), simdjson::SUCCESS) << answer.body;
    return doc;
  }

  std::string error_of(const HttpAnswer& answer) { return std::string(parse(answer)["error"].get_string().value()); }

  FakeSource source;
  simdjson::dom::parser parser;
};

TEST_F(DataHandlersTest, Q1AnswersTheExactAverageOfTheWindow) {
  auto h = handlers();
  const auto answer =
      h.average_duration({{"name", "Stelios Giagkos"}, {"from", "2025-03-13 18:26"}, {"to", "2025-03-13 20:00"}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.content_type, "application/json; charset=utf-8");
  const auto doc = parse(answer);
  EXPECT_EQ(doc["name"].get_string().value(), "Stelios Giagkos");
  EXPECT_EQ(doc["from"].get_string().value(), "2025-03-13 18:26:00.000000+0000");
  EXPECT_EQ(doc["to"].get_string().value(), "2025-03-13 20:00:00.000000+0000");
  EXPECT_EQ(doc["ratings"].get_int64().value(), 3);
  EXPECT_EQ(doc["without_duration"].get_int64().value(), 0);
  EXPECT_EQ(doc["avg_duration"].get_string().value(), "130.67");  // (148 + 96 + 148) / 3
}

TEST_F(DataHandlersTest, Q1OfAnEmptyWindowIsNullNotZero) {
  auto h = handlers();
  const auto doc = parse(h.average_duration({{"name", "Ann Lee"}, {"hour", "2025-03-13 19"}}));
  EXPECT_EQ(doc["ratings"].get_int64().value(), 0);
  EXPECT_TRUE(doc["avg_duration"].is_null());
}

TEST_F(DataHandlersTest, AnUnknownPersonIs404WithTheName) {
  auto h = handlers();
  const auto answer = h.average_duration({{"name", "Nobody"}, {"hour", "2025-03-13 19"}});
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(error_of(answer), "unknown person \"Nobody\": no ratings under this name");
  EXPECT_EQ(h.movies({{"name", "Nobody"}, {"hour", "2025-03-13 19"}}).status, 404);
}

TEST_F(DataHandlersTest, BadRequestsAre400NamingTheParameter) {
  auto h = handlers();
  const auto missing_name = h.average_duration({{"hour", "2025-03-13 19"}});
  EXPECT_EQ(missing_name.status, 400);
  EXPECT_NE(error_of(missing_name).find("name is missing"), std::string::npos);

  const auto bad_time = h.average_duration({{"name", "Ann Lee"}, {"from", "yesterday"}, {"to", "2025-03-13"}});
  EXPECT_EQ(bad_time.status, 400);
  const auto message = error_of(bad_time);
  EXPECT_NE(message.find("from"), std::string::npos) << message;
  EXPECT_EQ(message.find("--from"), std::string::npos) << message;  // a parameter here, not a flag

  const auto backwards = h.movies({{"name", "Ann Lee"}, {"from", "2025-03-13 20:00"}, {"to", "2025-03-13 19:00"}});
  EXPECT_EQ(backwards.status, 400);
  const auto no_window = h.movies({{"name", "Ann Lee"}});
  EXPECT_EQ(no_window.status, 400);
  const auto bad_zone = h.movies({{"name", "Ann Lee"}, {"hour", "2025-03-13 19"}, {"tz", "Mars/Olympus"}});
  EXPECT_EQ(bad_zone.status, 400);
  EXPECT_NE(error_of(bad_zone).find("tz"), std::string::npos);
  const auto too_long = h.movies({{"name", "Ann Lee"}, {"from", "2020-01-01"}, {"to", "2025-01-01"}});
  EXPECT_EQ(too_long.status, 400);
}

TEST_F(DataHandlersTest, ANameThatIsNotUtf8OrTooLongIs400BeforeAnyRead) {
  auto h = handlers();
  // What ?name=%ff%fe decodes to, a lone continuation byte, a UTF-16 surrogate, an overlong "/",
  // a sequence cut short; and a name longer than Cassandra's partition keys can be.
  const std::vector<std::string> bad = {"\xff\xfe", "Ann\x80", "\xed\xa0\x80",
                                        "\xc0\xaf", "Zo\xc3",  std::string(70'000, 'a')};
  for (const auto& name : bad) {
    for (const auto& answer : {h.average_duration({{"name", name}, {"hour", "2025-03-13 19"}}),
                               h.movies({{"name", name}, {"hour", "2025-03-13 19"}})}) {
      EXPECT_EQ(answer.status, 400) << name.size() << " " << answer.body;
      const auto message = error_of(answer);
      EXPECT_EQ(message.rfind("name ", 0), 0u) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      EXPECT_LT(message.size(), 200u) << "the name is not echoed back";
    }
  }
  EXPECT_EQ(source.reads, 0) << "refused before asking the table";
  // The longest name Cassandra can hold is still asked for.
  EXPECT_EQ(h.average_duration({{"name", std::string(65'535, 'a')}, {"hour", "2025-03-13 19"}}).status, 404);
}

TEST_F(DataHandlersTest, Q2ListsTheWindowNewestFirstAndSaysWhenTruncated) {
  auto h = handlers();
  const auto answer = h.movies({{"name", "Stelios Giagkos"}, {"from", "2025-03-13 17:00"}, {"to", "2025-03-13 20:00"}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto doc = parse(answer);
  const auto movies = doc["movies"].get_array().value();
  ASSERT_EQ(movies.size(), 2u);  // max_movies
  EXPECT_EQ(movies.at(0)["movie"].get_string().value(), "Inception");
  EXPECT_EQ(movies.at(0)["timestamp"].get_string().value(), "2025-03-13 19:26:40.000000+0000");
  EXPECT_EQ(movies.at(1)["movie"].get_string().value(), "Up");
  EXPECT_EQ(doc["count"].get_int64().value(), 2);
  EXPECT_TRUE(doc["truncated"].get_bool().value());
}

TEST_F(DataHandlersTest, CassandraDownIs503AndSaysSo) {
  source.down = true;
  auto h = handlers();
  const auto q1 = h.average_duration({{"name", "Ann Lee"}, {"hour", "2025-03-13 19"}});
  EXPECT_EQ(q1.status, 503);
  EXPECT_NE(error_of(q1).find("Cassandra: no node reachable"), std::string::npos);
  EXPECT_EQ(h.overview().status, 503);
  EXPECT_EQ(h.people().status, 503);
}

TEST_F(DataHandlersTest, TheOverviewCountsTheLastHourPerMinuteAndPerMovie) {
  auto h = handlers();
  const auto answer = h.overview();
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto doc = parse(answer);
  EXPECT_EQ(doc["generated_at"].get_int64().value(), kNow);
  const auto minutes = doc["ratings_per_minute"].get_array().value();
  ASSERT_EQ(minutes.size(), 60u);
  std::int64_t total = 0;
  for (auto m : minutes) total += m["count"].get_int64().value();
  EXPECT_EQ(total, 3);  // Heat (2 h ago) and Ann's (1.5 h ago) are outside the hour
  EXPECT_EQ(minutes.at(59)["t"].get_int64().value(), kNow - kNow % 60'000);
  EXPECT_EQ(minutes.at(59)["count"].get_int64().value(), 1);  // 19:26:40
  EXPECT_EQ(minutes.at(58)["count"].get_int64().value(), 2);  // 19:25:40, 19:25:35

  const auto by_count = doc["top_by_count"].at(0).value();
  EXPECT_EQ(by_count["movie"].get_string().value(), "Inception");
  EXPECT_EQ(by_count["count"].get_int64().value(), 2);
  EXPECT_DOUBLE_EQ(by_count["avg_rating"].get_double().value(), 8.0);
  // Only Inception has the two ratings the average list needs.
  EXPECT_EQ(doc["top_by_rating"].get_array().value().size(), 1u);

  const auto people = doc["people"].get_array().value();
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people.at(0)["name"].get_string().value(), "Ann Lee");
  // Ann rated nothing this hour, yet her latest rating shows.
  EXPECT_EQ(people.at(0)["latest"].at(0)["movie"].get_string().value(), "Heat");
  EXPECT_EQ(people.at(1)["latest"].get_array().value().size(), 4u);
  EXPECT_EQ(people.at(1)["latest"].at(0)["rating"].get_int64().value(), 9);
  EXPECT_FALSE(doc["people_truncated"].get_bool().value());
}

namespace {

// `people` people with `each` ratings apiece, one every 30 s back from just before kNow.
FakeSource crowded_table(int people, int each) {
  FakeSource source;
  for (int p = 0; p < people; ++p) {
    auto& rows = source.table[fmt::format("person {:05}", p)];
    for (int i = 0; i < each; ++i) rows.push_back({{kNow - 1'000 - i * 30'000}, "Up", 5});
  }
  return source;
}

std::int64_t per_minute_total(simdjson::dom::element doc) {
  std::int64_t total = 0;
  const simdjson::dom::array minutes = doc["ratings_per_minute"].get_array().value();
  for (auto m : minutes) total += m["count"].get_int64().value();
  return total;
}

DataHandlers overview_handlers(FakeSource& source, std::size_t max_people, std::size_t max_recent) {
  DataLimits limits;
  limits.cache_ttl = 0ms;
  limits.max_people = max_people;
  limits.max_recent = max_recent;
  return DataHandlers(source, limits, at_now);
}

}  // namespace

TEST_F(DataHandlersTest, TheOverviewSaysItsCountsArePartialWheneverTheyAre) {
  // 2,001 people with 100 ratings each in the hour: 200,100 ratings, of which the 200 people
  // read hold 20,000. The counts are partial, and the answer says so.
  auto crowd = crowded_table(2001, 100);
  auto h = overview_handlers(crowd, 200, 2000);
  auto doc = parse(h.overview());
  EXPECT_EQ(per_minute_total(doc), 20'000);
  EXPECT_TRUE(doc["people_truncated"].get_bool().value());
  EXPECT_TRUE(doc["ratings_truncated"].get_bool().value()) << "people left out means ratings left out";

  // Everyone read, every rating of the hour read: complete, and not flagged.
  auto all_read = crowded_table(200, 100);
  auto complete = overview_handlers(all_read, 200, 100);  // exactly the bound: nothing cut off
  doc = parse(complete.overview());
  EXPECT_EQ(per_minute_total(doc), 20'000);
  EXPECT_FALSE(doc["people_truncated"].get_bool().value());
  EXPECT_FALSE(doc["ratings_truncated"].get_bool().value());

  // One rating more in the hour than a person's bound: partial, flagged.
  auto one_more = crowded_table(3, 101);
  auto cut = overview_handlers(one_more, 200, 100);
  doc = parse(cut.overview());
  EXPECT_EQ(per_minute_total(doc), 300);
  EXPECT_FALSE(doc["people_truncated"].get_bool().value());
  EXPECT_TRUE(doc["ratings_truncated"].get_bool().value());
}

TEST_F(DataHandlersTest, PeopleAreSortedNames) {
  auto h = handlers();
  const auto doc = parse(h.people());
  const auto people = doc["people"].get_array().value();
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people.at(0).get_string().value(), "Ann Lee");
}

TEST_F(DataHandlersTest, AnswersAreCachedForTheirTtl) {
  auto h = handlers(60s);
  h.overview();
  const int after_first = source.reads;
  h.overview();
  h.overview();
  EXPECT_EQ(source.reads, after_first);
  const auto q = Params{{"name", "Ann Lee"}, {"hour", "2025-03-13 19"}};
  h.average_duration(q);
  const int after_q1 = source.reads;
  h.average_duration(q);
  EXPECT_EQ(source.reads, after_q1);
  auto uncached = handlers(0ms);
  uncached.overview();
  const int before = source.reads;
  uncached.overview();
  EXPECT_GT(source.reads, before);
}

TEST(HttpAnswer, ErrorsAreJsonObjectsWithEscapedMessages) {
  const auto answer = error_answer(400, "bad \"name\"\n");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.body, "{\"error\":\"bad \\\"name\\\"\\n\"}");
}

}  // namespace
}  // namespace ratingstream::dashboard
