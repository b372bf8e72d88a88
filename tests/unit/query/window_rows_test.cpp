#include "query/window_rows.hpp"

#include <gtest/gtest.h>

namespace {

using ratingstream::query::TimeWindow;
using ratingstream::query::window_parts;
using ratingstream::query::WindowPart;
using ratingstream::store::BucketSize;
using ratingstream::store::TableLayout;
using ratingstream::store::Timestamp;

constexpr std::int64_t kDay = 86'400'000;

TEST(WindowRows, TheOriginalLayoutReadsTheWindowInOnePart) {
  const TimeWindow window{Timestamp{5}, Timestamp{3 * kDay}};
  EXPECT_EQ(window_parts(TableLayout{}, window), (std::vector<WindowPart>{{window, std::nullopt}}));
}

TEST(WindowRows, ABucketedTableReadsEachBucketCutToTheWindowNewestFirst) {
  const TimeWindow window{Timestamp{kDay / 2}, Timestamp{2 * kDay + 5}};
  EXPECT_EQ(window_parts(TableLayout{BucketSize::day}, window),
            (std::vector<WindowPart>{{{Timestamp{2 * kDay}, Timestamp{2 * kDay + 5}}, Timestamp{2 * kDay}},
                                     {{Timestamp{kDay}, Timestamp{2 * kDay}}, Timestamp{kDay}},
                                     {{Timestamp{kDay / 2}, Timestamp{kDay}}, Timestamp{0}}}));
  // A window inside one bucket is one part.
  EXPECT_EQ(window_parts(TableLayout{BucketSize::week}, window).size(), 1u);
  EXPECT_TRUE(window_parts(TableLayout{BucketSize::hour}, TimeWindow{Timestamp{7}, Timestamp{7}}).empty());
}

}  // namespace
