#include "common/retry.hpp"

#include <unistd.h>

#include <algorithm>
#include <exception>
#include <thread>

namespace ratingstream {

std::uint64_t random_seed() {
  // One std::random_device read per process (it may throw, or be slow, on some systems), then
  // a splitmix64 sequence: a new pacer per write call costs nothing and never throws.
  static const std::uint64_t process_seed = [] {
    try {
      std::random_device device;
      return (static_cast<std::uint64_t>(device()) << 32) ^ device();
    } catch (const std::exception&) {
      return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
             (static_cast<std::uint64_t>(::getpid()) << 40);
    }
  }();
  static std::atomic<std::uint64_t> drawn{0};
  std::uint64_t z = process_seed + 0x9e3779b97f4a7c15ULL * (drawn.fetch_add(1, std::memory_order_relaxed) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed)
    : initial_(initial), max_(std::max(initial, max)), step_(initial), random_(seed) {}

std::chrono::milliseconds Backoff::next() {
  const auto step = step_;
  step_ = std::min(step_ * 2, max_);
  std::uniform_int_distribution<std::chrono::milliseconds::rep> upper_half(step.count() - step.count() / 2,
                                                                           step.count());
  return std::chrono::milliseconds(upper_half(random_));
}

void Backoff::reset() { step_ = initial_; }

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

RetryPacer::RetryPacer(RetryPolicy policy, std::uint64_t seed)
    : policy_(policy), backoff_(policy.first_wait, policy.max_wait, seed), throttle_(policy.warn_every) {}

void RetryPacer::failed(bool progressed, SteadyClock::time_point now) {
  if (!failure_began_) {
    failure_began_ = now;
    last_progress_ = now;
  } else if (progressed) {
    last_progress_ = now;
  }
}

bool RetryPacer::succeeded() {
  const bool was_failing = failing();
  failure_began_.reset();
  backoff_.reset();
  throttle_.reset();
  return was_failing;
}

bool RetryPacer::warning_due(SteadyClock::time_point now) { return throttle_.due(now); }

bool RetryPacer::give_up_due(SteadyClock::time_point now) const {
  return policy_.give_up_after && failing() && failing_without_progress(now) >= *policy_.give_up_after;
}

RetryPacer::SteadyClock::duration RetryPacer::failing_for(SteadyClock::time_point now) const {
  return failure_began_ ? now - *failure_began_ : SteadyClock::duration::zero();
}

RetryPacer::SteadyClock::duration RetryPacer::failing_without_progress(SteadyClock::time_point now) const {
  return failure_began_ ? now - last_progress_ : SteadyClock::duration::zero();
}

std::chrono::milliseconds RetryPacer::next_wait(SteadyClock::time_point now) {
  auto wait = backoff_.next();
  if (policy_.give_up_after && failing()) {
    const auto left =
        *policy_.give_up_after - std::chrono::duration_cast<std::chrono::milliseconds>(failing_without_progress(now));
    // Past the deadline the caller chose to go on (a failure it does not give up on): the whole
    // wait, never a spin.
    if (left > std::chrono::milliseconds::zero()) wait = std::min(left, wait);
  }
  return wait;
}

bool RetryPacer::wait(const StopFlag& stop, const KeepAlive& keep_alive) {
  return wait_unless_stopped(next_wait(), stop, keep_alive);
}

}  // namespace ratingstream
