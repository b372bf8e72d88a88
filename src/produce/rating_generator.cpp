#include "produce/rating_generator.hpp"

#include <chrono>
#include <stdexcept>

namespace ratingstream::produce {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

RandomSource::RandomSource(std::uint64_t seed) {
  for (auto& word : state_) word = splitmix64(seed);
}

std::uint64_t RandomSource::next() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

std::uint64_t RandomSource::below(std::uint64_t n) {
  unsigned __int128 product = static_cast<unsigned __int128>(next()) * n;
  auto low = static_cast<std::uint64_t>(product);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      product = static_cast<unsigned __int128>(next()) * n;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

int RandomSource::between(int low, int high) {
  const auto span = static_cast<std::uint64_t>(static_cast<std::int64_t>(high) - low + 1);
  return static_cast<int>(low + static_cast<std::int64_t>(below(span)));
}

std::uint64_t seed_from_clock() {
  return static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t purpose) {
  std::uint64_t x = seed ^ (purpose * 0xd1b54a32d192ed03ULL);
  return splitmix64(x);
}

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
