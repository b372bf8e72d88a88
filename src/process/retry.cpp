#include "process/retry.hpp"

#include <algorithm>
#include <thread>

namespace ratingstream::process {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
    : initial_(initial), max_(std::max(initial, max)), current_(initial) {}

std::chrono::milliseconds Backoff::next() {
  const auto wait = current_;
  current_ = std::min(current_ * 2, max_);
  return wait;
}

void Backoff::reset() { current_ = initial_; }

WarningThrottle::WarningThrottle(std::chrono::milliseconds every) : every_(every) {}

bool WarningThrottle::due(TimePoint now) {
  if (last_ && now - *last_ < every_) return false;
  last_ = now;
  return true;
}

void WarningThrottle::reset() { last_.reset(); }

bool wait_unless_stopped(std::chrono::milliseconds duration, const StopFlag& stop, const KeepAlive& keep_alive) {
  // Short slices: a signal is noticed within 100 ms, and the consumer is served as often.
  constexpr std::chrono::milliseconds kSlice{100};
  const auto until = std::chrono::steady_clock::now() + duration;
  for (;;) {
    if (stop.load(std::memory_order_relaxed)) return false;
    if (keep_alive) keep_alive();
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kSlice, until - now));
  }
}

}  // namespace ratingstream::process
