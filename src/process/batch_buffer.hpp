#pragma once
// The records of the micro-batch being collected. A partition revoked in a rebalance leaves the
// buffer at once: its records now belong to another consumer, which reads them from the last
// committed offset, so writing them here would only duplicate that work (docs/delivery.md,
// "Rebalances").

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kafka/record.hpp"

namespace ratingstream::process {

class BatchBuffer {
 public:
  void add(kafka::Record record);
  // Forgets the records of `partition`; returns how many there were.
  std::size_t drop_partition(std::int32_t partition);

  std::size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  const std::vector<kafka::Record>& records() const { return records_; }

  // Hands the records over (in the order they were read) and leaves the buffer empty, ready to
  // collect the next batch while this one is written.
  std::vector<kafka::Record> take();

 private:
  std::vector<kafka::Record> records_;
};

}  // namespace ratingstream::process
