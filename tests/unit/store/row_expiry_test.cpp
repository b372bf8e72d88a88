#include "store/row_expiry.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using ratingstream::store::kLatestExpiry;
using ratingstream::store::kMaxTimeToLive;
using ratingstream::store::row_time_to_live;
using ratingstream::store::Timestamp;

constexpr std::chrono::seconds kRetention = 400 * 24h;
constexpr Timestamp kNow{1'764'000'000'000};

Timestamp ago(std::chrono::milliseconds age) { return Timestamp{kNow.millis - age.count()}; }

TEST(RowExpiry, ARowLivesTheRetentionCountedFromItsRatingsTime) {
  EXPECT_EQ(row_time_to_live(kRetention, kNow, kNow), 400 * 86'400);
  EXPECT_EQ(row_time_to_live(kRetention, ago(10 * 24h), kNow), 390 * 86'400);  // a late or replayed record
}

TEST(RowExpiry, PartSecondsRoundUpSoNoRowExpiresEarly) {
  EXPECT_EQ(row_time_to_live(kRetention, ago(kRetention - 1ms), kNow), 1);
  EXPECT_EQ(row_time_to_live(kRetention, ago(kRetention - 1500ms), kNow), 2);
  EXPECT_EQ(row_time_to_live(kRetention, Timestamp{kNow.millis + 1}, kNow), 400 * 86'400 + 1);
}

TEST(RowExpiry, ARatingPastRetentionIsNotWritten) {
  EXPECT_FALSE(row_time_to_live(kRetention, ago(kRetention), kNow).has_value());
  EXPECT_FALSE(row_time_to_live(kRetention, ago(kRetention + 1ms), kNow).has_value());
  EXPECT_FALSE(row_time_to_live(1s, Timestamp{-62'135'596'800'000}, kNow).has_value());  // year 1
}

TEST(RowExpiry, NoRowExpiresLaterThanCassandraAccepts) {
  // kNow is 2025-11-24: 20 years would end in 2045, past 2038-01-19T03:14:06Z.
  const std::int64_t until_2038 = (kLatestExpiry.millis - kNow.millis) / 1000;
  EXPECT_EQ(row_time_to_live(kMaxTimeToLive, Timestamp{kNow.millis + 86'400'000}, kNow), until_2038);
  EXPECT_EQ(row_time_to_live(kMaxTimeToLive, Timestamp{253'402'300'799'999}, kNow), until_2038);  // year 9999
  // Years before 2018, 20 years stay within it.
  const Timestamp in_2017{1'500'000'000'000};
  EXPECT_EQ(row_time_to_live(kMaxTimeToLive, Timestamp{in_2017.millis + 86'400'000}, in_2017), kMaxTimeToLive.count());
  const Timestamp just_before{kLatestExpiry.millis - 10};
  EXPECT_EQ(row_time_to_live(10s, just_before, just_before), 1);
}

}  // namespace
