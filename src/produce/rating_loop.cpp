#include "produce/rating_loop.hpp"

#include <algorithm>

namespace ratingstream::produce {

std::uint64_t run_rating_loop(const Schedule& schedule, RatingGenerator& generator, const Clock& clock,
                              RatingOutlet& outlet, const std::atomic<bool>& stop, const TimestampOf& timestamp_of) {
  const Clock::TimePoint start = clock.now();
  rating::Rating rating;  // reused: its strings keep their capacity from message to message
  std::uint64_t sent = 0;
  while (!schedule.done(sent) && !stop.load(std::memory_order_relaxed)) {
    const std::chrono::nanoseconds offset = schedule.due(sent);
    // Unpaced load mode is always due: skip the clock there, it is the hot path.
    if (offset > std::chrono::nanoseconds::zero()) {
      const Clock::TimePoint due = start + offset;
      // Wait in short slices: a signal sets `stop` but does not wake a waiting librdkafka poll.
      for (Clock::TimePoint now = clock.now(); now < due; now = clock.now()) {
        if (stop.load(std::memory_order_relaxed)) return sent;
        outlet.idle(std::min<std::chrono::nanoseconds>(due - now, kMaxIdle));
      }
    }
    generator.fill(sent, timestamp_of ? timestamp_of(sent) : micros_since_epoch(clock.wall_now()), rating);
    if (!outlet.send(rating)) break;
    ++sent;
  }
  return sent;
}

}  // namespace ratingstream::produce
