#include "store/hour_rollups.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/errors.hpp"

namespace {

using namespace ratingstream;
using store::HourSummary;

TEST(HourRollups, AnHourIsTheUtcHourHoldingTheInstantAlsoBefore1970) {
  EXPECT_EQ(store::hour_of(store::Timestamp{1'741'894'010'123}).millis, 1'741'892'400'000);  // 19:26:50 -> 19:00
  EXPECT_EQ(store::hour_of(store::Timestamp{1'741'892'400'000}).millis, 1'741'892'400'000);
  EXPECT_EQ(store::hour_of(store::Timestamp{-1}).millis, -3'600'000);
}

TEST(HourRollups, ASummaryCountsRowsWithAndWithoutADurationAndSumsBoth) {
  HourSummary summary;
  summary.add(90, 7);
  summary.add(std::nullopt, 3);  // a left-join row: counted, no duration
  summary.add(120, std::nullopt);
  EXPECT_EQ(summary, (HourSummary{3, 2, 210, 10}));
  HourSummary total{1, 1, 5, 5};
  total.add(summary);
  EXPECT_EQ(total, (HourSummary{4, 3, 215, 15}));
}

TEST(HourRollups, TheTablesAreNamedAfterTheRatingsTableAndANameTooLongIsRefused) {
  const auto tables = store::rollup_tables_of({"ks", "movie_ratings"});
  EXPECT_EQ(tables.hourly.table, "movie_ratings_hourly");
  EXPECT_EQ(tables.pending.table, "movie_ratings_hourly_pending");
  EXPECT_EQ(tables.pending.keyspace, "ks");
  EXPECT_NO_THROW(store::rollup_tables_of({"ks", std::string(33, 'a')}));
  EXPECT_THROW(store::rollup_tables_of({"ks", std::string(34, 'a')}), InputError);
  EXPECT_TRUE(store::fits_rollups({"ks", std::string(33, 'a')}));
  EXPECT_FALSE(store::fits_rollups({"ks", std::string(34, 'a')}));
}

TEST(HourRollups, TheStateIsInTheRollupTablesCommentAndMarksPurgeSoon) {
  const auto tables = store::rollup_tables_of({"ks", "t"});
  const auto building = store::create_hourly_table_cql(tables, store::RollupState::building);
  EXPECT_NE(building.find("ks.t_hourly"), std::string::npos) << building;
  EXPECT_NE(building.find("PRIMARY KEY (name, hour)"), std::string::npos) << building;
  EXPECT_NE(building.find("comment = 'ratingstream: hourly rollups, being built'"), std::string::npos) << building;
  EXPECT_NE(store::create_hourly_table_cql(tables, store::RollupState::complete)
                .find("comment = 'ratingstream: hourly rollups'"),
            std::string::npos);
  EXPECT_EQ(store::set_rollup_state_cql(tables, store::RollupState::complete),
            "ALTER TABLE ks.t_hourly WITH comment = 'ratingstream: hourly rollups';");
  const auto pending = store::create_pending_table_cql(tables);
  EXPECT_NE(pending.find("PRIMARY KEY (name, hour, mark)"), std::string::npos) << pending;
  EXPECT_NE(pending.find("gc_grace_seconds"), std::string::npos) << pending;
}

}  // namespace
