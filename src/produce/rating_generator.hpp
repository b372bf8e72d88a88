#pragma once
// The content of each message: whose turn it is, a uniformly random movie, a uniform rating
// 1..10; and the seeded randomness behind it, the same names, movies and ratings for the same seed
// on every platform (std::uniform_int_distribution is implementation-defined, so the ranges are
// drawn here).

#include <cstdint>
#include <span>
#include <string>

#include "rating/rating.hpp"

namespace ratingstream::produce {

// xoshiro256** seeded through splitmix64 (public-domain algorithms by Blackman and Vigna): fast,
// 256 bits of state, well-distributed output.
class RandomSource {
 public:
  explicit RandomSource(std::uint64_t seed);

  std::uint64_t next();
  // Uniform in [0, n), without modulo bias (Lemire's multiply-and-reject). n > 0.
  std::uint64_t below(std::uint64_t n);
  // Uniform in [low, high].
  int between(int low, int high);

 private:
  std::uint64_t state_[4];
};

// A seed for runs without --seed: the current time in nanoseconds (printed so the run can be repeated).
std::uint64_t seed_from_clock();

// An independent seed for one use of the run seed (names, ratings), so that changing how many names
// are drawn does not shift the ratings.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t purpose);

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
