#include "produce/progress_meter.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "produce/report_lines.hpp"

namespace ratingstream::produce {

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
