#pragma once
// Durations on the command line: "500ms", "10s", "2m", "1h", "400d", or a bare "0".

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ratingstream {

// The duration written as <integer><unit> with unit ms, s, m, h or d ("0" alone is also accepted);
// nullopt when the text is not of that form or would overflow.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// Shortest exact spelling of d in the same units ("1500ms", "10s", "2m").
std::string format_duration(std::chrono::milliseconds d);

}  // namespace ratingstream
