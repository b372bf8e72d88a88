// The progress and summary lines.

#include <gtest/gtest.h>

#include "produce/delivery_report.hpp"

namespace ratingstream::produce {
namespace {

TEST(ReportLines, SummaryNamesEveryCount) {
  const DeliveryCounts counts{300, 298, 2};
  EXPECT_EQ(format_summary(counts, std::chrono::milliseconds(1500)),
            "summary: sent 300, delivered 298, failed 2, elapsed 1.50s, 198.7 msg/s");
}

TEST(ReportLines, SummarySaysWhatWasNotConfirmed) {
  const DeliveryCounts counts{10, 4, 1};
  EXPECT_EQ(counts.in_flight(), 5u);
  EXPECT_EQ(counts.undelivered(), 6u);
  EXPECT_NE(format_summary(counts, std::chrono::seconds(2)).find(", not confirmed 5"), std::string::npos);
}

TEST(ReportLines, SummaryOfAnEmptyRunHasNoDivisionByZero) {
  EXPECT_EQ(format_summary({}, std::chrono::seconds(0)),
            "summary: sent 0, delivered 0, failed 0, elapsed 0.00s, 0.0 msg/s");
}

TEST(ReportLines, Progress) {
  EXPECT_EQ(format_progress({1200, 1000, 0}, 999.6), "progress: sent 1200, delivered 1000, in flight 200, 1000 msg/s");
}

}  // namespace
}  // namespace ratingstream::produce
