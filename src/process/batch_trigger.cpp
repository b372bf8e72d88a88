#include "process/batch_trigger.hpp"

#include <limits>
#include <stdexcept>

namespace ratingstream::process {

BatchTrigger::BatchTrigger(std::chrono::milliseconds interval, std::size_t max_records, const Clock& clock)
    : interval_(interval), max_records_(max_records), clock_(clock) {
  if (interval_.count() < 0) throw std::invalid_argument("the trigger interval must not be negative");
}

void BatchTrigger::open() {
  const TimePoint now = clock_.now();
  if (!opened_before_) {
    origin_ = now;
    deadline_ = now + interval_;
    opened_before_ = true;
  } else if (interval_.count() > 0) {
    // The first boundary after the previous batch began; already past when that batch overran,
    // and then due() is true at once.
    const TimePoint began = closed_at_.value_or(now);
    const auto intervals_before = began < origin_ ? 0 : (began - origin_) / interval_;
    deadline_ = origin_ + (intervals_before + 1) * interval_;
  }
  closed_at_.reset();
  records_ = 0;
}

void BatchTrigger::close() { closed_at_ = clock_.now(); }

void BatchTrigger::add(std::size_t count) { records_ += count; }

std::size_t BatchTrigger::room() const {
  if (max_records_ == 0) return std::numeric_limits<std::size_t>::max();
  return records_ >= max_records_ ? 0 : max_records_ - records_;
}

bool BatchTrigger::due() const {
  if (max_records_ != 0 && records_ >= max_records_) return true;
  if (continuous()) return records_ > 0;
  return clock_.now() >= deadline_;
}

std::chrono::milliseconds BatchTrigger::wait_budget() const {
  using std::chrono::milliseconds;
  if (due()) return milliseconds{0};
  if (continuous()) return milliseconds::max();
  // Rounded up, so that waiting the budget really reaches the deadline.
  return std::chrono::ceil<milliseconds>(deadline_ - clock_.now());
}

}  // namespace ratingstream::process
