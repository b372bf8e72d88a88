// The rounds of a history (`produce --history`): whole rounds only, the last before the end.

#include <gtest/gtest.h>

#include "produce/produce_run.hpp"

namespace {

using namespace std::chrono_literals;
using ratingstream::produce::history_span;

constexpr std::int64_t kEnd = 1'735'689'600'000'000;  // 2025-01-01T00:00:00Z in microseconds

TEST(HistorySpan, AYearEveryTenSecondsIsTheOriginalSchedulesYear) {
  const auto span = history_span(365 * 24h, 10s, kEnd);
  EXPECT_EQ(span.rounds, 3'153'600u);  // 8,640 a day
  EXPECT_EQ(span.first_us, kEnd - 365LL * 86'400'000'000);
}

TEST(HistorySpan, APartRoundIsLeftOutAndTheLastRoundIsBeforeTheEnd) {
  const auto span = history_span(25s, 10s, kEnd);
  EXPECT_EQ(span.rounds, 2u);
  EXPECT_EQ(span.first_us, kEnd - 20'000'000);  // rounds at end-20 s and end-10 s
  EXPECT_EQ(history_span(5s, 10s, kEnd).rounds, 0u);
  EXPECT_EQ(history_span(1h, 0s, kEnd).rounds, 0u);  // no interval: nothing, not a division by zero
}

}  // namespace
