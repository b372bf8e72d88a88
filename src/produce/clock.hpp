#pragma once
// Time as the producer sees it, behind an interface so tests can drive the schedule without sleeping.

#include <chrono>
#include <cstdint>

namespace ratingstream::produce {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  // Monotonic time, for pacing: never jumps when the wall clock is set.
  virtual TimePoint now() const = 0;
  // Wall-clock time in microseconds since the Unix epoch, UTC: the timestamp of a rating.
  virtual std::int64_t utc_micros() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
  std::int64_t utc_micros() const override;
};

}  // namespace ratingstream::produce
