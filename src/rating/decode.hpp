#pragma once
// The first stage of `process`: a Kafka record's value (bytes) to a validated rating, or the
// reason it is refused. Pure: no I/O, and no allocation per record once the decoder exists
// (a Rejection's detail text is the one exception, off the hot path).
//
// What is accepted (docs/contract.md, "What the processor accepts"):
// - one JSON object, valid UTF-8, with the fields name (string), movie (string),
//   rating (integer 1..10) and timestamp (string, see parse_timestamp_micros);
// - fields in any order; whitespace anywhere JSON allows it;
// - unknown extra fields are ignored (but must be valid JSON), as Spark's from_json does, so
//   a producer that adds a field does not break the processor.
// What is refused, and why (first match wins, in this order):
// - too_large: longer than max_value_bytes (checked before reading anything);
// - malformed_json: empty, not JSON, not UTF-8, not an object, trailing content, nesting deeper
//   than kMaxNesting, or one of the four fields given twice (parsers disagree on which copy
//   wins, so the record is ambiguous);
// - missing_field: a field absent or null (Spark reads both as null), or name empty (name is
//   Cassandra's partition key, which cannot be empty);
//   (too_large, the empty name, the rating's range and the timestamp's years are the rules of
//   message_rules.hpp, which the producer checks its input against too)
// - bad_type: a field of another JSON type. rating must be a JSON integer: 7.0, 7e0 and "7"
//   are bad_type, as Spark's from_json with IntegerType gives null for them;
// - rating_out_of_range: an integer outside 1..10 (including ones too big for 64 bits);
// - bad_timestamp: timestamp is not a date and time that exists, or its instant in UTC is outside
//   years 0001..9999 (0001-01-01T00:00:00+14:00 is in year 0).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "rating/message_rules.hpp"  // Rejection, kDefaultMaxValueBytes and the field rules
#include "rating/reject_reason.hpp"
#include "rating/time_zone.hpp"

namespace ratingstream::rating {

// Nesting allowed inside ignored fields; a rating needs none, and the limit bounds recursion.
inline constexpr int kMaxNesting = 64;

// A rating as read. name and movie view the decoder's buffers: they stay valid until that
// decoder's next decode() (copy them into the row before decoding the next record).
struct DecodedRating {
  std::string_view name;
  std::string_view movie;
  int rating = 0;
  std::int64_t timestamp_us = 0;  // microseconds since the Unix epoch, UTC
};

using DecodeResult = std::variant<DecodedRating, Rejection>;

// Reused for every record of one consumer: it owns the JSON parser and a padded input buffer,
// both sized once for max_value_bytes. Not thread-safe: one decoder per thread.
class RatingDecoder {
 public:
  explicit RatingDecoder(TimeZone zone_for_local = TimeZone::utc(),
                         std::size_t max_value_bytes = kDefaultMaxValueBytes);
  ~RatingDecoder();
  RatingDecoder(RatingDecoder&&) noexcept;
  RatingDecoder& operator=(RatingDecoder&&) noexcept;

  DecodeResult decode(std::string_view value);

  std::size_t max_value_bytes() const { return max_value_bytes_; }
  const TimeZone& zone_for_local() const { return zone_for_local_; }

 private:
  struct Parser;  // simdjson stays out of this header
  TimeZone zone_for_local_;
  std::size_t max_value_bytes_;
  std::unique_ptr<Parser> parser_;
};

}  // namespace ratingstream::rating
