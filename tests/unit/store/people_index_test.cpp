#include "store/people_index.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/errors.hpp"

namespace {

using namespace ratingstream;
using namespace std::chrono_literals;
using store::BucketSize;
using store::Timestamp;

constexpr std::int64_t kDay = 86'400'000;
constexpr Timestamp kMarch13{1'741'824'000'000};  // 2025-03-13T00:00:00Z

TEST(PeopleIndex, TheTableIsNamedAfterTheRatingsTableAndANameTooLongIsRefused) {
  EXPECT_EQ(store::people_table_of({"ks", "movie_ratings"}).table, "movie_ratings_people");
  EXPECT_EQ(store::people_table_of({"ks", "movie_ratings"}).keyspace, "ks");
  EXPECT_TRUE(store::fits_people_index({"ks", std::string(41, 'a')}));
  EXPECT_NO_THROW(store::people_table_of({"ks", std::string(41, 'a')}));
  EXPECT_FALSE(store::fits_people_index({"ks", std::string(42, 'a')}));
  EXPECT_THROW(store::people_table_of({"ks", std::string(42, 'a')}), InputError);
}

TEST(PeopleIndex, TheStateIsInTheTablesComment) {
  const std::string complete = store::create_people_table_cql({"ks", "t"}, store::DerivedTableState::complete);
  EXPECT_NE(complete.find("CREATE TABLE IF NOT EXISTS ks.t_people"), std::string::npos) << complete;
  EXPECT_NE(complete.find("name text PRIMARY KEY"), std::string::npos) << complete;
  EXPECT_NE(complete.find("comment = 'ratingstream: people index'"), std::string::npos) << complete;
  const std::string building = store::create_people_table_cql({"ks", "t"}, store::DerivedTableState::building);
  EXPECT_NE(building.find("comment = 'ratingstream: people index, being built'"), std::string::npos) << building;
}

TEST(PeopleIndex, WithoutRetentionAnEntryNeverExpires) {
  EXPECT_EQ(store::people_entry_time_to_live(BucketSize::day, std::nullopt, kMarch13, Timestamp{kMarch13.millis + 5}),
            0);
}

TEST(PeopleIndex, AnEntryLivesUntilItsBucketsLastRowsExpire) {
  // A day's bucket, written an hour into the day, with 10 days of retention: the day's last
  // rating (just before midnight) lives until 10 days after midnight.
  const Timestamp now{kMarch13.millis + 3'600'000};
  EXPECT_EQ(store::people_entry_time_to_live(BucketSize::day, 864'000s, kMarch13, now), 10 * 86'400 + 23 * 3'600);
  // Months and weeks: the bucket's own end (March has 31 days; ISO weeks start on Mondays).
  const Timestamp march1{kMarch13.millis - 12 * kDay};
  EXPECT_EQ(store::people_entry_time_to_live(BucketSize::month, 864'000s, march1, march1), (31 + 10) * 86'400);
  const Timestamp monday{kMarch13.millis - 3 * kDay};  // 2025-03-10
  EXPECT_EQ(store::people_entry_time_to_live(BucketSize::week, 864'000s, monday, monday), 17 * 86'400);
}

TEST(PeopleIndex, ABucketWhollyPastRetentionGetsNoEntry) {
  // The day ended 10 days and a millisecond ago: every row of it has expired.
  const Timestamp now{kMarch13.millis + 11 * kDay + 1};
  EXPECT_EQ(store::people_entry_time_to_live(BucketSize::day, 864'000s, kMarch13, now), std::nullopt);
  // Its last millisecond still lives at exactly 10 days after its end.
  EXPECT_TRUE(store::people_entry_time_to_live(BucketSize::day, 864'000s, kMarch13,
                                               Timestamp{kMarch13.millis + 11 * kDay - 1}));
}

}  // namespace
