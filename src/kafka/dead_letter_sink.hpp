#pragma once
// The dead-letter topic (`--dead-letter-topic T`; docs/delivery.md, "Dead letters"): each rejected
// record is produced to T with its original key, value and timestamp, and headers saying why and
// where it came from:
//   reason            malformed_json, missing_field, bad_type, rating_out_of_range, bad_timestamp, too_large
//   detail            one line saying what was wrong
//   source.topic      the topic it was read from
//   source.partition  its partition, in decimal
//   source.offset     its offset, in decimal
//   value.truncated   only when the record was too large for T: its value's size in bytes (the
//                     value kept is its first bytes, as many as T takes)
//   key.truncated     likewise for a key too large to leave room for anything else
//
// Each rejected record appears in T exactly once, for readers with isolation.level
// read_committed (librdkafka's default; Kafka's Java clients need it set): the dead letters of a
// batch and the consumer group's offsets after it are committed in one Kafka transaction. A
// crash, a rebalance or a delivery timeout before that commit aborts the transaction, so its dead
// letters never become visible, and whoever reads the records again dead-letters them again in a
// transaction of its own. With a dead-letter topic, every offset commit of the processor goes
// through such a transaction (with no dead letters when a batch has none).
//
// Delivery failures are retried (for as long as the broker is away, with a warning every few
// seconds); a record larger than T takes is cut to fit instead (value.truncated), so one
// oversized record never stops the pipeline. Only what retrying cannot fix (no permission, the
// topic deleted, this producer fenced by another with the same transactional id) stops the
// processor with RuntimeFailure.

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/retry.hpp"
#include "kafka/record.hpp"

namespace ratingstream::kafka {

class Consumer;

// A record the processor rejected, as it is dead-lettered: the record read and why it was
// rejected (the reason and detail headers).
struct DeadLetter {
  const Record* source = nullptr;  // never null; owned by the caller for the call
  std::string_view reason;
  std::string_view detail;
};

// Header names, part of the contract.
inline constexpr const char* kHeaderReason = "reason";
inline constexpr const char* kHeaderDetail = "detail";
inline constexpr const char* kHeaderSourceTopic = "source.topic";
inline constexpr const char* kHeaderSourcePartition = "source.partition";
inline constexpr const char* kHeaderSourceOffset = "source.offset";
inline constexpr const char* kHeaderValueTruncated = "value.truncated";
inline constexpr const char* kHeaderKeyTruncated = "key.truncated";

// Room a dead letter needs beyond its source record (the headers above, record overhead): a
// created dead-letter topic takes this much more than the source topic's max.message.bytes.
inline constexpr std::int64_t kDeadLetterHeadroomBytes = 64 * 1024;

// Whether a failed delivery may succeed when tried again unchanged.
bool delivery_error_is_retryable(RdKafka::ErrorCode error);

// How many bytes of `value` a dead letter may keep when key, value and headers must fit in
// `limit` bytes (librdkafka's measure: their sizes plus a fixed record overhead); the whole
// value when it fits.
std::size_t kept_value_bytes(std::size_t key_bytes, std::size_t value_bytes, std::size_t header_bytes,
                             std::size_t limit);

struct DeadLetterSettings {
  std::string bootstrap_servers;
  std::vector<std::string> properties;  // -X, which win over the defaults here
  std::string topic;
  std::string source_topic;
  std::string group;
  // Stable across restarts when the processor has one (its group.instance.id): a restarted
  // process then aborts its predecessor's open transaction at once; otherwise a crashed
  // process's transaction holds its partitions' offsets until the transaction times out.
  std::optional<std::string> instance_id;
  // Set by a second signal ("stop now"): the grace for deliveries under way is cut short.
  const std::atomic<bool>* stop_now = nullptr;
};

// The offsets to commit, asked for just before the transaction commits them.
using OffsetsToCommit = std::function<std::vector<PartitionOffset>()>;
// Whether the process still owns a partition (it may lose one while a transaction is open).
using OwnsPartition = std::function<bool(std::int32_t partition)>;

class DeadLetterSink {
 public:
  // A transactional producer for the settings. Throws InputError for a bad property.
  explicit DeadLetterSink(DeadLetterSettings settings);
  ~DeadLetterSink();
  DeadLetterSink(const DeadLetterSink&) = delete;
  DeadLetterSink& operator=(const DeadLetterSink&) = delete;

