#pragma once
// Why a Kafka record could not be read as a rating. The names are the ones counted in metrics
// and written to the dead-letter topic's headers, so they are part of the contract
// (docs/contract.md, "What the processor accepts").

#include <array>
#include <cstdint>
#include <string_view>

namespace ratingstream::rating {

enum class RejectReason : std::uint8_t {
  malformed_json,       // not one valid UTF-8 JSON object (also: empty, duplicate field)
  missing_field,        // one of name, movie, rating, timestamp absent or null (or name empty)
  bad_type,             // a field of the wrong JSON type (rating 7.0 or "7", name 42, ...)
  rating_out_of_range,  // rating an integer outside 1..10
  bad_timestamp,        // timestamp not an ISO-8601 date and time that exists
  too_large,            // the value is longer than the configured limit
};

inline constexpr std::array kAllRejectReasons{RejectReason::malformed_json, RejectReason::missing_field,
                                              RejectReason::bad_type,       RejectReason::rating_out_of_range,
                                              RejectReason::bad_timestamp,  RejectReason::too_large};

// The reason's name as above ("malformed_json").
std::string_view to_string(RejectReason reason);

}  // namespace ratingstream::rating
