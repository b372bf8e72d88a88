#pragma once
// The one way time reaches code that reads it (docs/architecture.md, "Time"):
// a component that asks for the time itself takes a `const Clock&`, real_clock() in the product,
// a ManualClock in tests, which then drive it without sleeping. Pure bookkeeping (retry pacing,
// the commit gate, the answer cache) takes the moment as an argument instead and reads no clock.

#include <chrono>
#include <cstdint>

namespace ratingstream {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using WallTime = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  // Monotonic time, for pacing and deadlines: never jumps when the wall clock is set.
  virtual TimePoint now() const = 0;
  // Wall-clock time (UTC): for timestamps and "the last N minutes".
  virtual WallTime wall_now() const = 0;
};

// std::chrono's steady and system clocks.
const Clock& real_clock();

// Microseconds since the Unix epoch of a wall time.
inline std::int64_t micros_since_epoch(Clock::WallTime t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

// Milliseconds since the Unix epoch of a wall time (CQL's `timestamp`).
inline std::int64_t millis_since_epoch(Clock::WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Time that moves only when told to: both readings advance together.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(WallTime wall_start = WallTime{}, TimePoint start = TimePoint{std::chrono::hours(1000)})
      : start_(start), wall_start_(wall_start) {}
  TimePoint now() const override { return start_ + elapsed_; }
  WallTime wall_now() const override { return wall_start_ + std::chrono::duration_cast<WallTime::duration>(elapsed_); }
  void advance(std::chrono::nanoseconds by) { elapsed_ += by; }
  std::chrono::nanoseconds elapsed() const { return elapsed_; }

 private:
  TimePoint start_;
  WallTime wall_start_;
  std::chrono::nanoseconds elapsed_{0};
};

}  // namespace ratingstream
