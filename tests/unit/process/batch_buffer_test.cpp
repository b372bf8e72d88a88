// The batch being collected and the offset tracker when a rebalance revokes a partition: its
// records leave the batch, and nothing of it is committed afterwards, even if its records finish.

#include "process/batch_buffer.hpp"

#include <gtest/gtest.h>

#include "process/offset_tracker.hpp"

namespace ratingstream::process {
namespace {

kafka::Record record(std::int32_t partition, std::int64_t offset) {
  kafka::Record r;
  r.partition = partition;
  r.offset = offset;
  r.value = "v";
  return r;
}

std::vector<kafka::PartitionOffset> positions(const std::vector<kafka::Record>& records) {
  std::vector<kafka::PartitionOffset> out;
  for (const auto& r : records) out.push_back({r.partition, r.offset});
  return out;
}

TEST(BatchBuffer, TakeHandsOverInReadOrderAndEmpties) {
  BatchBuffer buffer;
  buffer.add(record(0, 5));
  buffer.add(record(1, 2));
  buffer.add(record(0, 6));
  EXPECT_EQ(buffer.size(), 3u);
  const auto taken = buffer.take();
  EXPECT_EQ(positions(taken), (std::vector<kafka::PartitionOffset>{{0, 5}, {1, 2}, {0, 6}}));
  EXPECT_TRUE(buffer.empty());
  buffer.add(record(2, 1));  // collecting the next batch
  EXPECT_EQ(positions(buffer.records()), (std::vector<kafka::PartitionOffset>{{2, 1}}));
}

TEST(BatchBuffer, DropPartitionRemovesOnlyItsRecordsAndKeepsOrder) {
  BatchBuffer buffer;
  for (int i = 0; i < 3; ++i) {
    buffer.add(record(0, i));
    buffer.add(record(1, i));
  }
  EXPECT_EQ(buffer.drop_partition(0), 3u);
  EXPECT_EQ(buffer.drop_partition(7), 0u);
  EXPECT_EQ(positions(buffer.records()), (std::vector<kafka::PartitionOffset>{{1, 0}, {1, 1}, {1, 2}}));
}

// What Pipeline::partitions_revoked does: commit what is done of the partition, then forget it in
// the buffer and the tracker.
TEST(Revocation, NothingOfARevokedPartitionIsCommittedUnlessItWasDoneBefore) {
  BatchBuffer buffer;
  OffsetTracker tracker;
  for (int offset = 0; offset < 4; ++offset) {
    for (int partition : {0, 1}) {
      tracker.read(partition, offset);
      buffer.add(record(partition, offset));
    }
  }
  // Partition 0's first two records are done before the rebalance: they may be committed.
  tracker.done(0, 0);
  tracker.done(0, 1);
  EXPECT_EQ(tracker.to_commit(), (std::vector<kafka::PartitionOffset>{{0, 2}}));
  tracker.committed(0, 2);

  // Revoked: its unwritten records leave the batch and the tracker.
  EXPECT_EQ(buffer.drop_partition(0), 4u);
  tracker.revoke(0);
  EXPECT_EQ(buffer.size(), 4u);
  for (const auto& r : buffer.records()) EXPECT_EQ(r.partition, 1);

  // Its records finishing later (a write already in flight) commit nothing.
  EXPECT_FALSE(tracker.done(0, 2));
  EXPECT_FALSE(tracker.done(0, 3));
  for (int offset = 0; offset < 4; ++offset) EXPECT_TRUE(tracker.done(1, offset));
  EXPECT_EQ(tracker.to_commit(), (std::vector<kafka::PartitionOffset>{{1, 4}}));
  EXPECT_EQ(tracker.outstanding(), 0u);

  // Assigned again later: it starts afresh from whatever the consumer reads.
  tracker.read(0, 2);
  EXPECT_EQ(tracker.outstanding(0), 1u);
  EXPECT_EQ(tracker.committable(0), std::nullopt);
}

}  // namespace
}  // namespace ratingstream::process
