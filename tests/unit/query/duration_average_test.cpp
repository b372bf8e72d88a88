// Q1's exact average: integer sums, rounding once, nulls apart.

#include "query/duration_average.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>

using namespace ratingstream;
using query::DurationAverage;
using query::Hundredths;

namespace {

DurationAverage of(std::initializer_list<std::optional<std::int32_t>> durations) {
  DurationAverage average;
  for (const auto& d : durations) average.add(d);
  return average;
}

TEST(DurationAverage, NothingIsNoAverage) {
  const DurationAverage empty;
  EXPECT_EQ(empty.rows(), 0);
  EXPECT_EQ(empty.average(), std::nullopt);
}

TEST(DurationAverage, DoesNotTruncateAsCqlAvgOverIntDoes) {
  // CQL's AVG(duration) of 90 and 91 is 90.
  EXPECT_EQ(of({90, 91}).average(), Hundredths{9050});
  EXPECT_EQ(of({90, 91, 91}).average(), Hundredths{9067});  // 90.666... rounds up
  EXPECT_EQ(of({90, 90, 91}).average(), Hundredths{9033});  // 90.333... rounds down
  EXPECT_EQ(of({100}).average(), Hundredths{10000});
}

TEST(DurationAverage, RoundsHalfAwayFromZero) {
  // 1/8 = 0.125 -> 0.13; -0.125 -> -0.13
  EXPECT_EQ(of({1, 0, 0, 0, 0, 0, 0, 0}).average(), Hundredths{13});
  EXPECT_EQ(of({-1, 0, 0, 0, 0, 0, 0, 0}).average(), Hundredths{-13});
  EXPECT_EQ(of({-2, -1}).average(), Hundredths{-150});
}

TEST(DurationAverage, NullsAreCountedApartAndNotAveraged) {
  const auto average = of({90, std::nullopt, 100, std::nullopt});
  EXPECT_EQ(average.rows(), 4);
  EXPECT_EQ(average.without_duration(), 2);
  EXPECT_EQ(average.sum(), 190);
  EXPECT_EQ(average.average(), Hundredths{9500});
  EXPECT_EQ(of({std::nullopt}).average(), std::nullopt);
}

TEST(DurationAverage, LargeSumsStayExact) {
  DurationAverage average;
  constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
  for (int i = 0; i < 1000; ++i) average.add(kMax);
  average.add(kMax - 1);
  // (1001 * max - 1) / 1001 = max - 1/1001 -> rounds to max.00
  EXPECT_EQ(average.average(), Hundredths{std::int64_t{kMax} * 100});
  EXPECT_EQ(average.sum(), std::int64_t{kMax} * 1001 - 1);
}

}  // namespace

namespace {

// An hour's rollup adds its counts: the same figures, to the last digit, as adding its rows.
TEST(DurationAverage, CountsFromARollupGiveTheSameFiguresAsTheirRows) {
  DurationAverage rows = of({90, std::nullopt, 91, 100});
  DurationAverage counted = of({90});
  counted.add_counted(3, 1, 191);
  EXPECT_EQ(counted.rows(), rows.rows());
  EXPECT_EQ(counted.without_duration(), rows.without_duration());
  EXPECT_EQ(counted.sum(), rows.sum());
  EXPECT_EQ(counted.average(), rows.average());
  EXPECT_EQ(counted.average(), Hundredths{9367});
}

}  // namespace
