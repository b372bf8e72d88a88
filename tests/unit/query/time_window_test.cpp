// The window of a question: the time forms --from/--to read, --hour, --tz, and the errors.

#include "query/time_window.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "common/errors.hpp"

using namespace ratingstream;
using query::TimeWindow;
using query::WindowFlags;
using rating::TimeZone;

namespace {

std::int64_t utc_ms(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
  using namespace std::chrono;
  const sys_days day{year{y} / month{mo} / d};
  return duration_cast<milliseconds>(day.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms})
      .count();
}

std::int64_t micros(std::string_view text, const TimeZone& zone = TimeZone::utc()) {
  const auto parsed = query::parse_query_time_micros(text, zone);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(-1);
}

TimeWindow window(const std::string& from, const std::string& to, const TimeZone& zone = TimeZone::utc()) {
  return query::resolve_window(WindowFlags{from, to, std::nullopt}, zone);
}

// The InputError message of resolving `flags`, "" when none is thrown.
std::string error_of(const WindowFlags& flags, const TimeZone& zone = TimeZone::utc()) {
  try {
    query::resolve_window(flags, zone);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(QueryTime, ReadsTheFullFormWithTOrSpaceAndZone) {
  const std::int64_t expected = utc_ms(2025, 3, 13, 19, 26, 50, 863) * 1000 + 211;
  EXPECT_EQ(micros("2025-03-13T19:26:50.863211Z"), expected);
  EXPECT_EQ(micros("2025-03-13 19:26:50.863211Z"), expected);
  EXPECT_EQ(micros("2025-03-13 21:26:50.863211+02:00"), expected);
  EXPECT_EQ(micros("2025-03-13 21:26:50.863211+0200"), expected);
  EXPECT_EQ(micros("2025-03-13T19:26:50.863211"), expected);  // zone-less: UTC by default
}

TEST(QueryTime, ReadsCqlshOutputBack) {
  // What the table prints can be pasted into --from.
  EXPECT_EQ(micros("2025-03-13 19:26:50.863000+0000"), utc_ms(2025, 3, 13, 19, 26, 50, 863) * 1000);
}

TEST(QueryTime, CompletesMinutesAndDates) {
  EXPECT_EQ(micros("2025-03-13 19:26"), utc_ms(2025, 3, 13, 19, 26) * 1000);
  EXPECT_EQ(micros("2025-03-13T19:26"), utc_ms(2025, 3, 13, 19, 26) * 1000);
  EXPECT_EQ(micros("2025-03-13T19:26Z"), utc_ms(2025, 3, 13, 19, 26) * 1000);
  EXPECT_EQ(micros("2025-03-13 21:26+02:00"), utc_ms(2025, 3, 13, 19, 26) * 1000);
  EXPECT_EQ(micros("2025-03-13 14:26-05"), utc_ms(2025, 3, 13, 19, 26) * 1000);
  EXPECT_EQ(micros("2025-03-13"), utc_ms(2025, 3, 13) * 1000);
  EXPECT_EQ(micros("  2025-03-13 "), utc_ms(2025, 3, 13) * 1000);  // shell quoting leftovers
}

TEST(QueryTime, ReadsZoneLessTimesInTheGivenZone) {
  const auto athens = TimeZone::named("Europe/Athens");  // UTC+2 in winter, +3 in summer
  EXPECT_EQ(micros("2025-03-13 21:26", athens), utc_ms(2025, 3, 13, 19, 26) * 1000);
  EXPECT_EQ(micros("2025-07-13 21:26:00", athens), utc_ms(2025, 7, 13, 18, 26) * 1000);
  EXPECT_EQ(micros("2025-03-13", athens), utc_ms(2025, 3, 12, 22) * 1000);
  // An explicit zone wins over --tz.
  EXPECT_EQ(micros("2025-03-13 19:26Z", athens), utc_ms(2025, 3, 13, 19, 26) * 1000);
}

TEST(QueryTime, RefusesWhatIsNotATime) {
  const auto utc = TimeZone::utc();
  for (const char* bad : {"", "yesterday", "2025-13-01", "2025-02-30", "2025-03-13 25:00", "2025-03-13 19",
                          "2025-03-13 19:26.5", "2025-03-13 19:2", "2025/03/13", "2025-03-13X19:26",
                          "2025-03-13 19:26 +02:00", "1741893410", "2025-03-13 19:26:50+25:00"}) {
    EXPECT_FALSE(query::parse_query_time_micros(bad, utc).has_value()) << bad;
  }
}

TEST(Hour, IsSixtyMinutesFromTheHour) {
  const auto utc = TimeZone::utc();
  const TimeWindow expected{{utc_ms(2025, 3, 13, 19)}, {utc_ms(2025, 3, 13, 20)}};
  EXPECT_EQ(query::parse_hour("2025-03-13 19", utc), expected);
  EXPECT_EQ(query::parse_hour("2025-03-13T19", utc), expected);
  EXPECT_EQ(query::parse_hour("2025-03-13 21+02:00", utc), expected);
  EXPECT_EQ(query::parse_hour("2025-03-13 21", TimeZone::named("Europe/Athens")), expected);
  // The last hour of a day ends at the next midnight.
  EXPECT_EQ(query::parse_hour("2025-12-31 23", utc), (TimeWindow{{utc_ms(2025, 12, 31, 23)}, {utc_ms(2026, 1, 1)}}));
}

TEST(Hour, RefusesWhatIsNotAnHour) {
  const auto utc = TimeZone::utc();
  for (const char* bad : {"", "2025-03-13", "2025-03-13 24", "2025-03-13 7", "2025-03-13 19:00", "2025-03-13 19h"}) {
    EXPECT_FALSE(query::parse_hour(bad, utc).has_value()) << bad;
  }
}

TEST(ResolveWindow, FromAndToMakeTheWindow) {
  EXPECT_EQ(window("2025-03-13 19:00", "2025-03-13T20:00:00Z"),
            (TimeWindow{{utc_ms(2025, 3, 13, 19)}, {utc_ms(2025, 3, 13, 20)}}));
  EXPECT_EQ(window("2025-03-13 21:00", "2025-03-13 22:00", TimeZone::named("Europe/Athens")),
            (TimeWindow{{utc_ms(2025, 3, 13, 19)}, {utc_ms(2025, 3, 13, 20)}}));
}

TEST(ResolveWindow, HourAlone) {
  EXPECT_EQ(query::resolve_window(WindowFlags{std::nullopt, std::nullopt, "2025-03-13 19"}, TimeZone::utc()),
            (TimeWindow{{utc_ms(2025, 3, 13, 19)}, {utc_ms(2025, 3, 13, 20)}}));
}

TEST(ResolveWindow, RoundsMicrosecondBoundsUpToTheNextMillisecond) {
  // A row at .863 is before .863211: excluded by from, included by to; both need .864.
  const auto w = window("2025-03-13T19:26:50.863211Z", "2025-03-13T19:26:51.000001Z");
  EXPECT_EQ(w.from.millis, utc_ms(2025, 3, 13, 19, 26, 50, 864));
  EXPECT_EQ(w.to.millis, utc_ms(2025, 3, 13, 19, 26, 51, 1));
  EXPECT_EQ(window("2025-03-13T19:26:50.863Z", "2025-03-13T20:00Z").from.millis, utc_ms(2025, 3, 13, 19, 26, 50, 863));
  EXPECT_EQ(query::ceil_to_millis(-1500).millis, -1);  // before 1970 rounds up too
  EXPECT_EQ(query::ceil_to_millis(-1000).millis, -1);
  EXPECT_EQ(query::ceil_to_millis(1).millis, 1);
}

TEST(ResolveWindow, FromNotBeforeToIsAnErrorNamingTheFlags) {
  const auto equal = error_of(WindowFlags{"2025-03-13 19:00", "2025-03-13T19:00:00Z", std::nullopt});
  EXPECT_NE(equal.find("from \"2025-03-13 19:00\" is not before to \"2025-03-13T19:00:00Z\""), std::string::npos)
      << equal;
  EXPECT_NE(error_of(WindowFlags{"2025-03-14", "2025-03-13", std::nullopt}).find("is not before to"),
            std::string::npos);
  // Equal instants written in different zones are still not a window.
  EXPECT_NE(error_of(WindowFlags{"2025-03-13 21:00+02:00", "2025-03-13 19:00", std::nullopt}).find("not before"),
            std::string::npos);
  // Zone-less times are compared after --tz applies: 19:00 Athens is before 18:00 UTC.
  EXPECT_EQ(
      error_of(WindowFlags{"2025-03-13 19:00", "2025-03-13 18:00Z", std::nullopt}, TimeZone::named("Europe/Athens")),
      "");
}

TEST(ResolveWindow, ABadTimeIsAnErrorNamingTheFlag) {
  const auto from = error_of(WindowFlags{"tomorrow", "2025-03-13", std::nullopt});
  EXPECT_EQ(from.rfind("from: \"tomorrow\" is not a time", 0), 0u) << from;
  const auto to = error_of(WindowFlags{"2025-03-13", "2025-03-32", std::nullopt});
  EXPECT_EQ(to.rfind("to: \"2025-03-32\" is not a time", 0), 0u) << to;
  const auto hour = error_of(WindowFlags{std::nullopt, std::nullopt, "2025-03-13 19:30"});
  EXPECT_EQ(hour.rfind("hour: \"2025-03-13 19:30\" is not an hour", 0), 0u) << hour;
  for (const auto& message : {from, to, hour}) EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(ResolveWindow, MissingOrExtraFlagsAreErrors) {
  EXPECT_EQ(error_of(WindowFlags{"2025-03-13", std::nullopt, std::nullopt}).rfind("to is missing", 0), 0u);
  EXPECT_EQ(error_of(WindowFlags{std::nullopt, "2025-03-13", std::nullopt}).rfind("from is missing", 0), 0u);
  EXPECT_EQ(error_of(WindowFlags{}).rfind("no time window", 0), 0u);
  EXPECT_EQ(error_of(WindowFlags{"2025-03-13", std::nullopt, "2025-03-13 19"}).rfind("hour cannot be combined", 0), 0u);
}

}  // namespace
