#pragma once
// Timestamps of the Kafka message: ISO-8601, microseconds since the Unix epoch in memory.

#include <cstdint>
#include <string>

namespace ratingstream::rating {

// "2025-03-13T19:26:50.863211Z": UTC, always six fractional digits, as the producer writes it.
std::string format_utc_micros(std::int64_t micros_since_epoch);

// Appends the same text to `out` without allocating beyond out's growth (hot path of produce).
void append_utc_micros(std::string& out, std::int64_t micros_since_epoch);

}  // namespace ratingstream::rating