  // Creates the topic when it does not exist (`partitions` partitions, the broker's default
  // replication factor, max.message.bytes the source topic's plus kDeadLetterHeadroomBytes),
  // reads the limit of the topic as it is, and starts transactions (aborting one left open by a
  // predecessor with the same id), waiting for the broker as long as it takes. False when `stop`
  // was set first. Throws RuntimeFailure when the broker refuses.
  bool prepare(int partitions, std::chrono::milliseconds timeout, const StopFlag& stop);

  // In one transaction: produces a dead letter of each record whose partition the process still
  // owns, then commits `offsets()` for the consumer's group, and waits for the broker's answer.
  // With `until_committed`, tried again (a new transaction) until it commits; else tried once. A
  // record of a partition revoked meanwhile is left out (its new owner reads it again). Returns
  // the offsets committed and counts the dead letters in dead_lettered(); nullopt when it did not
  // commit (`stop` was set, or the one try failed): nothing of the transaction became visible.
  // Throws RuntimeFailure for what retrying cannot fix.
  std::optional<std::vector<PartitionOffset>> commit(std::span<const DeadLetter> letters,
                                                     const OffsetsToCommit& offsets, const OwnsPartition& owns,
                                                     Consumer& consumer, const StopFlag& stop,
                                                     const KeepAlive& keep_alive, bool until_committed);

  // Whether commit() is running: a commit asked for meanwhile, from a rebalance callback served
  // inside it, waits for it (commit() then returns at once, committing nothing itself).
  bool busy() const { return busy_; }
  // Dead letters committed by the last commit().
  std::size_t dead_lettered() const { return dead_lettered_; }
  const std::string& topic() const { return settings_.topic; }

 private:
  class DeliveryReports;
  enum class Attempt { committed, retry, stopped };
  Attempt attempt(std::span<const DeadLetter> letters, const OffsetsToCommit& offsets, const OwnsPartition& owns,
                  Consumer& consumer, const StopFlag& stop, const KeepAlive& keep_alive,
                  std::chrono::milliseconds budget, std::vector<std::size_t>& limits,
                  std::vector<PartitionOffset>& committed, std::string& failure);
  // Creates the producer and starts transactions; false when `stop` was set first.
  bool start_producer(const StopFlag& stop);
  // Ends a transaction an earlier attempt left open (committing it if it was being committed,
  // else aborting it). False when that cannot be done now.
  bool finish_open_transaction(const StopFlag& stop, const KeepAlive& keep_alive,
                               std::chrono::steady_clock::time_point deadline, std::string& failure);
  // A fatal producer error: starts a new producer, once; fenced again soon after is RuntimeFailure.
  bool recover_from_fatal(const RdKafka::Error* error, const StopFlag& stop);
  // Produces one dead letter (the record cut to `limit` bytes when it does not fit).
  RdKafka::ErrorCode produce(const DeadLetter& letter, std::size_t index, std::size_t limit);
  [[noreturn]] void fail(const std::string& what, const RdKafka::Error* error) const;

  DeadLetterSettings settings_;
  std::unique_ptr<DeliveryReports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::size_t max_record_bytes_ = 0;  // what one dead letter may take (key, value, headers)
  bool open_ = false;                 // a transaction begun and not ended
  bool committing_ = false;           // ... and its commit asked for
  bool busy_ = false;                 // commit() is running
  std::optional<std::chrono::steady_clock::time_point> last_recovery_;
  std::size_t dead_lettered_ = 0;
  // Across commit() calls: a commit that fails and is tried again at the next batch warns once
  // per few seconds, not once per batch.
  RetryPacer commit_retry_;
};

}  // namespace ratingstream::kafka
