#include "produce/report_lines.hpp"

#include <fmt/format.h>

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

}  // namespace ratingstream::produce
