#pragma once
// Retrying while a server is away: the one pacing every retry loop of the processor uses (the
// Cassandra sink at start-up and while writing, the dead-letter producer, the consumer waiting
// for its topic; docs/delivery.md, "Retries on a cluster").
//
// An exponential backoff between attempts with jitter, so processors that lost the same server at
// the same moment do not all come back to it at the same moments; a throttle so the "still
// failing" warning appears every few seconds rather than once per attempt; an optional deadline
// after which a run meant to end gives up; and a wait that stays responsive to SIGINT/SIGTERM and
// keeps the Kafka consumer alive while it lasts.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>

namespace ratingstream {

// Set by the signal handler: stop taking records, finish or abandon what is under way.
using StopFlag = std::atomic<bool>;

// Called now and then while the pipeline waits for a server, so the Kafka consumer stays in its
// group (librdkafka's max.poll.interval.ms) and rebalances are served. May be empty.
using KeepAlive = std::function<void()>;

struct RetryPolicy {
  std::chrono::milliseconds first_wait{100};
  std::chrono::milliseconds max_wait{5000};
  std::chrono::milliseconds warn_every{5000};
  // Give up once failing this long without progress; nullopt: retry until stopped.
  std::optional<std::chrono::milliseconds> give_up_after;
};

// A seed for the jitter that differs between processes and between calls (std::random_device
// once per process); never throws.
std::uint64_t random_seed();

// Steps of 100 ms, 200 ms, 400 ms, ... up to `max`, then `max` for as long as the failure lasts.
// Each wait is drawn uniformly from the upper half of its step ("equal jitter": at least half the
// step, so a failing server is never hammered, never more than the step).
class Backoff {
 public:
  explicit Backoff(std::chrono::milliseconds initial = std::chrono::milliseconds(100),
                   std::chrono::milliseconds max = std::chrono::seconds(5), std::uint64_t seed = random_seed());
  // The wait before the next attempt; each call doubles the following step (up to the maximum).
  std::chrono::milliseconds next();
  // The failure is over: the next failure starts again at `initial`.
  void reset();

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds step_;
  std::mt19937_64 random_;
};

// Says whether a repeated warning is due: the first time, then at most once per `every`.
class WarningThrottle {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit WarningThrottle(std::chrono::milliseconds every = std::chrono::seconds(5));
  bool due(TimePoint now);
  // The condition cleared: the next occurrence warns at once.
  void reset();

 private:
  std::chrono::milliseconds every_;
  std::optional<TimePoint> last_;
};

// Waits `duration` in short slices, calling `keep_alive` between them; returns false as soon as
// `stop` is set (the wait is cut short), true when the whole duration passed.
bool wait_unless_stopped(std::chrono::milliseconds duration, const StopFlag& stop, const KeepAlive& keep_alive);

// One retry loop's state across a failure: when it began, whether a warning is due, whether it is
// time to give up, and how long to wait before the next attempt. A loop calls failed() after each
// failed attempt, warning_due() and give_up_due() to decide what to say, wait() before trying
// again, and succeeded() once an attempt works.
class RetryPacer {
 public:
  using SteadyClock = std::chrono::steady_clock;
  explicit RetryPacer(RetryPolicy policy = {}, std::uint64_t seed = random_seed());

  // An attempt failed. `progressed`: it did part of its work (a write round that Cassandra took
  // some rows of), so the server is slow rather than away and the give-up clock starts again.
  void failed(bool progressed = false, SteadyClock::time_point now = SteadyClock::now());
  // An attempt succeeded; returns whether it ended a failure (to say once that the server is
  // back). The next failure starts with the first wait and warns at once.
  bool succeeded();

  bool failing() const { return failure_began_.has_value(); }
  // A warning is due: at the first failure, then at most once per warn_every.
  bool warning_due(SteadyClock::time_point now = SteadyClock::now());
  // The policy's give_up_after has passed since the failure began or last progressed.
  bool give_up_due(SteadyClock::time_point now = SteadyClock::now()) const;
  // Since the failure began (0 when not failing), and since it last progressed.
  SteadyClock::duration failing_for(SteadyClock::time_point now = SteadyClock::now()) const;
  SteadyClock::duration failing_without_progress(SteadyClock::time_point now = SteadyClock::now()) const;

  // The backoff's next wait, cut so that a run that gives up does so when its time is up, not up
  // to a whole wait later; past that time (the caller goes on) the whole wait.
  std::chrono::milliseconds next_wait(SteadyClock::time_point now = SteadyClock::now());
  // Waits next_wait(); false when `stop` was set first.
  bool wait(const StopFlag& stop, const KeepAlive& keep_alive = {});

 private:
  RetryPolicy policy_;
  Backoff backoff_;
  WarningThrottle throttle_;
  std::optional<SteadyClock::time_point> failure_began_;
  SteadyClock::time_point last_progress_{};
};

}  // namespace ratingstream
