#include "query/duration_average.hpp"

namespace ratingstream::query {

void DurationAverage::add(std::optional<std::int32_t> duration) {
  ++rows_;
  if (duration) {
    sum_ += *duration;
  } else {
    ++without_duration_;
  }
}

void DurationAverage::add_counted(std::int64_t rows, std::int64_t without_duration, std::int64_t sum) {
  rows_ += rows;
  without_duration_ += without_duration;
  sum_ += sum;
}

std::optional<Hundredths> DurationAverage::average() const {
  const std::int64_t count = rows_ - without_duration_;
  if (count == 0) return std::nullopt;
  // round(100 * sum / count) = (200 * |sum| + count) / (2 * count) in integers, signed after:
  // exact, no floating point. 128 bits: 200 * sum can pass 2^63 where sum alone does not.
  const __int128 magnitude = sum_ < 0 ? -static_cast<__int128>(sum_) : static_cast<__int128>(sum_);
  const __int128 rounded = (200 * magnitude + count) / (2 * static_cast<__int128>(count));
  return Hundredths{static_cast<std::int64_t>(sum_ < 0 ? -rounded : rounded)};
}

}  // namespace ratingstream::query
