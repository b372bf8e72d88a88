#pragma once
// The producer's side of the processor's rules (rating/message_rules.hpp): whether what its
// messages are made of, names and titles, makes messages the processor accepts. Checked once,
// before anything is sent, so a bad title or name is an input error and not a stream of
// messages the processor dead-letters (or the broker refuses).

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rating/message_rules.hpp"

namespace ratingstream::produce {

// The refusal of the largest message the producer can make of `name` and `title` (rating 10,
// the most digits; every timestamp takes the same 27 characters), or nullopt when the processor
// takes them all.
std::optional<rating::Rejection> refusal_of_messages(std::string_view name, std::string_view title);

// The one of `people` whose messages are the largest (the longest as JSON): the name to check
// the titles with. Empty when there are no people.
std::string_view longest_name(std::span<const std::string> people);

}  // namespace ratingstream::produce
