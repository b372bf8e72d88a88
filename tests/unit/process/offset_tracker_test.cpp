// Offset bookkeeping: a commit never passes a record that is not done.

#include "process/offset_tracker.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace ratingstream::process {
namespace {

TEST(OffsetTracker, NothingIsCommittableBeforeAnyRecordIsDone) {
  OffsetTracker tracker;
  EXPECT_EQ(tracker.committable(0), std::nullopt);
  tracker.read(0, 10);
  tracker.read(0, 11);
  EXPECT_EQ(tracker.committable(0), std::nullopt);
  EXPECT_TRUE(tracker.to_commit().empty());
  EXPECT_EQ(tracker.outstanding(0), 2u);
}

TEST(OffsetTracker, CommitsOnlyTheContiguousDonePrefix) {
  OffsetTracker tracker;
  for (std::int64_t offset = 100; offset < 105; ++offset) tracker.read(3, offset);
  EXPECT_TRUE(tracker.done(3, 101));
  EXPECT_TRUE(tracker.done(3, 103));
  EXPECT_EQ(tracker.committable(3), std::nullopt);  // 100 is not done: nothing may be committed
  EXPECT_TRUE(tracker.done(3, 100));
  EXPECT_EQ(tracker.committable(3), 102);  // 100 and 101 done; 102 is not
  EXPECT_TRUE(tracker.done(3, 102));
  EXPECT_EQ(tracker.committable(3), 104);  // 103 was already done
  EXPECT_TRUE(tracker.done(3, 104));
  EXPECT_EQ(tracker.committable(3), 105);
  EXPECT_EQ(tracker.outstanding(3), 0u);
}

TEST(OffsetTracker, OffsetsMaySkipNumbers) {
  // Compacted topics and transaction markers leave gaps: the next read offset is not offset + 1.
  OffsetTracker tracker;
  tracker.read(0, 5);
  tracker.read(0, 9);
  tracker.read(0, 20);
  tracker.done(0, 9);
  EXPECT_EQ(tracker.committable(0), std::nullopt);
  tracker.done(0, 5);
  EXPECT_EQ(tracker.committable(0), 10);
  tracker.done(0, 20);
  EXPECT_EQ(tracker.committable(0), 21);
}

TEST(OffsetTracker, PartitionsAreIndependent) {
  OffsetTracker tracker;
  tracker.read(0, 0);
  tracker.read(1, 0);
  tracker.read(1, 1);
  tracker.done(1, 0);
  tracker.done(1, 1);
  EXPECT_EQ(tracker.committable(0), std::nullopt);
  EXPECT_EQ(tracker.committable(1), 2);
  EXPECT_EQ(tracker.to_commit(), (std::vector<kafka::PartitionOffset>{{1, 2}}));
  EXPECT_EQ(tracker.outstanding(), 1u);
}

TEST(OffsetTracker, ARevokedPartitionCommitsNothingEvenWhenItsRecordsFinish) {
  OffsetTracker tracker;
  tracker.read(0, 0);
  tracker.read(0, 1);
  tracker.read(1, 0);
  tracker.done(0, 0);
  tracker.revoke(0);
  EXPECT_EQ(tracker.committable(0), std::nullopt);
  EXPECT_FALSE(tracker.done(0, 1));  // in flight during the rebalance: ignored
  EXPECT_EQ(tracker.committable(0), std::nullopt);
  EXPECT_TRUE(tracker.to_commit().empty());
  EXPECT_EQ(tracker.outstanding(), 1u);  // partition 1's record only
  // Assigned again later: it starts afresh from whatever offset the consumer resumes at.
  tracker.read(0, 1);
  tracker.done(0, 1);
  EXPECT_EQ(tracker.committable(0), 2);
}

TEST(OffsetTracker, ToCommitListsOnlyProgressNotYetCommitted) {
  OffsetTracker tracker;
  tracker.read(0, 0);
  tracker.read(0, 1);
  tracker.done(0, 0);
  EXPECT_EQ(tracker.to_commit(), (std::vector<kafka::PartitionOffset>{{0, 1}}));
  tracker.committed(0, 1);
  EXPECT_TRUE(tracker.to_commit().empty());
  tracker.done(0, 1);
  EXPECT_EQ(tracker.to_commit(), (std::vector<kafka::PartitionOffset>{{0, 2}}));
  tracker.committed(0, 2);
  tracker.committed(0, 1);  // a late acknowledgement of an older commit does not go back
  EXPECT_TRUE(tracker.to_commit().empty());
  tracker.committed(7, 3);  // unknown partition: ignored
  EXPECT_EQ(tracker.committable(7), std::nullopt);
}

TEST(OffsetTracker, UnknownRecordsAreNotTracked) {
  OffsetTracker tracker;
  EXPECT_FALSE(tracker.done(0, 0));
  tracker.read(0, 5);
  EXPECT_FALSE(tracker.done(0, 4));
  EXPECT_FALSE(tracker.done(0, 6));
  EXPECT_FALSE(tracker.done(1, 5));
  EXPECT_EQ(tracker.committable(0), std::nullopt);
}

TEST(OffsetTracker, OffsetsGoingBackwardsAreABug) {
  OffsetTracker tracker;
  tracker.read(0, 5);
  EXPECT_THROW(tracker.read(0, 5), std::logic_error);
  EXPECT_THROW(tracker.read(0, 4), std::logic_error);
  tracker.done(0, 5);
  EXPECT_THROW(tracker.read(0, 5), std::logic_error);  // even once done and dropped
  tracker.read(0, 6);
}

TEST(OffsetTracker, ManyRecordsInRandomCompletionOrder) {
  // Whatever the completion order, the committable offset is exactly one past the longest done
  // prefix, checked against a direct computation after every step.
  OffsetTracker tracker;
  constexpr int kRecords = 2000;
  std::vector<bool> done(kRecords, false);
  for (int i = 0; i < kRecords; ++i) tracker.read(0, i);
  std::vector<int> order(kRecords);
  for (int i = 0; i < kRecords; ++i) order[i] = i;
  std::uint32_t state = 12345;
  for (int i = kRecords - 1; i > 0; --i) {  // deterministic shuffle
    state = state * 1664525u + 1013904223u;
    std::swap(order[i], order[state % static_cast<std::uint32_t>(i + 1)]);
  }
  for (const int offset : order) {
    tracker.done(0, offset);
    done[offset] = true;
    int prefix = 0;
    while (prefix < kRecords && done[prefix]) ++prefix;
    const auto expected = prefix == 0 ? std::nullopt : std::optional<std::int64_t>(prefix);
    ASSERT_EQ(tracker.committable(0), expected) << "after offset " << offset;
  }
  EXPECT_EQ(tracker.committable(0), kRecords);
}

// A partition the group never committed makes its starting position durable at once: a restart
// resumes there, even when no record was read from it.
TEST(OffsetTracker, APositionSetByTheConsumerIsCommittableWhenNothingPrecedesIt) {
  OffsetTracker tracker;
  tracker.advance_to(4, 120);
  EXPECT_EQ(tracker.to_commit(), (std::vector<kafka::PartitionOffset>{{4, 120}}));
  tracker.committed(4, 120);
  EXPECT_TRUE(tracker.to_commit().empty());
  tracker.read(4, 120);  // the next record read is at the position
  EXPECT_TRUE(tracker.done(4, 120));
  EXPECT_EQ(tracker.committable(4), 121);
}

// Records removed by retention while earlier ones were still being written: the position after
// the gap is committable only once those earlier records are done.
TEST(OffsetTracker, APositionPastAGapWaitsForTheRecordsReadBeforeIt) {
  OffsetTracker tracker;
  tracker.read(1, 10);
  tracker.read(1, 11);
  tracker.advance_to(1, 500);
  EXPECT_EQ(tracker.committable(1), std::nullopt);
  EXPECT_TRUE(tracker.done(1, 10));
  EXPECT_EQ(tracker.committable(1), 11);
  EXPECT_TRUE(tracker.done(1, 11));
  EXPECT_EQ(tracker.committable(1), 500);
  tracker.read(1, 500);
  EXPECT_THROW(tracker.read(1, 499), std::logic_error);
}

TEST(OffsetTracker, APositionBehindWhatWasReadChangesNothing) {
  OffsetTracker tracker;
  tracker.read(0, 10);
  tracker.advance_to(0, 5);
  EXPECT_TRUE(tracker.done(0, 10));
  EXPECT_EQ(tracker.committable(0), 11);
}

// A partition recreated (or truncated) under the consumer reads from a lower offset again: the
// records read before are forgotten, and the new position is committed although a higher one
// was committed before.
TEST(OffsetTracker, APartitionResetToAnEarlierOffsetIsReadAndCommittedFromThere) {
  OffsetTracker tracker;
  for (std::int64_t o = 5000; o < 5003; ++o) tracker.read(2, o);
  EXPECT_TRUE(tracker.done(2, 5000));
  tracker.committed(2, 5001);
  tracker.reset_to(2, 0);
  EXPECT_EQ(tracker.outstanding(2), 0u);
  EXPECT_EQ(tracker.to_commit(), (std::vector<kafka::PartitionOffset>{{2, 0}}));
  tracker.read(2, 0);                   // no logic_error: reading starts again
  EXPECT_FALSE(tracker.done(2, 5001));  // a record from before is not tracked any more
  EXPECT_TRUE(tracker.done(2, 0));
  EXPECT_EQ(tracker.committable(2), 1);
}

}  // namespace
}  // namespace ratingstream::process
