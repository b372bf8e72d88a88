// Reading timestamps (parse_timestamp_micros) and writing them (format_utc_micros).

#include "rating/timestamp.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace ratingstream::rating {
namespace {

constexpr std::int64_t kProducerExample = 1'741'894'010'863'211;  // 2025-03-13T19:26:50.863211Z

std::optional<std::int64_t> parse_utc(std::string_view text) { return parse_timestamp_micros(text, TimeZone::utc()); }

// "<date>HH:00:00+OO:00" for an hour and a whole-hour offset (negative: west of UTC).
std::string fmt_time(const char* date, int hour, int offset_hours) {
  char text[40];
  std::snprintf(text, sizeof text, "%s%02d:00:00%c%02d:00", date, hour, offset_hours < 0 ? '-' : '+',
                offset_hours < 0 ? -offset_hours : offset_hours);
  return text;
}

TEST(ParseTimestamp, ReadsTheProducersFormat) { EXPECT_EQ(parse_utc("2025-03-13T19:26:50.863211Z"), kProducerExample); }

TEST(ParseTimestamp, AcceptsSpaceAndLowerCaseSeparators) {
  EXPECT_EQ(parse_utc("2025-03-13 19:26:50.863211Z"), kProducerExample);
  EXPECT_EQ(parse_utc("2025-03-13t19:26:50.863211z"), kProducerExample);
}

TEST(ParseTimestamp, FractionOfZeroToNineDigitsKeepsMicrosecondsAndDropsTheRest) {
  const std::int64_t whole = 1'741'894'010'000'000;
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50Z"), whole);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.8Z"), whole + 800'000);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.86Z"), whole + 860'000);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.863Z"), whole + 863'000);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.8632119Z"), whole + 863'211);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.863211999Z"), whole + 863'211);  // truncated, not rounded
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.1234567890Z"), std::nullopt);    // 10 digits
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.Z"), std::nullopt);              // a dot needs digits
}

TEST(ParseTimestamp, OffsetsInEveryAcceptedSpelling) {
  // 21:26:50.863211+02:00 is the same instant as the producer's example.
  for (const char* text :
       {"2025-03-13T21:26:50.863211+02:00", "2025-03-13T21:26:50.863211+0200", "2025-03-13T21:26:50.863211+02",
        "2025-03-13T13:56:50.863211-05:30", "2025-03-13T13:56:50.863211-0530", "2025-03-13T19:26:50.863211-00:00",
        "2025-03-13T19:26:50.863211+00:00"}) {
    EXPECT_EQ(parse_utc(text), kProducerExample) << text;
  }
}

TEST(ParseTimestamp, AnOffsetOverridesTheZoneForLocalTimes) {
  const auto athens = TimeZone::named("Europe/Athens");
  EXPECT_EQ(parse_timestamp_micros("2025-03-13T19:26:50.863211Z", athens), kProducerExample);
  EXPECT_EQ(parse_timestamp_micros("2025-03-13T21:26:50.863211+02:00", athens), kProducerExample);
}

TEST(ParseTimestamp, OffsetsBeyondEighteenHoursOrMalformedAreRefused) {
  EXPECT_TRUE(parse_utc("2025-03-13T19:26:50+18:00").has_value());
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50+18:01"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50+19:00"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50+02:60"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50+2:00"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50+02:0"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50+02-00"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50 +02:00"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50UTC"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50ZZ"), std::nullopt);
}

