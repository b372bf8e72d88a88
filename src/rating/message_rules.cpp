#include "rating/message_rules.hpp"

#include <simdjson.h>

#include "rating/json_encode.hpp"
#include "rating/timestamp.hpp"

namespace ratingstream::rating {

std::optional<Rejection> value_size_refusal(std::size_t value_bytes, std::size_t max_value_bytes) {
  if (value_bytes <= max_value_bytes) return std::nullopt;
  return Rejection{RejectReason::too_large, "the value is " + std::to_string(value_bytes) + " bytes; the limit is " +
                                                std::to_string(max_value_bytes)};
}

std::optional<Rejection> text_refusal(std::string_view field, std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) return std::nullopt;
  return Rejection{RejectReason::malformed_json, "the field \"" + std::string(field) + "\" is not valid UTF-8"};
}

std::optional<Rejection> name_refusal(std::string_view name) {
  if (!name.empty()) return std::nullopt;
  return Rejection{RejectReason::missing_field, "the field \"name\" is empty"};
}

std::optional<Rejection> rating_refusal(std::int64_t rating) {
  if (rating >= kMinRating && rating <= kMaxRating) return std::nullopt;
  return Rejection{RejectReason::rating_out_of_range, "the rating " + std::to_string(rating) + " is not between " +
                                                          std::to_string(kMinRating) + " and " +
                                                          std::to_string(kMaxRating)};
}

std::optional<Rejection> timestamp_refusal(std::int64_t timestamp_us) {
  if (is_representable_timestamp(timestamp_us)) return std::nullopt;
  return Rejection{RejectReason::bad_timestamp,
                   "the timestamp (" + std::to_string(timestamp_us) +
                       " us since 1970) is outside years 0001 to 9999 in UTC, which are all that can be stored and "
                       "queried"};
}

std::optional<Rejection> message_refusal(const Rating& rating, std::size_t max_value_bytes) {
  // The decoder's order: the size of the whole value first, then what is inside it.
  std::string value;
  append_json(value, rating);
  if (auto refusal = value_size_refusal(value.size(), max_value_bytes)) return refusal;
  if (auto refusal = text_refusal("name", rating.name)) return refusal;
  if (auto refusal = text_refusal("movie", rating.movie)) return refusal;
  if (auto refusal = name_refusal(rating.name)) return refusal;
  if (auto refusal = rating_refusal(rating.rating)) return refusal;
  return timestamp_refusal(rating.timestamp_us);
}

}  // namespace ratingstream::rating
