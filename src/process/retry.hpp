#pragma once
// Pacing of retries while a server is away (the Cassandra sink and the dead-letter producer;
// docs/delivery.md, "Retries on a cluster"): an exponential backoff between attempts, a throttle
// so the "still failing" warning appears every few seconds rather than once per attempt, and a
// wait that stays responsive to SIGINT/SIGTERM and keeps the Kafka consumer alive while it lasts.

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

namespace ratingstream::process {

// Set by the signal handler: stop taking records, finish or abandon the current batch.
using StopFlag = std::atomic<bool>;

// Called now and then while the pipeline waits for a server, so the Kafka consumer stays in its
// group (librdkafka's max.poll.interval.ms) and rebalances are served. May be empty.
using KeepAlive = std::function<void()>;

// 100 ms, 200 ms, 400 ms, ... up to `max`, then `max` for as long as the failure lasts.
class Backoff {
 public:
  explicit Backoff(std::chrono::milliseconds initial = std::chrono::milliseconds(100),
                   std::chrono::milliseconds max = std::chrono::seconds(5));
  // The wait before the next attempt; each call doubles the following one (up to the maximum).
  std::chrono::milliseconds next();
  // The failure is over: the next failure starts again at `initial`.
  void reset();

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds current_;
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

}  // namespace ratingstream::process
