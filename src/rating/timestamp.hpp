#pragma once
// Timestamps of the Kafka message: ISO-8601, microseconds since the Unix epoch in memory.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rating/time_zone.hpp"

namespace ratingstream::rating {

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
// - years 0001..9999; impossible dates (February 30) and times (24:00, leap second :60) are
//   refused.
// nullopt when the text is not such a timestamp. Never allocates.
std::optional<std::int64_t> parse_timestamp_micros(std::string_view text, const TimeZone& zone_for_local);

}  // namespace ratingstream::rating
