#include "produce/delivery_report.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace ratingstream::produce {

std::string format_progress(const DeliveryCounts& counts, double delivered_per_second) {
  return fmt::format("progress: sent {}, delivered {}, in flight {}, {:.0f} msg/s", counts.sent, counts.delivered,
                     counts.in_flight(), delivered_per_second);
}

std::string format_summary(const DeliveryCounts& counts, std::chrono::duration<double> elapsed) {
  const double seconds = elapsed.count();
  const double rate = seconds > 0 ? static_cast<double>(counts.delivered) / seconds : 0.0;
  std::string line = fmt::format("summary: sent {}, delivered {}, failed {}, elapsed {:.2f}s, {:.1f} msg/s",
                                 counts.sent, counts.delivered, counts.failed, seconds, rate);
  if (counts.in_flight() != 0) line += fmt::format(", not confirmed {}", counts.in_flight());
  return line;
}

ProgressMeter::ProgressMeter(const Clock& clock) : clock_(clock), last_(clock.now()) {}

void ProgressMeter::update(const DeliveryCounts& counts) {
  const Clock::TimePoint now = clock_.now();
  const std::chrono::duration<double> since = now - last_;
  if (since < std::chrono::seconds(1)) return;
  const double rate = static_cast<double>(counts.delivered - last_delivered_) / since.count();
  fmt::print(stderr, "{}\n", format_progress(counts, rate));
  last_ = now;
  last_delivered_ = counts.delivered;
}

}  // namespace ratingstream::produce
