#pragma once
// The processor's writers (docs/architecture.md, "The processor's loop"): a few threads that each
// write one batch's rows to Cassandra at a time, so that the consumer loop goes on reading,
// decoding and joining the next batch while earlier ones are in flight, and Cassandra is never
// left idle between batches. The loop hands a batch over with submit() and learns that it is
// written from finished(); it finishes batches in the order it submitted them (commits and dead
// letters stay in Kafka's order), whatever order the writers end them in.
//
// A write that throws (a failure retrying cannot fix) is kept with its batch and thrown again by
// rethrow_failure() on the loop's thread. stop() treats every write, in flight or queued, as a
// stop request does (the write function sees its stop flag set: it finishes what Cassandra takes
// within its grace); destroying the writers also finishes the queued ones with nothing written.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "common/retry.hpp"
#include "process/cassandra_sink.hpp"
#include "process/row.hpp"

namespace ratingstream::process {

// The requests in flight each of `writers` may have so that all of them together keep to `total`
// (at least one each).
std::size_t in_flight_per_writer(std::size_t total, std::size_t writers);

// Writes every row or returns when `stop` is set (CassandraSink::write without a keep-alive: the
// loop serves the consumer itself).
using WriteRows = std::function<WriteOutcome(std::span<const Row> rows, const StopFlag& stop)>;

// A batch's rows are written in slices of this many rows, one slice after the other: the values
// bound for one call are 616 bytes per row (11 columns), and the driver serializes its own copy,
// so a whole batch of 20,000 rows at once holds about twice as much per writer. Large enough that
// a slice is several rounds of --max-in-flight requests of --batch-rows rows; whole 20,000-row
// batches were no faster and took 15 MiB more (docs/benchmarks.md, "Memory").
inline constexpr std::size_t kWriteSliceRows = 8192;

// Writes `rows` slice by slice with `write` (which returns when its slice is written or `stop`
// is set) and gathers the outcomes; stops after a slice left incomplete, with the rest
// unwritten.
WriteOutcome write_in_slices(std::span<const Row> rows, std::size_t slice_rows, const StopFlag& stop,
                             const WriteRows& write);

// One batch's rows on their way to Cassandra. The rows must stay where they are until the job is
// finished; outcome() and rethrow_failure() may be read only then.
class WriteJob {
 public:
  explicit WriteJob(std::span<const Row> rows) : rows_(rows) {}
  WriteJob(const WriteJob&) = delete;
  WriteJob& operator=(const WriteJob&) = delete;

  std::size_t rows() const { return rows_.size(); }
  const WriteOutcome& outcome() const { return outcome_; }
  // Throws what the write threw, if it did.
  void rethrow_failure() const;

 private:
  friend class BatchWriters;
  std::span<const Row> rows_;
  WriteOutcome outcome_;
  std::exception_ptr failure_;
  bool finished_ = false;  // guarded by the writers' mutex
};

class BatchWriters {
 public:
  // `threads` >= 1: how many batches are written at once.
  BatchWriters(std::size_t threads, WriteRows write);
  // stop(), finishes queued jobs unwritten, and waits for the writes in flight to end.
  ~BatchWriters();
  BatchWriters(const BatchWriters&) = delete;
  BatchWriters& operator=(const BatchWriters&) = delete;

  // Queues `job` for the next free writer. `job` must outlive its write: wait until finished().
  void submit(WriteJob& job);
  // Whether `job` is written (or given up); waits up to `timeout` for it.
  bool finished(WriteJob& job, std::chrono::milliseconds timeout = std::chrono::milliseconds{0});
  // Waits up to `timeout` until fewer than threads() jobs are submitted and not finished.
  void wait_for_free_writer(std::chrono::milliseconds timeout);
  // Submitted and not finished yet.
  std::size_t busy() const;
  std::size_t threads() const { return threads_.size(); }

  // Sets the write function's stop flag for every write from now on (see above).
  void stop();
  bool stopped() const { return stop_.load(std::memory_order_relaxed); }

 private:
  void work();

  WriteRows write_;
  StopFlag stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable queued_;    // a job was queued, or stop
  std::condition_variable finished_;  // a job finished
  std::deque<WriteJob*> queue_;
  std::size_t busy_ = 0;
  bool closing_ = false;              // the destructor runs: threads end once idle
  std::vector<std::thread> threads_;  // last: they use the members above
};

}  // namespace ratingstream::process
