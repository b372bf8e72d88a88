#include "query/rollup_window.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace {

using ratingstream::query::split_for_rollups;
using ratingstream::query::TimeWindow;
using ratingstream::store::Timestamp;

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kBase = 1'764'000'000'000 / kHour * kHour;  // a whole UTC hour

Timestamp h(double hours) { return Timestamp{kBase + static_cast<std::int64_t>(hours * kHour)}; }

TEST(RollupWindow, WholeHoursFromRollupsAndTheEdgesFromRawRows) {
  const auto split = split_for_rollups({h(0.25), h(3.5)});
  EXPECT_EQ(split.whole_hours, (TimeWindow{h(1), h(3)}));
  EXPECT_EQ(split.edges, (std::vector<TimeWindow>{{h(0.25), h(1)}, {h(3), h(3.5)}}));
}

TEST(RollupWindow, AnAlignedWindowHasNoEdges) {
  const auto split = split_for_rollups({h(0), h(3)});
  EXPECT_EQ(split.whole_hours, (TimeWindow{h(0), h(3)}));
  EXPECT_TRUE(split.edges.empty());
  EXPECT_EQ(split_for_rollups({h(2), h(3.75)}).edges, (std::vector<TimeWindow>{{h(3), h(3.75)}}));
  EXPECT_EQ(split_for_rollups({h(2.5), h(4)}).edges, (std::vector<TimeWindow>{{h(2.5), h(3)}}));
}

TEST(RollupWindow, AWindowWithoutAWholeHourIsReadRaw) {
  for (const TimeWindow w : {TimeWindow{h(0.25), h(0.75)}, TimeWindow{h(0.25), h(1.25)}, TimeWindow{h(0.5), h(1)}}) {
    const auto split = split_for_rollups(w);
    EXPECT_FALSE(split.whole_hours.has_value());
    EXPECT_EQ(split.edges, std::vector<TimeWindow>{w});
  }
  EXPECT_TRUE(split_for_rollups({h(1), h(1)}).edges.empty());
}

TEST(RollupWindow, HoursBefore1970SplitTheSameWay) {
  const auto split = split_for_rollups({Timestamp{-kHour - 1}, Timestamp{1}});
  EXPECT_EQ(split.whole_hours, (TimeWindow{Timestamp{-kHour}, Timestamp{0}}));
  EXPECT_EQ(split.edges,
            (std::vector<TimeWindow>{{Timestamp{-kHour - 1}, Timestamp{-kHour}}, {Timestamp{0}, Timestamp{1}}}));
}

// The parts are disjoint, oldest first, and together exactly the window; rollup bounds are whole hours.
TEST(RollupWindow, ThePartsTileTheWindowExactly) {
  std::mt19937_64 random(11);
  std::uniform_int_distribution<std::int64_t> offset(-50 * kHour, 50 * kHour);
  for (int i = 0; i < 20'000; ++i) {
    std::int64_t a = kBase + offset(random);
    std::int64_t b = kBase + (i % 3 == 0 ? offset(random) / kHour * kHour : offset(random));
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    const auto split = split_for_rollups({Timestamp{a}, Timestamp{b}});
    std::vector<TimeWindow> parts = split.edges;
    if (split.whole_hours) {
      ASSERT_EQ(split.whole_hours->from.millis % kHour, 0);
      ASSERT_EQ(split.whole_hours->to.millis % kHour, 0);
      ASSERT_LT(split.whole_hours->from.millis, split.whole_hours->to.millis);
      parts.push_back(*split.whole_hours);
    }
    std::sort(parts.begin(), parts.end(), [](const auto& x, const auto& y) { return x.from.millis < y.from.millis; });
    ASSERT_EQ(parts.front().from.millis, a);
    ASSERT_EQ(parts.back().to.millis, b);
    for (std::size_t p = 0; p < parts.size(); ++p) {
      ASSERT_LT(parts[p].from.millis, parts[p].to.millis);
      if (p > 0) {
        ASSERT_EQ(parts[p - 1].to, parts[p].from);
      }
    }
    for (const auto& edge : split.edges) ASSERT_LE(edge.to.millis - edge.from.millis, 2 * kHour);
  }
}

}  // namespace
