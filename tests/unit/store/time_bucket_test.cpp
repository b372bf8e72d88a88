#include "store/time_bucket.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "rating/time_zone.hpp"

namespace {

using namespace std::chrono;
using ratingstream::store::bucket_start;
using ratingstream::store::buckets_newest_first;
using ratingstream::store::BucketSize;
using ratingstream::store::next_bucket_start;
using ratingstream::store::Timestamp;

constexpr BucketSize kSizes[] = {BucketSize::hour, BucketSize::day, BucketSize::week, BucketSize::month};

Timestamp at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
  const sys_days date{year{y} / month{mo} / day{d}};
  return Timestamp{duration_cast<milliseconds>(date.time_since_epoch()).count() + h * 3'600'000LL + mi * 60'000LL +
                   s * 1000LL + ms};
}

TEST(TimeBucket, NamesReadBackAndNothingElseIsASize) {
  for (const auto size : kSizes)
    EXPECT_EQ(ratingstream::store::parse_bucket_size(ratingstream::store::bucket_size_name(size)), size);
  for (const char* bad : {"", "Hour", "hours", "year", "minute", "day "})
    EXPECT_FALSE(ratingstream::store::parse_bucket_size(bad).has_value()) << bad;
}

TEST(TimeBucket, EachSizeStartsAtItsUtcBoundary) {
  const Timestamp t = at(2024, 2, 29, 13, 45, 10, 123);  // a Thursday of a leap year
  EXPECT_EQ(bucket_start(BucketSize::hour, t), at(2024, 2, 29, 13));
  EXPECT_EQ(bucket_start(BucketSize::day, t), at(2024, 2, 29));
  EXPECT_EQ(bucket_start(BucketSize::week, t), at(2024, 2, 26));  // Monday
  EXPECT_EQ(bucket_start(BucketSize::month, t), at(2024, 2, 1));
}

TEST(TimeBucket, IsoWeeksRunMondayToSundayAcrossYearEdges) {
  EXPECT_EQ(bucket_start(BucketSize::week, at(2024, 3, 3, 23, 59, 59, 999)), at(2024, 2, 26));  // Sunday
  EXPECT_EQ(bucket_start(BucketSize::week, at(2024, 3, 4)), at(2024, 3, 4));                    // Monday
  // 2021-01-01 (a Friday) is in ISO week 53 of 2020, which began on 2020-12-28.
  EXPECT_EQ(bucket_start(BucketSize::week, at(2021, 1, 1, 12)), at(2020, 12, 28));
  EXPECT_EQ(next_bucket_start(BucketSize::week, at(2020, 12, 28)), at(2021, 1, 4));
}

TEST(TimeBucket, MonthsFollowTheCalendarAndLeapYears) {
  EXPECT_EQ(bucket_start(BucketSize::month, at(2023, 12, 31, 23, 59, 59, 999)), at(2023, 12, 1));
  EXPECT_EQ(next_bucket_start(BucketSize::month, at(2023, 12, 1)), at(2024, 1, 1));
  const auto month_days = [](int y, unsigned m) {
    const Timestamp start = at(y, m, 1);
    return (next_bucket_start(BucketSize::month, start).millis - start.millis) / 86'400'000;
  };
  EXPECT_EQ(month_days(2024, 2), 29);
  EXPECT_EQ(month_days(2023, 2), 28);
  EXPECT_EQ(month_days(2000, 2), 29);  // divisible by 400
  EXPECT_EQ(month_days(1900, 2), 28);  // by 100 only
  EXPECT_EQ(month_days(2100, 2), 28);
  EXPECT_EQ(month_days(2024, 4), 30);
  EXPECT_EQ(month_days(2024, 12), 31);
  EXPECT_EQ(bucket_start(BucketSize::day, at(2024, 2, 29, 23, 59, 59, 999)), at(2024, 2, 29));
  EXPECT_EQ(next_bucket_start(BucketSize::day, at(2024, 2, 29)), at(2024, 3, 1));
}

TEST(TimeBucket, InstantsBefore1970RoundDown) {
  const Timestamp t{-1};  // 1969-12-31T23:59:59.999, a Wednesday
  EXPECT_EQ(bucket_start(BucketSize::hour, t), at(1969, 12, 31, 23));
  EXPECT_EQ(bucket_start(BucketSize::day, t), at(1969, 12, 31));
  EXPECT_EQ(bucket_start(BucketSize::week, t), at(1969, 12, 29));
  EXPECT_EQ(bucket_start(BucketSize::month, t), at(1969, 12, 1));
  EXPECT_EQ(next_bucket_start(BucketSize::month, at(1969, 12, 1)), Timestamp{0});
}

TEST(TimeBucket, TheFirstAndLastYearsTheToolsAccept) {
  EXPECT_EQ(bucket_start(BucketSize::month, at(1, 1, 1, 0, 0, 0, 1)), at(1, 1, 1));
  EXPECT_EQ(bucket_start(BucketSize::week, at(1, 1, 1)), at(1, 1, 1));  // 0001-01-01 was a Monday
  EXPECT_EQ(bucket_start(BucketSize::month, at(9999, 12, 31, 23, 59, 59, 999)), at(9999, 12, 1));
  EXPECT_EQ(next_bucket_start(BucketSize::month, at(9999, 12, 1)), at(10000, 1, 1));
}