TEST(ParseTimestamp, ZoneLessTimesAreReadInTheGivenZone) {
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.863211"), kProducerExample);
  const auto athens = TimeZone::named("Europe/Athens");  // EET, +02:00 in March before the change
  EXPECT_EQ(parse_timestamp_micros("2025-03-13T21:26:50.863211", athens), kProducerExample);
  // In July Athens is on summer time, +03:00.
  EXPECT_EQ(parse_timestamp_micros("2025-07-01 12:00:00", athens), 1'751'360'400'000'000);
}

TEST(ParseTimestamp, ZoneLessTimesAcrossTheDaylightSavingChangesOfANamedZone) {
  const auto athens = TimeZone::named("Europe/Athens");
  // Spring: clocks go 03:00 -> 04:00 on 2025-03-30 (01:00 UTC).
  EXPECT_EQ(parse_timestamp_micros("2025-03-30T02:59:59", athens), 1'743'296'399'000'000);
  EXPECT_EQ(parse_timestamp_micros("2025-03-30T04:00:00", athens), 1'743'296'400'000'000);
  // 03:30 does not exist: moved forward by the hour, i.e. 04:30 EEST = 01:30 UTC.
  EXPECT_EQ(parse_timestamp_micros("2025-03-30T03:30:00", athens), 1'743'298'200'000'000);
  // Autumn: 04:00 -> 03:00 on 2025-10-26; 03:30 happens twice, the earlier (EEST) is taken.
  EXPECT_EQ(parse_timestamp_micros("2025-10-26T03:30:00", athens), 1'761'438'600'000'000);
  EXPECT_EQ(parse_timestamp_micros("2025-10-26T04:00:00", athens), 1'761'444'000'000'000);
}

TEST(ParseTimestamp, ImpossibleDatesAndTimesAreRefused) {
  EXPECT_EQ(parse_utc("2025-02-30T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-02-29T00:00:00Z"), std::nullopt);  // 2025 is not a leap year
  EXPECT_EQ(parse_utc("2024-02-29T12:00:00Z"), 1'709'208'000'000'000);
  EXPECT_EQ(parse_utc("1900-02-29T00:00:00Z"), std::nullopt);  // century, not leap
  EXPECT_EQ(parse_utc("2025-04-31T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-13-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-00-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-01-00T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-01-01T24:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-01-01T23:60:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc("2025-01-01T23:59:60Z"), std::nullopt);
  EXPECT_EQ(parse_utc("0000-01-01T00:00:00Z"), std::nullopt);
}

TEST(ParseTimestamp, TextThatIsNotATimestampIsRefused) {
  for (const std::string& text :
       {std::string(""), std::string("yesterday"), std::string("2025-03-13"), std::string("2025-03-13T19:26Z"),
        std::string("2025-03-13T19:26:5Z"), std::string("2025-3-13T19:26:50Z"), std::string("25-03-13T19:26:50Z"),
        std::string(" 2025-03-13T19:26:50Z"), std::string("2025-03-13T19:26:50Z "), std::string("2025-03-13X19:26:50Z"),
        std::string("2025/03/13T19:26:50Z"), std::string("+2025-03-13T19:26:50Z"),
        std::string("2025-03-13T19:26:50\0Z", 21), std::string("２０２５-03-13T19:26:50Z"),
        std::string("1741894010")}) {
    EXPECT_EQ(parse_utc(text), std::nullopt) << text;
  }
}

TEST(ParseTimestamp, TheWholeRangeOfYears) {
  EXPECT_EQ(parse_utc("0001-01-01T00:00:00Z"), -62'135'596'800LL * 1'000'000);
  EXPECT_EQ(parse_utc("9999-12-31T23:59:59.999999Z"), 253'402'300'799LL * 1'000'000 + 999'999);
  EXPECT_EQ(parse_utc("1969-12-31T23:59:59.999999Z"), -1);
  EXPECT_EQ(parse_utc("1970-01-01T00:00:00Z"), 0);
}

// Only instants whose UTC year has four digits can be written back (format_utc_micros), stored
// and queried, so a time that a zone or an offset moves out of 0001..9999 is refused: the edges
// are tested exactly, from both sides and with every way a zone can be given.
constexpr std::int64_t kFirst = -62'135'596'800LL * 1'000'000;           // 0001-01-01T00:00:00Z
constexpr std::int64_t kLast = 253'402'300'799LL * 1'000'000 + 999'999;  // 9999-12-31T23:59:59.999999Z

TEST(ParseTimestamp, TheFirstAndLastRepresentableInstantsInEveryZoneSpelling) {
  for (const char* first :
       {"0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000Z", "0001-01-01T00:00:00", "0001-01-01T00:01:00+00:01",
        "0001-01-01T14:00:00+14:00", "0001-01-01T18:00:00+1800", "0001-01-01T00:00:00-00:00"}) {
    EXPECT_EQ(parse_utc(first), kFirst) << first;
  }
  for (const char* last :
       {"9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999999", "9999-12-31T23:58:59.999999-00:01",
        "9999-12-31T11:59:59.999999-12:00", "9999-12-31T05:59:59.999999-18"}) {
    EXPECT_EQ(parse_utc(last), kLast) << last;
  }
}

TEST(ParseTimestamp, OffsetsThatMoveTheInstantOutOfYears1To9999AreRefused) {
  for (const char* before :
       {"0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00+00:01", "0001-01-01T00:00:59+00:01",
        "0001-01-01T13:59:59.999999+14:00", "0001-01-01T00:00:00+18:00", "0001-01-01T17:59:59+18"}) {
    EXPECT_EQ(parse_utc(before), std::nullopt) << before;
  }
  for (const char* after : {"9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59.999999-00:01",
                            "9999-12-31T12:00:00-12:00", "9999-12-31T23:59:59-1800", "9999-12-31T06:00:00-18"}) {
    EXPECT_EQ(parse_utc(after), std::nullopt) << after;
  }
}

TEST(ParseTimestamp, ZoneLessTimesThatTheZoneMovesOutOfYears1To9999AreRefused) {
  // Etc/GMT-14 is UTC+14 and Etc/GMT+12 is UTC-12 (POSIX signs): fixed offsets at every date.
  const auto plus14 = TimeZone::named("Etc/GMT-14");
  const auto minus12 = TimeZone::named("Etc/GMT+12");
  EXPECT_EQ(parse_timestamp_micros("0001-01-01T00:00:00", plus14), std::nullopt);
  EXPECT_EQ(parse_timestamp_micros("0001-01-01T13:59:59.999999", plus14), std::nullopt);
  EXPECT_EQ(parse_timestamp_micros("0001-01-01T14:00:00", plus14), kFirst);
  EXPECT_EQ(parse_timestamp_micros("9999-12-31T23:59:59", minus12), std::nullopt);
  EXPECT_EQ(parse_timestamp_micros("9999-12-31T12:00:00", minus12), std::nullopt);
  EXPECT_EQ(parse_timestamp_micros("9999-12-31T11:59:59.999999", minus12), kLast);
  // A named zone with history: Athens kept its local mean time (+01:34:52) before 1916, so its
  // first midnight of year 1 is still in year 0 in UTC, and its last second of 9999 (+02:00 in
  // winter) is in 9999 in UTC.
  const auto athens = TimeZone::named("Europe/Athens");
  EXPECT_EQ(parse_timestamp_micros("0001-01-01T00:00:00", athens), std::nullopt);
  EXPECT_EQ(parse_timestamp_micros("9999-12-31T23:59:59", athens), kLast - 999'999 - 2 * 3'600'000'000LL);
}

TEST(ParseTimestamp, EveryAcceptedInstantNearTheEdgesIsWrittenBackAsTheSameInstant) {
  // The class of failure: an accepted instant that format_utc_micros cannot write in four digits.
  for (const char* date : {"0001-01-01T", "0001-01-02T", "9999-12-30T", "9999-12-31T"}) {
    for (int hour = 0; hour < 24; hour += 3) {
      for (int offset = -18; offset <= 18; offset += 2) {
        const std::string text = fmt_time(date, hour, offset);
        const auto micros = parse_utc(text);
        if (!micros) continue;
        EXPECT_GE(*micros, kFirst) << text;
        EXPECT_LE(*micros, kLast) << text;
        EXPECT_EQ(parse_utc(format_utc_micros(*micros)), micros) << text;
      }
    }
  }
}

TEST(FormatTimestamp, WritesUtcWithSixDigitsAndReadsBack) {
  EXPECT_EQ(format_utc_micros(kProducerExample), "2025-03-13T19:26:50.863211Z");
  EXPECT_EQ(format_utc_micros(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_utc_micros(-1), "1969-12-31T23:59:59.999999Z");
  for (const std::int64_t micros : {kProducerExample, std::int64_t{0}, std::int64_t{-1}, std::int64_t{1},
                                    std::int64_t{951'782'400'000'001}, std::int64_t{253'402'300'799'999'999}}) {
    EXPECT_EQ(parse_utc(format_utc_micros(micros)), micros) << micros;
  }
}

}  // namespace
}  // namespace ratingstream::rating
