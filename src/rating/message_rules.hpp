#pragma once
// What the processor accepts in a rating message besides its JSON shape, stated once. The
// decoder (decode.hpp) applies these rules to every record it reads, and the producer applies
// them to its names and titles before it sends anything, so the producer never sends a message
// that its own processor refuses.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rating/rating.hpp"
#include "rating/reject_reason.hpp"

namespace ratingstream::rating {

// The largest record value the processor reads by default (and so the largest message the
// producer may send): bigger values are refused before they are parsed.
inline constexpr std::size_t kDefaultMaxValueBytes = 64 * 1024;

struct Rejection {
  RejectReason reason;
  std::string detail;  // one line saying what was wrong, for logs and dead-letter headers
};

// too_large: a value of `value_bytes` bytes is longer than `max_value_bytes`.
std::optional<Rejection> value_size_refusal(std::size_t value_bytes, std::size_t max_value_bytes);

// malformed_json: `text`, the value of the field `field`, is not valid UTF-8 (JSON text must
// be). The decoder has this from its JSON parser, which validates the whole value at once.
std::optional<Rejection> text_refusal(std::string_view field, std::string_view text);

// missing_field: an empty name (the name is Cassandra's partition key, which cannot be empty).
std::optional<Rejection> name_refusal(std::string_view name);

// rating_out_of_range: a rating outside kMinRating..kMaxRating.
std::optional<Rejection> rating_refusal(std::int64_t rating);

// bad_timestamp: an instant outside years 0001..9999 in UTC (is_representable_timestamp).
std::optional<Rejection> timestamp_refusal(std::int64_t timestamp_us);

// The message the producer makes of `rating` (json_encode.hpp) checked by all the rules above,
// in the decoder's order: the first refusal, or nullopt when the processor accepts it.
std::optional<Rejection> message_refusal(const Rating& rating, std::size_t max_value_bytes = kDefaultMaxValueBytes);

}  // namespace ratingstream::rating
