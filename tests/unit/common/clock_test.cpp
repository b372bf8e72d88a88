// The clock tests drive time with, and the real one.

#include "common/clock.hpp"

#include <gtest/gtest.h>

namespace ratingstream {
namespace {

using namespace std::chrono_literals;

TEST(ManualClock, BothReadingsMoveTogetherAndOnlyWhenTold) {
  const Clock::WallTime epoch_plus_a_day{24h};
  ManualClock clock(epoch_plus_a_day);
  const auto start = clock.now();
  EXPECT_EQ(clock.now(), start);
  EXPECT_EQ(clock.wall_now(), epoch_plus_a_day);
  clock.advance(1500ms);
  EXPECT_EQ(clock.now() - start, 1500ms);
  EXPECT_EQ(clock.wall_now() - epoch_plus_a_day, 1500ms);
  EXPECT_EQ(micros_since_epoch(clock.wall_now()), 86'401'500'000);
}

TEST(RealClock, ReadsTheSystemsClocks) {
  const Clock& clock = real_clock();
  const auto wall_before = std::chrono::system_clock::now();
  const auto steady_before = std::chrono::steady_clock::now();
  const auto wall = clock.wall_now();
  const auto steady = clock.now();
  EXPECT_GE(wall, wall_before);
  EXPECT_LE(wall - wall_before, 1min);
  EXPECT_GE(steady, steady_before);
  EXPECT_LE(steady - steady_before, 1min);
}

}  // namespace
}  // namespace ratingstream
