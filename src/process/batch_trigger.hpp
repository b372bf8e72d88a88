#pragma once
// When a micro-batch closes (docs/delivery.md, "Triggers"): every `--trigger` interval, or as soon
// as records are there when the interval is 0 (continuous), or when it holds
// `--max-records-per-trigger` records. Pure bookkeeping over an injected clock; the consumer
// loop asks it how long to wait and whether to close.
//
// Like Spark's processing-time trigger, batches keep a fixed cadence on a grid of boundaries one
// interval apart, counted from the first open(): a batch is due at the first boundary after the
// previous batch began (closed), so time spent writing a batch counts towards the next one, and
// a batch that closed early because it was full never pushes the next boundary back: after any
// number of full batches, the partial one that follows is due at the same boundary. A batch that
// ran past that boundary makes the next one due at once (docs/delivery.md, "Triggers").

#include <chrono>
#include <cstddef>
#include <optional>

#include "common/clock.hpp"

namespace ratingstream::process {

class BatchTrigger {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // interval 0: continuous; max_records 0: no limit. Throws std::invalid_argument for a
  // negative interval. `clock` must outlive the trigger.
  BatchTrigger(std::chrono::milliseconds interval, std::size_t max_records, const Clock& clock = real_clock());

  // Starts collecting a batch (the first one, or the next after the previous closed).
  void open();
  // The open batch closes: it is processed from now on. The next open() sets its deadline from
  // this moment (without a close(), from the moment of that open()).
  void close();
  // `count` records joined the open batch.
  void add(std::size_t count = 1);

  std::size_t records() const { return records_; }
  // How many more records the open batch takes before it is full (SIZE_MAX without a limit).
  std::size_t room() const;
  // The open batch should close now: it is full, its deadline passed, or (continuous) it has
  // records. A batch with an interval closes at its deadline even when empty; the caller decides
  // what an empty batch does.
  bool due() const;
  // How long the consumer may wait for records before the batch is due: 0 when it is due;
  // milliseconds::max() for an empty continuous batch (wait until records come).
  std::chrono::milliseconds wait_budget() const;

  std::chrono::milliseconds interval() const { return interval_; }
  bool continuous() const { return interval_.count() == 0; }

 private:
  std::chrono::milliseconds interval_;
  std::size_t max_records_;
  const Clock& clock_;
  bool opened_before_ = false;
  TimePoint origin_{};  // the grid of boundaries starts here
  std::optional<TimePoint> closed_at_;
  TimePoint deadline_{};
  std::size_t records_ = 0;
};

}  // namespace ratingstream::process
