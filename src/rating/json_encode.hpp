#pragma once
// A Rating as the JSON value of its Kafka message (docs/contract.md, "Message format"):
//   {"name":"…","movie":"…","rating":7,"timestamp":"2025-03-13T19:26:50.863211Z"}

#include <string>
#include <string_view>

#include "rating/rating.hpp"

namespace ratingstream::rating {

// Appends the JSON object for `rating` to `out`. Exactly the message's four fields, in that order,
// compact. Reusing one `out` across messages (clear() then append) allocates only when the buffer
// has to grow: this is the producer's hot path.
void append_json(std::string& out, const Rating& rating);

// The same object as a new string (tests, one-off use).
std::string to_json(const Rating& rating);

// Appends `text` as a JSON string literal, quotes included. Quotes, backslashes and control
// characters (U+0000..U+001F) are escaped; every other byte, UTF-8 included, is copied as is, so
// non-ASCII titles stay readable on the wire. `text` is expected to be valid UTF-8 (the movies
// loader checks it; generated names are).
void append_json_string(std::string& out, std::string_view text);

}  // namespace ratingstream::rating
