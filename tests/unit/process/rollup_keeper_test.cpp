#include "process/rollup_keeper.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using namespace ratingstream;

process::Row row_at(const std::string& name, std::int64_t millis) {
  process::Row row;
  row.name = name;
  row.timestamp = store::Timestamp{millis};
  return row;
}

// One mark per person and UTC hour of a write, whatever the number of rows, in the order of the
// marks' partitions (by person), so each person's marks go in one batch.
TEST(RollupKeeper, AWriteMarksEachPersonsHourOnce) {
  constexpr std::int64_t kHour = 3'600'000;
  const std::int64_t h = 1'741'892'400'000;  // 2025-03-13T19:00Z
  const std::vector<process::Row> rows{row_at("Bo", h + 5), row_at("Ann", h + kHour - 1), row_at("Bo", h + kHour),
                                       row_at("Ann", h),    row_at("Bo", h + 10),         row_at("Ann", h - 1)};
  const auto marks = process::RollupKeeper::marks_for(rows);
  const std::vector<store::HourKey> expected{{"Ann", store::Timestamp{h - kHour}},
                                             {"Ann", store::Timestamp{h}},
                                             {"Bo", store::Timestamp{h}},
                                             {"Bo", store::Timestamp{h + kHour}}};
  EXPECT_EQ(marks.keys, expected);
  EXPECT_TRUE(process::RollupKeeper::marks_for({}).keys.empty());
}

}  // namespace
