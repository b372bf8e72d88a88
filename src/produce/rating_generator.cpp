#include "produce/rating_generator.hpp"

#include <stdexcept>

namespace ratingstream::produce {

RatingGenerator::RatingGenerator(std::span<const std::string> people, std::span<const std::string> movies,
                                 std::uint64_t seed)
    : people_(people), movies_(movies), random_(seed) {
  if (people_.empty() || movies_.empty()) throw std::invalid_argument("RatingGenerator: no people or no movies");
}

void RatingGenerator::fill(std::uint64_t index, std::int64_t timestamp_us, rating::Rating& out) {
  out.name.assign(people_[index % people_.size()]);
  out.movie.assign(movies_[random_.below(movies_.size())]);
  out.rating = random_.between(rating::kMinRating, rating::kMaxRating);
  out.timestamp_us = timestamp_us;
}

}  // namespace ratingstream::produce
