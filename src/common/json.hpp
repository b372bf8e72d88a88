#pragma once
// JSON written off the hot path (progress lines, the dashboard's answers, `query --format json`):
// one writer, nlohmann-json (Debian nlohmann-json3-dev), keys in the order they are set. The
// rating messages on the hot path have their own encoder (rating/json_encode.hpp).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ratingstream {

using Json = nlohmann::ordered_json;

// `value` as compact JSON text (`indent` >= 0: pretty-printed). Text that is not valid UTF-8
// (a name from Kafka, a cell from Cassandra) has its bad bytes replaced by U+FFFD: the output is
// always valid JSON, and writing it never throws.
std::string json_text(const Json& value, int indent = -1);

// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);

// A finite number, or null (JSON has no NaN or Infinity).
Json json_number(double value);
// A number rounded to `decimals` places (rates and averages read at a glance), null if not finite.
Json json_rounded(double value, int decimals);
// `value`, or null when it is unset.
template <typename T>
Json json_or_null(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

}  // namespace ratingstream
