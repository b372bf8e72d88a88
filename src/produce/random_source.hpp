#pragma once
// The producer's seeded randomness: the same seed gives the same names, movies and ratings on every
// platform. (std::uniform_int_distribution is implementation-defined, so the ranges are drawn here.)

#include <cstdint>

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

}  // namespace ratingstream::produce
