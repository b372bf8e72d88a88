#pragma once
// A Kafka record as the consumer delivered it, before decoding: where it is, its key and value;
// and a position in a partition, the unit offsets are tracked and committed in.

#include <librdkafka/rdkafkacpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace ratingstream::kafka {

struct Record {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::int64_t timestamp_ms = -1;         // the record's Kafka timestamp; -1 when it has none
  std::optional<std::string_view> key;    // nullopt: a null key (not the same as an empty one)
  std::optional<std::string_view> value;  // nullopt: a null value
  // The librdkafka message that owns the bytes key and value view; null when they are owned
  // elsewhere (tests). Kept rather than copied: no allocation per record on the hot path.
  std::unique_ptr<RdKafka::Message> message;
};

// An offset in a partition of the topic: as a commit, the next offset to read.
struct PartitionOffset {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  friend bool operator==(const PartitionOffset&, const PartitionOffset&) = default;
};

}  // namespace ratingstream::kafka
