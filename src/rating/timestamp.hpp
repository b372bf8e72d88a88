#pragma once
// Timestamps of the Kafka message: ISO-8601, microseconds since the Unix epoch in memory.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "rating/time_zone.hpp"

namespace ratingstream::rating {

// The first and last instants a timestamp can name: 0001-01-01T00:00:00Z and
// 9999-12-31T23:59:59.999999Z. Only these years have the four digits the producer writes and the
// query tool reads, so an instant outside them could be stored but never written back or asked for.
inline constexpr std::int64_t kFirstTimestampMicros = -62'135'596'800LL * 1'000'000;
inline constexpr std::int64_t kLastTimestampMicros = 253'402'300'799LL * 1'000'000 + 999'999;

constexpr bool is_representable_timestamp(std::int64_t micros_since_epoch) {
  return micros_since_epoch >= kFirstTimestampMicros && micros_since_epoch <= kLastTimestampMicros;
}

// "2025-03-13T19:26:50.863211Z": UTC, always six fractional digits, as the producer writes it.
std::string format_utc_micros(std::int64_t micros_since_epoch);

// Appends the same text to `out` without allocating beyond out's growth (hot path of produce).
void append_utc_micros(std::string& out, std::int64_t micros_since_epoch);

// Reads an ISO-8601 timestamp as microseconds since the Unix epoch:
//   YYYY-MM-DDTHH:MM:SS[.fraction][zone]
// - the date/time separator is `T` or a space (`t` too, as RFC 3339 allows);
// - the fraction has 1 to 9 digits; digits past microseconds are dropped (truncated);
// - the zone is `Z` (or `z`), or an offset `+HH:MM`, `+HHMM` or `+HH` (or with `-`) of at most
//   18 hours (java.time's limit, so Spark agrees);
// - without a zone the time is a wall-clock time of `zone_for_local` (the original producer
//   wrote local time without a zone);
// - impossible dates (February 30) and times (24:00, leap second :60) are refused;
// - the instant, once in UTC, must be a representable one (years 0001..9999 in UTC): an offset or
//   the zone can move a time written in year 1 or 9999 out of them
//   (0001-01-01T00:00:00+14:00 is in year 0).
// nullopt when the text is not such a timestamp. Never allocates.
std::optional<std::int64_t> parse_timestamp_micros(std::string_view text, const TimeZone& zone_for_local);

// Why parse_timestamp_micros refused a text.
enum class TimestampError : std::uint8_t {
  not_a_timestamp,    // not of the form above, or a date or time that does not exist
  not_representable,  // a real date and time whose instant in UTC is outside years 0001..9999
};

// parse_timestamp_micros, telling why a text is refused. Never allocates.
std::variant<std::int64_t, TimestampError> read_timestamp_micros(std::string_view text, const TimeZone& zone_for_local);

}  // namespace ratingstream::rating
