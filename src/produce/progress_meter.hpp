#pragma once
// Load mode's once-a-second progress line on stderr.

#include "produce/clock.hpp"
#include "produce/delivery_counts.hpp"

namespace ratingstream::produce {

class ProgressMeter {
 public:
  explicit ProgressMeter(const Clock& clock);
  // Prints a progress line when a second or more has passed since the last one (or the start).
  void update(const DeliveryCounts& counts);
  // The same, but looks at the clock only every 1024th call (per message at a million a second).
  void update_now_and_then(const DeliveryCounts& counts) {
    if ((++calls_ & 1023u) == 0) update(counts);
  }

 private:
  const Clock& clock_;
  std::uint64_t calls_ = 0;
  Clock::TimePoint last_;
  std::uint64_t last_delivered_ = 0;
};

}  // namespace ratingstream::produce
