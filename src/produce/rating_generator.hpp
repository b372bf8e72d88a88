#pragma once
// The content of each message: whose turn it is, a uniformly random movie, a uniform rating 1..10.

#include <cstdint>
#include <span>
#include <string>

#include "produce/random_source.hpp"
#include "rating/rating.hpp"

namespace ratingstream::produce {

class RatingGenerator {
 public:
  // `people` and `movies` must outlive the generator and not be empty.
  RatingGenerator(std::span<const std::string> people, std::span<const std::string> movies, std::uint64_t seed);

  // Overwrites `out` with message number `index`: person index % people (so a round of messages
  // goes through everyone in order), a random movie and rating, and `timestamp_us`. Reusing `out`
  // reuses its strings' capacity.
  void fill(std::uint64_t index, std::int64_t timestamp_us, rating::Rating& out);

 private:
  std::span<const std::string> people_;
  std::span<const std::string> movies_;
  RandomSource random_;
};

}  // namespace ratingstream::produce
