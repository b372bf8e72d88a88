// Records as the original Python producer wrote them (json.dumps: spaces after separators, \u
// escapes for non-ASCII titles; datetime.now().isoformat(): local time without a zone, no
// fraction when it is zero; gzip) are accepted, and --timezone says which zone those local times
// are in (default UTC). Europe/Athens is UTC+2 in winter and UTC+3 in summer; 03:30 on
// 2025-10-26 happens twice there and is read as the earlier instant (as java.time, and so Spark).

#include <gtest/gtest.h>

#include <ctime>

#include "process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

constexpr const char* kCatalogue =
    "show_id,title,director,country,release_year,rating,duration\n"
    "s1,Twin Harbours,Ottilie Marsh,United Kingdom,2011,PG-13,102\n"
    "s2,\"Salt, Smoke and Silver\",Tobias Ferrand,France,2021,TV-MA,117\n"
    "s3,Ζωή στο Λιμάνι,Eleni Marangou,Greece,2020,TV-14,88\n";

const FilmColumns kTwinHarbours{"s1", "Ottilie Marsh", "United Kingdom", "PG-13", 2011, 102};
const FilmColumns kSaltSmoke{"s2", "Tobias Ferrand", "France", "TV-MA", 2021, 117};
const FilmColumns kZoi{"s3", "Eleni Marangou", "Greece", "TV-14", 2020, 88};

// What `json.dumps(message).encode()` of the original producer gives.
const std::vector<Outgoing> kReferenceRecords{
    {0, "Stelios Giagkos",
     R"({"name": "Stelios Giagkos", "movie": "\u0396\u03c9\u03ae \u03c3\u03c4\u03bf \u039b\u03b9\u03bc\u03ac\u03bd\u03b9", "rating": 8, "timestamp": "2025-03-13T19:26:50.863211"})"},
    {0, "Jane Doe",
     R"({"name": "Jane Doe", "movie": "Twin Harbours", "rating": 3, "timestamp": "2025-07-01T12:00:00.000001"})"},
    {0, "Jane Doe",
     R"({"name": "Jane Doe", "movie": "Salt, Smoke and Silver", "rating": 10, "timestamp": "2025-10-26T03:30:00.500000"})"},
    {0, "Jane Doe",
     R"({"name": "Jane Doe", "movie": "Twin Harbours", "rating": 1, "timestamp": "2025-01-02T00:00:00"})"},
};

// Local wall-clock times of the records, and their offset from UTC in hours in each zone.
struct Expected {
  std::string name, movie;
  std::int32_t rating;
  const FilmColumns* film;
  int y, mo, d, h, mi, s, us;
  int athens_offset_hours;
};
const std::vector<Expected> kExpected{
    {"Stelios Giagkos", "Ζωή στο Λιμάνι", 8, &kZoi, 2025, 3, 13, 19, 26, 50, 863'211, 2},
    {"Jane Doe", "Twin Harbours", 3, &kTwinHarbours, 2025, 7, 1, 12, 0, 0, 1, 3},
    {"Jane Doe", "Salt, Smoke and Silver", 10, &kSaltSmoke, 2025, 10, 26, 3, 30, 0, 500'000, 3},  // the earlier 03:30
    {"Jane Doe", "Twin Harbours", 1, &kTwinHarbours, 2025, 1, 2, 0, 0, 0, 0, 2},
};

class ReferenceFormat : public ::testing::Test {
 protected:
  void SetUp() override {
    create_topic(topic_, 1);
    produce(topic_, kReferenceRecords, "gzip");
    catalogue_ = dir_.write("catalogue.csv", kCatalogue);
  }
  void TearDown() override {
    for (const auto& k : keyspaces_) drop_keyspace(k);
  }

  // Processes the topic into a fresh keyspace and returns the table.
  std::map<store::Uuid, TableRow> process(const std::vector<std::string>& extra) {
    keyspaces_.push_back(testing::unique_name("it_process_reference"));
    std::vector<std::string> args{"process",
                                  "-t",
                                  topic_,
                                  "--keyspace",
                                  keyspaces_.back(),
                                  "--group",
                                  testing::unique_name("it_process_group"),
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
    const auto result = testing::run_ratingstream(args, 180s);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(sum_progress(result.err, "written"), 4) << result.err;
    EXPECT_EQ(sum_progress(result.err, "rejected"), 0) << result.err;
    return read_rows(keyspaces_.back());
  }

  std::map<store::Uuid, TableRow> expected(bool athens) const {
    std::map<store::Uuid, TableRow> out;
    for (const auto& e : kExpected) {
      const std::int64_t shift = athens ? e.athens_offset_hours * 3'600'000'000LL : 0;
      auto row = expected_row(e.name, utc_us(e.y, e.mo, e.d, e.h, e.mi, e.s, e.us) - shift, e.movie, e.rating, e.film);
      out.emplace(std::get<store::Uuid>(row[2]), std::move(row));
    }
    return out;
  }

  const std::string topic_ = testing::unique_name("it_process_reference");
  std::vector<std::string> keyspaces_;
  testing::TempDir dir_;
  std::filesystem::path catalogue_;
};

TEST_F(ReferenceFormat, ZoneLessTimestampsAreUtcByDefault) { expect_table_equals(process({}), expected(false)); }

TEST_F(ReferenceFormat, ZoneLessTimestampsAreReadInTheGivenTimezone) {
  expect_table_equals(process({"--timezone", "Europe/Athens"}), expected(true));
}

TEST(ReferenceFormatInput, UnknownTimezoneIsExit2) {
  const auto result = testing::run_ratingstream({"process", "--timezone", "Mars/Olympus_Mons"}, 60s);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("Mars/Olympus_Mons"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ratingstream::process_test
