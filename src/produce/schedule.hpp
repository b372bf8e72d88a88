#pragma once
// When each message is due, counted from the start of the run: rounds of one rating per person
// every --interval (10 s by default), or --rate messages a second in load mode. The loop reads
// the time from a Clock (common/clock.hpp), so tests drive the schedule without sleeping.

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "common/clock.hpp"

namespace ratingstream::produce {

class Schedule {
 public:
  // Schedule mode: rounds of one message per person, a round every `interval`, the first at once.
  // Rounds keep to the start time (round k is due at k * interval) so they do not drift.
  static Schedule rounds(std::chrono::nanoseconds interval, std::size_t people, std::uint64_t count);
  // Load mode: `per_second` messages a second in total, evenly spaced; 0 = unpaced.
  static Schedule rate(double per_second, std::uint64_t count);

  // Offset from the start at which message `index` (0-based) is due.
  std::chrono::nanoseconds due(std::uint64_t index) const;
  // True once `sent` messages are all the run should send (never for count 0 = until stopped).
  bool done(std::uint64_t sent) const { return count_ != 0 && sent >= count_; }
  bool load_mode() const { return load_mode_; }

 private:
  Schedule() = default;
  bool load_mode_ = false;
  std::chrono::nanoseconds interval_{0};
  std::size_t people_ = 1;
  double nanos_per_message_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace ratingstream::produce
