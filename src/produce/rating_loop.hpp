#pragma once
// The producer's main loop: generate each rating when the schedule says it is due and hand it on.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "produce/rating_generator.hpp"
#include "produce/schedule.hpp"
#include "rating/rating.hpp"

namespace ratingstream::produce {

// Where the ratings go (Kafka in the binary, a recorder in tests).
class RatingOutlet {
 public:
  virtual ~RatingOutlet() = default;
  // Takes one rating. False when the outlet cannot go on (stopped while it waited for room, a
  // fatal producer error); the loop then ends.
  virtual bool send(const rating::Rating& rating) = 0;
  // Lets up to `at_most` pass while doing background work (delivery reports); may return sooner.
  virtual void idle(std::chrono::nanoseconds at_most) = 0;
};

// The longest single idle() call, so a stop request is seen within this time.
inline constexpr std::chrono::milliseconds kMaxIdle{100};

// The timestamp (microseconds since the epoch, UTC) of message `index`, for ratings of the past.
using TimestampOf = std::function<std::int64_t(std::uint64_t index)>;

// Sends ratings until the schedule is done, `stop` is set, or the outlet gives up. Each rating's
// timestamp is the clock's UTC time when it is generated, or `timestamp_of`'s when given.
// Returns how many ratings were sent.
std::uint64_t run_rating_loop(const Schedule& schedule, RatingGenerator& generator, const Clock& clock,
                              RatingOutlet& outlet, const std::atomic<bool>& stop,
                              const TimestampOf& timestamp_of = {});

}  // namespace ratingstream::produce
