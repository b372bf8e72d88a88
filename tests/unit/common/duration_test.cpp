#include "common/duration.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using ratingstream::format_duration;
using ratingstream::parse_duration;

TEST(Duration, ParsesEachUnit) {
  EXPECT_EQ(parse_duration("500ms"), 500ms);
  EXPECT_EQ(parse_duration("10s"), 10s);
  EXPECT_EQ(parse_duration("2m"), 2min);
  EXPECT_EQ(parse_duration("1h"), 1h);
  EXPECT_EQ(parse_duration("400d"), 400 * 24h);
  EXPECT_EQ(parse_duration("0"), 0ms);
  EXPECT_EQ(parse_duration("0s"), 0ms);
}

TEST(Duration, RejectsWhatIsNotADuration) {
  for (const char* bad :
       {"", "10", "s", "-1s", "1.5s", "10 s", "10sec", "ms", "1w", "1D", "106751991168d", "99999999999999999999h"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

TEST(Duration, FormatsInTheLargestExactUnit) {
  EXPECT_EQ(format_duration(1500ms), "1500ms");
  EXPECT_EQ(format_duration(10s), "10s");
  EXPECT_EQ(format_duration(120s), "2m");
  EXPECT_EQ(format_duration(0ms), "0s");
  EXPECT_EQ(format_duration(2h), "2h");
  EXPECT_EQ(format_duration(25h), "25h");
  EXPECT_EQ(format_duration(48h), "2d");
}
