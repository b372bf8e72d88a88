// The processor's writers: batches written at once, up to the number of threads, while the loop
// goes on; failures and stops handed back with their batch.

#include "process/batch_writers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "common/errors.hpp"

namespace ratingstream::process {
namespace {

using namespace std::chrono_literals;

// A write that blocks until released (or stopped), counting how many run at once.
class GatedWrite {
 public:
  WriteRows function() {
    return [this](std::span<const Row> rows, const StopFlag& stop) {
      {
        std::unique_lock lock(mutex_);
        ++running_;
        peak_ = std::max(peak_, running_);
        changed_.notify_all();
        // The stop flag is an atomic nobody notifies about: look at it every millisecond.
        while (!released_ && !stop.load()) changed_.wait_for(lock, 1ms);
        --running_;
      }
      WriteOutcome outcome;
      outcome.written.assign(rows.size(), !stop.load());
      outcome.written_count = stop.load() ? 0 : rows.size();
      return outcome;
    };
  }
  void release() {
    const std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  bool wait_running(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return running_ >= n; });
  }
  int peak() {
    const std::lock_guard lock(mutex_);
    return peak_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int running_ = 0;
  int peak_ = 0;
  bool released_ = false;
};

bool wait_finished(BatchWriters& writers, WriteJob& job) {
  for (int i = 0; i < 500; ++i) {
    if (writers.finished(job, 10ms)) return true;
  }
  return false;
}

TEST(BatchWriters, WritesAsManyBatchesAtOnceAsItHasThreadsAndNoMore) {
  GatedWrite gate;
  BatchWriters writers(2, gate.function());
  std::vector<Row> rows(3);
  WriteJob a(rows), b(rows), c(rows);
  writers.submit(a);
  writers.submit(b);
  writers.submit(c);
  ASSERT_TRUE(gate.wait_running(2));  // the loop did not wait for the first before the second
  EXPECT_EQ(writers.busy(), 3u);
  EXPECT_FALSE(writers.finished(a));
  gate.release();
  ASSERT_TRUE(wait_finished(writers, a));
  ASSERT_TRUE(wait_finished(writers, b));
  ASSERT_TRUE(wait_finished(writers, c));
  EXPECT_EQ(gate.peak(), 2);
  EXPECT_EQ(writers.busy(), 0u);
  EXPECT_TRUE(c.outcome().complete());
  EXPECT_EQ(c.outcome().written_count, 3u);
}

TEST(BatchWriters, AFreeWriterIsAwaitedWithATimeout) {
  GatedWrite gate;
  BatchWriters writers(1, gate.function());
  std::vector<Row> rows(1);
  WriteJob a(rows);
  writers.submit(a);
  ASSERT_TRUE(gate.wait_running(1));
  const auto before = std::chrono::steady_clock::now();
  writers.wait_for_free_writer(20ms);
  EXPECT_GE(std::chrono::steady_clock::now() - before, 20ms);
  EXPECT_EQ(writers.busy(), 1u);
  gate.release();
  writers.wait_for_free_writer(5s);
  EXPECT_EQ(writers.busy(), 0u);
}

TEST(BatchWriters, AFailureIsHandedBackWithItsBatchNotThrownInTheThread) {
  BatchWriters writers(2, [](std::span<const Row>, const StopFlag&) -> WriteOutcome {
    throw RuntimeFailure("Cassandra refused a row");
  });
  std::vector<Row> rows(2);
  WriteJob job(rows);
  writers.submit(job);
  ASSERT_TRUE(wait_finished(writers, job));
  EXPECT_THROW(job.rethrow_failure(), RuntimeFailure);
  EXPECT_FALSE(job.outcome().complete());
  // The writer goes on with the next batch.
  WriteJob next(rows);
  writers.submit(next);
  ASSERT_TRUE(wait_finished(writers, next));
  EXPECT_THROW(next.rethrow_failure(), RuntimeFailure);
}

TEST(BatchWriters, StopIsAStopRequestForWritesInFlightAndQueued) {
  GatedWrite gate;  // never released: only the stop ends its writes
  BatchWriters writers(1, gate.function());
  std::vector<Row> rows(4);
  WriteJob running(rows), queued(rows);
  writers.submit(running);
  writers.submit(queued);
  ASSERT_TRUE(gate.wait_running(1));
  writers.stop();
  ASSERT_TRUE(wait_finished(writers, running));
  ASSERT_TRUE(wait_finished(writers, queued));
  EXPECT_EQ(running.outcome().written_count, 0u);
  EXPECT_FALSE(queued.outcome().complete());
  EXPECT_NO_THROW(queued.rethrow_failure());
}

TEST(BatchWriters, DestroyingThemFinishesQueuedJobsUnwrittenAndEndsTheWritesInFlight) {
  std::vector<Row> rows(2);
  WriteJob running(rows), queued(rows);
  GatedWrite gate;
  {
    BatchWriters writers(1, gate.function());
    writers.submit(running);
    writers.submit(queued);
    ASSERT_TRUE(gate.wait_running(1));
  }  // would hang here if the write in flight did not see its stop flag
  EXPECT_FALSE(running.outcome().complete());
  EXPECT_FALSE(queued.outcome().complete());
  EXPECT_EQ(queued.outcome().written.size(), 2u);
}

TEST(BatchWriters, RefuseZeroThreads) {
  EXPECT_THROW(BatchWriters(0, [](std::span<const Row>, const StopFlag&) { return WriteOutcome{}; }),
               std::invalid_argument);
}

TEST(WriteInSlices, WritesEverySliceInOrderAndGathersTheOutcome) {
  std::vector<Row> rows(10);
  std::vector<std::size_t> sizes;
  const StopFlag stop{false};
  const auto outcome = write_in_slices(rows, 4, stop, [&](std::span<const Row> slice, const StopFlag&) {
    sizes.push_back(slice.size());
    WriteOutcome o;
    o.written.assign(slice.size(), true);
    o.written_count = slice.size();
    o.retries = 1;
    return o;
  });
  EXPECT_EQ(sizes, (std::vector<std::size_t>{4, 4, 2}));
  EXPECT_TRUE(outcome.complete());
  EXPECT_EQ(outcome.written_count, 10u);
  EXPECT_EQ(outcome.retries, 3u);
}

TEST(WriteInSlices, AnIncompleteSliceLeavesTheRestUnwritten) {
  std::vector<Row> rows(10);
  int calls = 0;
  const StopFlag stop{false};
  const auto outcome = write_in_slices(rows, 4, stop, [&](std::span<const Row> slice, const StopFlag&) {
    ++calls;
    WriteOutcome o;
    o.written.assign(slice.size(), true);
    if (calls == 2) o.written[1] = false;  // the stop came during the second slice
    o.written_count = calls == 2 ? slice.size() - 1 : slice.size();
    return o;
  });
  EXPECT_EQ(calls, 2);
  EXPECT_FALSE(outcome.complete());
  EXPECT_EQ(outcome.written_count, 7u);
  EXPECT_EQ(outcome.written, (std::vector<bool>{true, true, true, true, true, false, true, true, false, false}));
}

TEST(InFlightPerWriter, SharesTheWindowWithoutGoingBelowOne) {
  EXPECT_EQ(in_flight_per_writer(128, 2), 64u);
  EXPECT_EQ(in_flight_per_writer(5, 2), 3u);
  EXPECT_EQ(in_flight_per_writer(1, 2), 1u);
  EXPECT_EQ(in_flight_per_writer(7, 1), 7u);
}

}  // namespace
}  // namespace ratingstream::process
