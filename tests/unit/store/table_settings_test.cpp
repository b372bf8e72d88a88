// The time zone of a ratings table (store/table_settings.hpp): which zone a process uses or
// records, given the table's row and what it was asked for, without a server.

#include "store/table_settings.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"

namespace ratingstream::store {
namespace {

const TableRef kTable{"netflix", "movie_ratings"};
const Uuid kId{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
const Uuid kOtherId{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};

RecordedSettings recorded(const std::string& zone, std::optional<Uuid> id = kId) {
  return RecordedSettings{id, zone, "ratingstream process"};
}

ZoneRequest given(const std::string& zone) { return {zone, true}; }
const ZoneRequest kDefault{"UTC", false};

std::string refusal(const std::optional<RecordedSettings>& row, const ZoneRequest& request) {
  try {
    plan_zone(kTable, kId, row, request, true);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(TableZone, TheRecordedZoneWinsOverTheDefault) {
  for (const bool record_default : {true, false}) {
    const auto plan = plan_zone(kTable, kId, recorded("Europe/Athens"), kDefault, record_default);
    EXPECT_EQ(plan.step, ZoneStep::use_recorded);
    EXPECT_EQ(plan.zone, "Europe/Athens");
  }
}

TEST(TableZone, TheSameZoneGivenIsAccepted) {
  const auto plan = plan_zone(kTable, kId, recorded("Europe/Athens"), given("Europe/Athens"), true);
  EXPECT_EQ(plan.step, ZoneStep::use_recorded);
  EXPECT_EQ(plan.zone, "Europe/Athens");
}

TEST(TableZone, AnotherZoneGivenIsOneLineNamingBothZonesTheTableAndTheFix) {
  const std::string message = refusal(recorded("Europe/Athens"), given("UTC"));
  EXPECT_NE(message.find("timezone UTC differs from Europe/Athens, the time zone recorded for table "
                         "netflix.movie_ratings"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("leave timezone out"), std::string::npos) << message;
  EXPECT_NE(message.find("give timezone Europe/Athens"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;

  // Either way round, and between two named zones.
  EXPECT_NE(refusal(recorded("UTC"), given("Europe/Athens")).find("timezone Europe/Athens differs from UTC"),
            std::string::npos);
  EXPECT_NE(refusal(recorded("Asia/Tokyo"), given("Europe/Athens")).find("differs from Asia/Tokyo"), std::string::npos);
}

TEST(TableZone, AliasesOfUtcAreOneZone) {
  // A row written by hand may say Etc/UTC; the request comes canonical ("UTC").
  const auto plan = plan_zone(kTable, kId, recorded("Etc/UTC"), given("UTC"), true);
  EXPECT_EQ(plan.step, ZoneStep::use_recorded);
  EXPECT_EQ(plan.zone, "UTC");
}

TEST(TableZone, AZoneThisHostDoesNotKnowNamesTheTable) {
  try {
    plan_zone(kTable, kId, recorded("Mars/Olympus_Mons"), kDefault, true);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("table netflix.movie_ratings records the time zone \"Mars/Olympus_Mons\""),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("tzdata"), std::string::npos) << message;
  }
}

TEST(TableZone, ATableWithoutARowGetsTheZoneAskedForOrTheDefault) {
  auto plan = plan_zone(kTable, kId, std::nullopt, given("Europe/Athens"), true);
  EXPECT_EQ(plan.step, ZoneStep::record);
  EXPECT_EQ(plan.zone, "Europe/Athens");

  plan = plan_zone(kTable, kId, std::nullopt, kDefault, true);  // the processor: records UTC
  EXPECT_EQ(plan.step, ZoneStep::record);
  EXPECT_EQ(plan.zone, "UTC");

  plan = plan_zone(kTable, kId, std::nullopt, given("Europe/Athens"), false);  // schema, a zone given
  EXPECT_EQ(plan.step, ZoneStep::record);
  EXPECT_EQ(plan.zone, "Europe/Athens");
}

TEST(TableZone, SchemaLeavesAnExistingTableWithoutARowAloneWhenNoZoneIsGiven) {
  EXPECT_EQ(plan_zone(kTable, kId, std::nullopt, kDefault, false).step, ZoneStep::leave_unrecorded);
}

TEST(TableZone, ARowWithoutAZoneIsFilled) {
  const auto plan = plan_zone(kTable, kId, recorded(""), given("Europe/Athens"), true);
  EXPECT_EQ(plan.step, ZoneStep::fill);
  EXPECT_EQ(plan.zone, "Europe/Athens");
}

TEST(TableZone, TheRowOfADroppedTableOfTheSameNameIsReplaced) {
  // Another table id: the table was dropped and created again, its old zone does not bind it.
  const auto plan = plan_zone(kTable, kId, recorded("Europe/Athens", kOtherId), given("UTC"), true);
  EXPECT_EQ(plan.step, ZoneStep::replace_stale);
  EXPECT_EQ(plan.zone, "UTC");
  EXPECT_EQ(plan_zone(kTable, kId, recorded("Europe/Athens", kOtherId), kDefault, false).step,
            ZoneStep::leave_unrecorded);
}

TEST(TableZone, ARowRecordedByHandWithoutATableIdAppliesToTheTable) {
  EXPECT_EQ(plan_zone(kTable, kId, recorded("Europe/Athens", std::nullopt), kDefault, true).zone, "Europe/Athens");
  EXPECT_NE(refusal(recorded("Europe/Athens", std::nullopt), given("UTC")).find("differs"), std::string::npos);
}

TEST(TableZone, TheSettingsTableCql) {
  EXPECT_EQ(create_settings_table_cql("netflix"),
            "CREATE TABLE IF NOT EXISTS netflix.ratingstream_tables (\n"
            "  table_name text PRIMARY KEY,\n  table_id uuid,\n  local_time_zone text,\n"
            "  recorded_at timestamp,\n  recorded_by text\n);");
  EXPECT_THROW(create_settings_table_cql("bad-name"), InputError);
}

TEST(TableZone, TheSettingsTableNameIsNotARatingsTable) {
  try {
    check_table_ref({"netflix", "ratingstream_tables"});
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("table ratingstream_tables"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(check_table_ref({"netflix", "Ratingstream_Tables"}));  // names are case-sensitive
}

}  // namespace
}  // namespace ratingstream::store
