#pragma once
// The pools the producer draws its people from: given names and family names of many origins,
// written for this project (no generator library, no copied list).

#include <span>
#include <string_view>

namespace ratingstream::produce {

// Distinct given names, UTF-8, none empty.
std::span<const std::string_view> first_names();
// Distinct family names, UTF-8, none empty.
std::span<const std::string_view> last_names();

}  // namespace ratingstream::produce
