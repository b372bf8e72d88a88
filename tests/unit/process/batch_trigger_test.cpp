// When a micro-batch closes, driven by a manual clock.

#include "process/batch_trigger.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace ratingstream::process {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

TEST(BatchTrigger, ClosesAtTheIntervalEvenWhenEmpty) {
  ManualClock clock;
  BatchTrigger trigger(30s, 0, clock);
  trigger.open();
  EXPECT_FALSE(trigger.due());
  EXPECT_EQ(trigger.wait_budget(), 30s);
  clock.advance(29'999ms);
  EXPECT_FALSE(trigger.due());
  EXPECT_EQ(trigger.wait_budget(), 1ms);
  clock.advance(1ms);
  EXPECT_TRUE(trigger.due());
  EXPECT_EQ(trigger.wait_budget(), 0ms);
  EXPECT_EQ(trigger.records(), 0u);
}

TEST(BatchTrigger, RecordsDoNotCloseAnIntervalBatchEarly) {
  ManualClock clock;
  BatchTrigger trigger(10s, 0, clock);
  trigger.open();
  trigger.add(1000);
  EXPECT_FALSE(trigger.due());
  EXPECT_EQ(trigger.records(), 1000u);
  EXPECT_EQ(trigger.room(), std::numeric_limits<std::size_t>::max());
}

TEST(BatchTrigger, KeepsACadenceSoWritingTimeCountsTowardsTheNextBatch) {
  ManualClock clock;
  BatchTrigger trigger(10s, 0, clock);
  trigger.open();
  clock.advance(10s);
  ASSERT_TRUE(trigger.due());
  trigger.close();
  clock.advance(3s);  // writing the batch took 3 s
  trigger.open();
  EXPECT_EQ(trigger.wait_budget(), 7s);
  clock.advance(7s);
  EXPECT_TRUE(trigger.due());
}

TEST(BatchTrigger, AnOverrunBatchMakesTheNextOneDueAtOnceAndRestartsTheCadence) {
  ManualClock clock;
  BatchTrigger trigger(10s, 0, clock);
  trigger.open();
  clock.advance(10s);
  trigger.close();
  clock.advance(25s);  // writing took longer than two intervals
  trigger.open();
  EXPECT_TRUE(trigger.due());
  EXPECT_EQ(trigger.wait_budget(), 0ms);
  trigger.close();
  trigger.open();  // the grid stays: the next boundary after the start plus 35 s is 40 s
  EXPECT_EQ(trigger.wait_budget(), 5s);
}

// Spark's rule for a processing-time trigger: a batch that ended early waits for the next
// boundary, never for a later one. A backlog drained in full batches must not move the boundary
// of the partial batch that follows one interval further per full batch.
TEST(BatchTrigger, FullBatchesDoNotPushTheNextBoundaryBack) {
  ManualClock clock;
  const auto start = clock.now();
  BatchTrigger trigger(30s, 100, clock);
  trigger.open();
  for (int full = 0; full < 5; ++full) {
    clock.advance(200ms);  // a full batch's records arrive
    trigger.add(100);
    ASSERT_TRUE(trigger.due());
    trigger.close();
    clock.advance(300ms);  // and are written
    trigger.open();
    EXPECT_EQ(trigger.wait_budget(), std::chrono::ceil<milliseconds>(start + 30s - clock.now())) << full;
  }
  trigger.add(40);  // the tail of the backlog
  EXPECT_FALSE(trigger.due());
  clock.advance(start + 30s - clock.now());
  EXPECT_TRUE(trigger.due());
  trigger.close();
  clock.advance(1s);
  trigger.open();  // ended early: the next boundary
  EXPECT_EQ(trigger.wait_budget(), 29s);
}

TEST(BatchTrigger, ClosesWhenFull) {
  ManualClock clock;
  BatchTrigger trigger(30s, 100, clock);
  trigger.open();
  EXPECT_EQ(trigger.room(), 100u);
  trigger.add(60);
  EXPECT_EQ(trigger.room(), 40u);
  EXPECT_FALSE(trigger.due());
  trigger.add(40);
  EXPECT_TRUE(trigger.due());
  EXPECT_EQ(trigger.room(), 0u);
  EXPECT_EQ(trigger.wait_budget(), 0ms);
  trigger.close();
  trigger.open();
  EXPECT_EQ(trigger.records(), 0u);
  EXPECT_EQ(trigger.room(), 100u);
  EXPECT_FALSE(trigger.due());
}

TEST(BatchTrigger, ContinuousClosesAsSoonAsRecordsAreThere) {
  ManualClock clock;
  BatchTrigger trigger(0ms, 0, clock);
  EXPECT_TRUE(trigger.continuous());
  trigger.open();
  EXPECT_FALSE(trigger.due());
  EXPECT_EQ(trigger.wait_budget(), milliseconds::max());
  clock.advance(1h);
  EXPECT_FALSE(trigger.due());  // time alone never closes an empty continuous batch
  trigger.add();
  EXPECT_TRUE(trigger.due());
  EXPECT_EQ(trigger.wait_budget(), 0ms);
  trigger.open();
  EXPECT_FALSE(trigger.due());
}

TEST(BatchTrigger, RefusesANegativeInterval) { EXPECT_THROW(BatchTrigger(-1ms, 0), std::invalid_argument); }

TEST(BatchTrigger, UsesTheSteadyClockByDefault) {
  BatchTrigger trigger(1ms, 0);
  trigger.open();
  const auto start = std::chrono::steady_clock::now();
  while (!trigger.due()) {
    ASSERT_LT(std::chrono::steady_clock::now() - start, 5s);
  }
}

}  // namespace
}  // namespace ratingstream::process
