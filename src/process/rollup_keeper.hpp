#pragma once
// The processor's side of the hourly rollups (docs/data-over-time.md, "Hourly rollups"): it marks
// the hours of each write before the rows go out, and recomputes an hour's rollup from its raw
// rows once the hour has closed, no write to it is under way and none was acknowledged for a
// moment. Then it removes the marks that recomputation covers.
//
// Recomputation runs on worker threads of its own, off the write path: it never holds back a
// batch or a commit. Marks are in Cassandra, so nothing depends on this process living: a sweep
// at start and every minute recomputes the hours of marks older than `stale_after` (left by a
// processor that stopped or was killed) and removes them.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/retry.hpp"
#include "observe/metrics.hpp"
#include "process/row.hpp"
#include "store/hour_rollups.hpp"
#include "store/session.hpp"

namespace ratingstream::process {

struct RollupSettings {
  // An hour is recomputed once it has closed and none of its rows was acknowledged for this long,
  // so a burst of rows for one hour costs one recomputation.
  std::chrono::milliseconds settle{2000};
  // A mark older than this belongs to a write that ended (written, or given up and read again):
  // the sweep may recompute its hour and remove it. Longer than any write attempt (a write call
  // lasts at most its deadline, and marks are written again before each retry), plus clock skew
  // between hosts.
  std::chrono::milliseconds stale_after{120'000};
  std::chrono::milliseconds sweep_every{60'000};
  std::size_t workers = 4;
};

// The person-hours one write's rows fall in.
struct WriteMarks {
  std::vector<store::HourKey> keys;
};

// An hour's marks are shared by the writes to it: one mark per person and hour is written when a
// write first touches the hour, written again when it grows old, and removed when the hour is
// recomputed; a write after that recomputation starts a new one. So the marks and their
// tombstones grow with the hours written, not with the writes.
class RollupKeeper {
 public:
  // Starts the workers (the first sweep among them). `session` is shared with the writes.
  RollupKeeper(std::shared_ptr<store::Session> session, const store::TableRef& ratings,
               const store::TableLayout& layout, std::optional<std::chrono::seconds> retention, RollupSettings settings,
               observe::Metrics& metrics);
  // Stops the workers; hours not recomputed yet keep their marks (the next sweep does them).
  ~RollupKeeper();
  RollupKeeper(const RollupKeeper&) = delete;
  RollupKeeper& operator=(const RollupKeeper&) = delete;

  // The person-hours of `rows`.
  static WriteMarks marks_for(std::span<const Row> rows);
  // Before a write's rows go out: its hours are marked (a mark written unless the hour has a
  // recent one), retrying while Cassandra fails as the rows are. false when `stop` was set first.
  // Throws RuntimeFailure for errors retrying cannot fix. Every begin_write is followed by
  // end_write, whatever happens to the rows.
  bool begin_write(const WriteMarks& marks, const RetryPolicy& retry, const StopFlag& stop,
                   const KeepAlive& keep_alive);
  // Before rows are tried again: marks grown old are written again, so that no sweep takes them
  // while the write goes on. false when `stop` was set first.
  bool refresh(const WriteMarks& marks, const RetryPolicy& retry, const StopFlag& stop, const KeepAlive& keep_alive);
  // The write is over (its rows acknowledged, or some of them perhaps written): its hours are due
  // for recomputation once closed and quiet.
  void end_write(const WriteMarks& marks);

  // Hours waiting for recomputation (tests and /metrics).
  std::size_t hours_pending() const;
  // At the end of a run: recomputes every closed hour written to at once (no settle time), and
  // waits for that, at most `within`. Open hours stay marked. Returns the closed hours left.
  std::size_t flush(std::chrono::milliseconds within);

 private:
  struct LiveMark {
    store::Uuid id{};
    Clock::TimePoint written{};
  };
  struct HourState {
    std::vector<LiveMark> live;  // marks written for this hour and not retired
    int writing = 0;             // writes begun and not ended
    bool dirty = false;          // rows written since the last recomputation began
    Clock::TimePoint last_written{};
    bool busy = false;  // a worker recomputes it now
  };
  // Writes the marks of `marks`' hours that are missing or older than `older_than` (under their
  // ids), retrying; false when stopped first.
  bool write_missing(const WriteMarks& marks, std::chrono::steady_clock::duration older_than, const RetryPolicy& retry,
                     const StopFlag& stop, const KeepAlive& keep_alive);
  void work();
  void sweep();
  // Takes the next due hours: one person's, read together (store::hours_read_together), their
  // marks retired and busy set; false when none is due.
  struct DueHours {
    std::string name;
    std::vector<store::Timestamp> hours;
    std::vector<std::vector<store::Uuid>> marks;  // per hour
  };
  bool take_due(DueHours& due);
  bool is_due(const store::HourKey& key, const HourState& hour, Clock::TimePoint now, std::int64_t wall_now) const;
  void forget_if_idle(const store::HourKey& key);
  // Hours written to, being written or being recomputed (under mutex_).
  std::size_t count_pending() const;
  // Closed hours written to and not recomputed yet (under mutex_).
  std::size_t closed_dirty_hours() const;

  std::shared_ptr<store::Session> session_;
  store::TableRef ratings_;
  store::TableLayout layout_;
  RollupSettings settings_;
  observe::Metrics* metrics_;
  std::unique_ptr<store::HourRollups> rollups_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool flushing_ = false;
  std::condition_variable recomputed_;
  std::map<store::HourKey, HourState> hours_;
  Clock::TimePoint next_sweep_{};
  bool sweeping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace ratingstream::process
