#include "produce/schedule.hpp"

#include <cmath>
#include <stdexcept>

namespace ratingstream::produce {

Schedule Schedule::rounds(std::chrono::nanoseconds interval, std::size_t people, std::uint64_t count) {
  if (people == 0) throw std::invalid_argument("Schedule::rounds: no people");
  Schedule s;
  s.interval_ = interval;
  s.people_ = people;
  s.count_ = count;
  return s;
}

Schedule Schedule::rate(double per_second, std::uint64_t count) {
  if (!(per_second >= 0) || std::isinf(per_second)) throw std::invalid_argument("Schedule::rate: bad rate");
  Schedule s;
  s.load_mode_ = true;
  s.nanos_per_message_ = per_second == 0 ? 0 : 1e9 / per_second;
  s.count_ = count;
  return s;
}

std::chrono::nanoseconds Schedule::due(std::uint64_t index) const {
  if (load_mode_) {
    return std::chrono::nanoseconds{std::llround(static_cast<double>(index) * nanos_per_message_)};
  }
  return interval_ * static_cast<std::int64_t>(index / people_);
}

}  // namespace ratingstream::produce
