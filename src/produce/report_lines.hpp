#pragma once
// The lines `produce` reports on stderr: a progress line per second in load mode, one summary at the end.

#include <chrono>
#include <string>

#include "produce/delivery_counts.hpp"

namespace ratingstream::produce {

// "progress: sent 120000, delivered 118500, in flight 1500, 118500 msg/s"
std::string format_progress(const DeliveryCounts& counts, double delivered_per_second);

// "summary: sent 300, delivered 300, failed 0, elapsed 1.52s, 197.4 msg/s", plus
// ", not confirmed 12" when messages were still in flight at the end. The rate is of deliveries.
std::string format_summary(const DeliveryCounts& counts, std::chrono::duration<double> elapsed);

}  // namespace ratingstream::produce
