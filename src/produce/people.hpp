#pragma once
// The people who rate: generated full names (14 by default, --people) plus the fixed own name
// (`Stelios Giagkos` by default, --me), as the original producer had.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ratingstream::produce {

// How many distinct generated names the name pools can give when `own_name` must not be repeated.
std::size_t max_generated_people(std::string_view own_name);

// `count` distinct "First Last" names drawn from the name pools with `seed` (same seed, same names,
// same order), followed by `own_name` unless it is empty. No generated name equals the own name.
// Throws InputError when `count` exceeds max_generated_people(own_name).
std::vector<std::string> make_people(std::size_t count, std::string_view own_name, std::uint64_t seed);

}  // namespace ratingstream::produce
