#pragma once
// The dead-letter topic (`--dead-letter-topic T`, issue 4: Bad input): each rejected record is
// produced to T with its original key, value and timestamp, and headers saying why and where it
// came from:
//   reason            malformed_json, missing_field, bad_type, rating_out_of_range, bad_timestamp, too_large
//   detail            one line saying what was wrong
//   source.topic      the topic it was read from
//   source.partition  its partition, in decimal
//   source.offset     its offset, in decimal
// A rejected record's offset counts as handled only once the broker acknowledged its copy, so a
// rejected record is never lost: delivery failures are retried (transient ones for as long as it
// takes, with a warning every few seconds), and a failure that retrying cannot fix (the topic was
// deleted, a record too large for it, no permission) stops the processor with RuntimeFailure.
// The producer is idempotent, so librdkafka's own retries do not duplicate; a crash between
// delivery and the commit does (at-least-once, like every Kafka producer outside a transaction).

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "process/prepared_batch.hpp"
#include "process/retry.hpp"

namespace ratingstream::process {

// Header names, part of the contract.
inline constexpr const char* kHeaderReason = "reason";
inline constexpr const char* kHeaderDetail = "detail";
inline constexpr const char* kHeaderSourceTopic = "source.topic";
inline constexpr const char* kHeaderSourcePartition = "source.partition";
inline constexpr const char* kHeaderSourceOffset = "source.offset";

// Whether a failed delivery may succeed when tried again.
bool delivery_error_is_retryable(RdKafka::ErrorCode error);

class DeadLetterSink {
 public:
  // A producer for `bootstrap_servers` and the -X `properties` (which win over its defaults).
  // Throws InputError for a bad property.
  DeadLetterSink(const std::string& bootstrap_servers, const std::vector<std::string>& properties,
                 std::string topic, std::string source_topic);
  ~DeadLetterSink();
  DeadLetterSink(const DeadLetterSink&) = delete;
  DeadLetterSink& operator=(const DeadLetterSink&) = delete;

  // Creates the topic when it does not exist, with `partitions` partitions and the broker's
  // default replication factor (the topic of rejected records should not need a separate set-up
  // step). Throws RuntimeFailure when the broker refuses.
  void ensure_topic(int partitions, std::chrono::milliseconds timeout);

  // Produces every record and waits until the broker acknowledged each; true then. false when
  // `stop` was set before that: deliveries under way get 5 s more, retries are not started
  // (some may not be delivered: their offsets must not count as handled).
  bool send(std::span<const RejectedRecord> records, const StopFlag& stop, const KeepAlive& keep_alive);

  const std::string& topic() const { return topic_; }

 private:
  class DeliveryReports;

  std::string topic_;
  std::string source_topic_;
  std::string bootstrap_servers_;
  std::unique_ptr<RdKafka::Conf> conf_;
  std::unique_ptr<DeliveryReports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
};

}  // namespace ratingstream::process
