#include "process/batch_trigger.hpp"

#include <limits>
#include <stdexcept>

namespace ratingstream::process {

BatchTrigger::BatchTrigger(std::chrono::milliseconds interval, std::size_t max_records, Clock clock)
    : interval_(interval), max_records_(max_records), clock_(std::move(clock)) {
  if (interval_.count() < 0) throw std::invalid_argument("the trigger interval must not be negative");
  if (!clock_) throw std::invalid_argument("the batch trigger needs a clock");
}

void BatchTrigger::open() {
  const TimePoint now = clock_();
  if (!opened_before_) {
    deadline_ = now + interval_;
    opened_before_ = true;
  } else {
    deadline_ += interval_;
    if (deadline_ < now) deadline_ = now;  // the last batch overran: this one is due at once
  }
  records_ = 0;
}

void BatchTrigger::add(std::size_t count) { records_ += count; }

std::size_t BatchTrigger::room() const {
  if (max_records_ == 0) return std::numeric_limits<std::size_t>::max();
  return records_ >= max_records_ ? 0 : max_records_ - records_;
}

bool BatchTrigger::due() const {
  if (max_records_ != 0 && records_ >= max_records_) return true;
  if (continuous()) return records_ > 0;
  return clock_() >= deadline_;
}

std::chrono::milliseconds BatchTrigger::wait_budget() const {
  using std::chrono::milliseconds;
  if (due()) return milliseconds{0};
  if (continuous()) return milliseconds::max();
  // Rounded up, so that waiting the budget really reaches the deadline.
  return std::chrono::ceil<milliseconds>(deadline_ - clock_());
}

}  // namespace ratingstream::process
