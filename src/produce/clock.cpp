#include "produce/clock.hpp"

namespace ratingstream::produce {

Clock::TimePoint SystemClock::now() const { return std::chrono::steady_clock::now(); }

std::int64_t SystemClock::utc_micros() const {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace ratingstream::produce
