#pragma once
// When the consumer may commit during a cooperative rebalance (docs/delivery.md, "Rebalances").
//
// After a cooperative revocation librdkafka delivers an assignment at once (the partitions added
// in the same round, often none), rejoins the group, and delivers a second assignment when that
// follow-up rebalance completes. A commit sent in between can meet the next generation: the broker
// answers ILLEGAL_GENERATION and librdkafka before 2.10 then treated the member's whole assignment
// as lost (https://github.com/confluentinc/librdkafka/issues/4059). The library linked now has the
// fix; the gate stays, as it costs only a commit's delay after a revocation and keeps the binary
// safe on an older librdkafka. So after a revocation commits wait for the second assignment; a
// deadline bounds the wait should it never come. Pure bookkeeping over the times the caller passes.

#include <chrono>
#include <optional>

namespace ratingstream::kafka {

class CommitGate {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  static constexpr std::chrono::seconds kLongestWait{30};

  // Partitions were given up in a cooperative rebalance (not lost, not while closing).
  void revoked(TimePoint now);
  // The consumer was given an assignment (possibly empty).
  void assigned();
  // Whether a commit may be sent now.
  bool open(TimePoint now) const;

 private:
  int assignments_awaited_ = 0;
  std::optional<TimePoint> deadline_;
};

}  // namespace ratingstream::kafka