// Every instant is in exactly one bucket: its start is at or before it, the next start after it.
TEST(TimeBucket, EveryInstantLiesInTheBucketItsStartNames) {
  std::mt19937_64 random(7);
  std::uniform_int_distribution<std::int64_t> any(at(1, 1, 1).millis, at(9999, 12, 31, 23, 59, 59, 999).millis);
  for (int i = 0; i < 20'000; ++i) {
    const Timestamp t{any(random)};
    for (const auto size : kSizes) {
      const Timestamp start = bucket_start(size, t);
      const Timestamp next = next_bucket_start(size, start);
      ASSERT_LE(start.millis, t.millis);
      ASSERT_GT(next.millis, t.millis);
      ASSERT_EQ(bucket_start(size, start), start);
      ASSERT_EQ(bucket_start(size, Timestamp{next.millis - 1}), start);
      ASSERT_LE(next.millis - start.millis, ratingstream::store::longest_bucket(size).count() * 1000);
    }
  }
}

TEST(TimeBucket, AWindowCoversItsBucketsNewestFirst) {
  EXPECT_EQ(buckets_newest_first(BucketSize::day, at(2024, 2, 28, 23, 30), at(2024, 3, 1, 0, 30)),
            (std::vector<Timestamp>{at(2024, 3, 1), at(2024, 2, 29), at(2024, 2, 28)}));
  EXPECT_EQ(buckets_newest_first(BucketSize::day, at(2024, 2, 28), at(2024, 2, 29)),
            (std::vector<Timestamp>{at(2024, 2, 28)}));  // `to` is exclusive
  EXPECT_TRUE(buckets_newest_first(BucketSize::hour, at(2024, 1, 1), at(2024, 1, 1)).empty());
  EXPECT_TRUE(buckets_newest_first(BucketSize::hour, at(2024, 1, 2), at(2024, 1, 1)).empty());
  EXPECT_EQ(buckets_newest_first(BucketSize::month, at(2023, 11, 15), at(2024, 2, 1, 0, 0, 0, 1)).size(), 4u);
  EXPECT_EQ(buckets_newest_first(BucketSize::hour, at(2024, 1, 1), at(2025, 1, 1)).size(), 366u * 24);
}

// A window typed in a zone far from UTC is converted to UTC instants first; its buckets are the
// UTC buckets of those instants, so a local day there spans two UTC days.
TEST(TimeBucket, ALocalDayInZonesFarFromUtcSpansTwoUtcDays) {
  const auto local_midnight = [](const char* zone, int y, unsigned m, unsigned d) {
    const auto local = duration_cast<seconds>(sys_days{year{y} / month{m} / day{d}}.time_since_epoch()).count();
    return Timestamp{ratingstream::rating::TimeZone::named(zone).to_utc(local) * 1000};
  };
  // Kiribati's Line Islands are UTC+14: 2024-03-01 00:00 there is 2024-02-29 10:00 UTC.
  const Timestamp kiritimati_from = local_midnight("Pacific/Kiritimati", 2024, 3, 1);
  EXPECT_EQ(kiritimati_from, at(2024, 2, 29, 10));
  EXPECT_EQ(buckets_newest_first(BucketSize::day, kiritimati_from, local_midnight("Pacific/Kiritimati", 2024, 3, 2)),
            (std::vector<Timestamp>{at(2024, 3, 1), at(2024, 2, 29)}));
  EXPECT_EQ(buckets_newest_first(BucketSize::month, kiritimati_from, local_midnight("Pacific/Kiritimati", 2024, 3, 2)),
            (std::vector<Timestamp>{at(2024, 3, 1), at(2024, 2, 1)}));
  // Pago Pago is UTC-11: its New Year's Day 2024 ends on 2 January UTC.
  const Timestamp pago_from = local_midnight("Pacific/Pago_Pago", 2024, 1, 1);
  EXPECT_EQ(pago_from, at(2024, 1, 1, 11));
  EXPECT_EQ(buckets_newest_first(BucketSize::week, local_midnight("Pacific/Pago_Pago", 2023, 12, 31), pago_from),
            (std::vector<Timestamp>{at(2024, 1, 1), at(2023, 12, 25)}));
}

TEST(TimeBucket, PartitionEstimatesAgainstCassandrasGuidance) {
  // The original schedule: one rating per person every 10 s.
  const auto day = ratingstream::store::estimate_partition(BucketSize::day, 0.1, 200);
  EXPECT_EQ(day.rows, 8'640);
  EXPECT_EQ(day.bytes, 1'728'000);
  EXPECT_TRUE(day.within_guidance());
  EXPECT_EQ(ratingstream::store::estimate_partition(BucketSize::week, 0.1, 200).rows, 60'480);
  const auto month = ratingstream::store::estimate_partition(BucketSize::month, 0.1, 200);
  EXPECT_EQ(month.rows, 267'840);  // 31 days
  EXPECT_FALSE(month.within_guidance());
  EXPECT_FALSE(ratingstream::store::estimate_partition(BucketSize::hour, 20, 2000).within_guidance());  // 144 MB
  EXPECT_EQ(ratingstream::store::estimate_partition(BucketSize::hour, -1, 200).rows, 0);
}

}  // namespace
