#pragma once
// A movie rating as it travels on the Kafka topic (docs/contract.md, "Message format").

#include <cstdint>
#include <string>

namespace ratingstream::rating {

inline constexpr int kMinRating = 1;
inline constexpr int kMaxRating = 10;

struct Rating {
  std::string name;               // the person who watched; also the Kafka key
  std::string movie;              // the title, as in the movies file
  int rating = 0;                 // kMinRating..kMaxRating
  std::int64_t timestamp_us = 0;  // when it was rated: microseconds since the Unix epoch, UTC
};

}  // namespace ratingstream::rating
