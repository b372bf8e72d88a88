#include "produce/message_check.hpp"

#include "rating/json_encode.hpp"
#include "rating/rating.hpp"
#include "rating/timestamp.hpp"

namespace ratingstream::produce {

std::optional<rating::Rejection> refusal_of_messages(std::string_view name, std::string_view title) {
  // Any instant the clock gives is written in as many characters as this one.
  const rating::Rating largest{std::string(name), std::string(title), rating::kMaxRating, rating::kLastTimestampMicros};
  return rating::message_refusal(largest);
}

std::string_view longest_name(std::span<const std::string> people) {
  std::string_view longest;
  std::size_t longest_json = 0;
  std::string json;
  for (const auto& name : people) {
    json.clear();
    rating::append_json_string(json, name);
    if (json.size() > longest_json) {
      longest_json = json.size();
      longest = name;
    }
  }
  return longest;
}

}  // namespace ratingstream::produce
