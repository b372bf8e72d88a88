#pragma once
// What became of the messages handed to Kafka, and the lines `produce` reports it in on stderr:
// a progress line per second in load mode, one summary at the end.

#include <chrono>
#include <cstdint>
#include <string>

#include "produce/schedule.hpp"

namespace ratingstream::produce {

struct DeliveryCounts {
  std::uint64_t sent = 0;       // handed to the producer (refused ones included)
  std::uint64_t delivered = 0;  // acknowledged by the broker (acks=all)
  std::uint64_t failed = 0;     // refused by the producer or reported failed

  // Neither delivered nor failed yet.
  std::uint64_t in_flight() const { return sent - delivered - failed; }
  // Failed, or still unconfirmed when the run ended.
  std::uint64_t undelivered() const { return sent - delivered; }
};

// "progress: sent 120000, delivered 118500, in flight 1500, 118500 msg/s"
std::string format_progress(const DeliveryCounts& counts, double delivered_per_second);

// "summary: sent 300, delivered 300, failed 0, elapsed 1.52s, 197.4 msg/s", plus
// ", not confirmed 12" when messages were still in flight at the end. The rate is of deliveries.
std::string format_summary(const DeliveryCounts& counts, std::chrono::duration<double> elapsed);

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
