#pragma once
// Which Kafka offsets may be committed (docs/delivery.md, "Commits"): an offset is
// committed only when every record read before it in its partition is done, i.e. written to
// Cassandra, unmatched, or rejected (and dead-lettered when configured). Records are tracked in
// the order they were read, not by offset arithmetic: offsets of a partition increase but may
// skip numbers (compaction, transaction markers).
//
// Single-threaded: the consumer loop owns it.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "kafka/record.hpp"

namespace ratingstream::process {

class OffsetTracker {
 public:
  // A record was read. Offsets of one partition must increase (Kafka's order); a repeated or
  // smaller offset is a bug in the caller: std::logic_error. A revoked partition starts afresh.
  void read(std::int32_t partition, std::int64_t offset);

  // The record is done: written, unmatched, or rejected (and dead-lettered). Returns false when
  // the record is not tracked: its partition was revoked while it was in flight, or it was never
  // read (nothing to do then). A record whose write keeps failing is never done: the sink
  // retries it until it succeeds or the processor stops (docs/delivery.md).
  bool done(std::int32_t partition, std::int64_t offset);

  // The offset to commit for `partition` (Kafka's convention: the next offset to read), one past
  // the last record of the longest run of done records from the start; nullopt when no record
  // of the partition is done yet.
  std::optional<std::int64_t> committable(std::int32_t partition) const;

  // Partitions whose committable offset moved past what was last marked committed.
  std::vector<kafka::PartitionOffset> to_commit() const;
  // The consumer committed `offset` for `partition`.
  void committed(std::int32_t partition, std::int64_t offset);

  // Nothing before `offset` is left to read in `partition`: the consumer started it there (it
  // had no committed offset) or moved it there (the records before were removed by retention).
  // `offset` becomes committable once the records read before it are done, so the group's
  // position is durable even where nothing is read after it.
  void advance_to(std::int32_t partition, std::int64_t offset);

  // The partition starts again at `offset`, before what was read of it (it was recreated or
  // truncated): its records are forgotten and `offset` is committable, even if an offset after it
  // was committed before.
  void reset_to(std::int32_t partition, std::int64_t offset);

  // The partition was revoked in a rebalance: everything about it is forgotten, so nothing of it
  // is committed later, even when its in-flight records finish.
  void revoke(std::int32_t partition);

  // Records read and not yet done, in one partition or in all.
  std::size_t outstanding(std::int32_t partition) const;
  std::size_t outstanding() const;

 private:
  struct Record {
    std::int64_t offset;
    bool done;
  };
  struct Partition {
    std::deque<Record> records;  // read order; the done run at the front is dropped as it forms
    std::optional<std::int64_t> last_read;
    std::optional<std::int64_t> committable;
    std::optional<std::int64_t> committed;
    std::optional<std::int64_t> advanced_to;  // committable once `records` is empty
  };

  Record* find(std::int32_t partition, std::int64_t offset);
  static void drop_done_prefix(Partition& p);

  std::map<std::int32_t, Partition> partitions_;
};

}  // namespace ratingstream::process
