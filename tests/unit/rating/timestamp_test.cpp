// Reading timestamps (parse_timestamp_micros) and writing them (format_utc_micros).

#include "rating/timestamp.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace ratingstream::rating {
namespace {

constexpr std::int64_t kProducerExample = 1'741'894'010'863'211;  // 2025-03-13T19:26:50.863211Z

std::optional<std::int64_t> parse_utc(std::string_view text) { return parse_timestamp_micros(text, TimeZone::utc()); }

TEST(ParseTimestamp, ReadsTheProducersFormat) {
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.863211Z"), kProducerExample);
}

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
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.1234567890Z"), std::nullopt);   // 10 digits
  EXPECT_EQ(parse_utc("2025-03-13T19:26:50.Z"), std::nullopt);             // a dot needs digits
}

TEST(ParseTimestamp, OffsetsInEveryAcceptedSpelling) {
  // 21:26:50.863211+02:00 is the same instant as the producer's example.
  for (const char* text : {"2025-03-13T21:26:50.863211+02:00", "2025-03-13T21:26:50.863211+0200",
                           "2025-03-13T21:26:50.863211+02", "2025-03-13T13:56:50.863211-05:30",
                           "2025-03-13T13:56:50.863211-0530", "2025-03-13T19:26:50.863211-00:00",
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
        std::string(" 2025-03-13T19:26:50Z"), std::string("2025-03-13T19:26:50Z "),
        std::string("2025-03-13X19:26:50Z"), std::string("2025/03/13T19:26:50Z"),
        std::string("+2025-03-13T19:26:50Z"), std::string("2025-03-13T19:26:50\0Z", 21),
        std::string("２０２５-03-13T19:26:50Z"), std::string("1741894010")}) {
    EXPECT_EQ(parse_utc(text), std::nullopt) << text;
  }
}

TEST(ParseTimestamp, TheWholeRangeOfYears) {
  EXPECT_EQ(parse_utc("0001-01-01T00:00:00Z"), -62'135'596'800LL * 1'000'000);
  EXPECT_EQ(parse_utc("9999-12-31T23:59:59.999999Z"), 253'402'300'799LL * 1'000'000 + 999'999);
  EXPECT_EQ(parse_utc("1969-12-31T23:59:59.999999Z"), -1);
  EXPECT_EQ(parse_utc("1970-01-01T00:00:00Z"), 0);
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
