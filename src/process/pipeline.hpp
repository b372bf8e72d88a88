#pragma once
// The micro-batch loop of `process` (docs/architecture.md, "The processor's loop"): collect records
// until the trigger says the batch is due, then decode, validate and join them, write the rows to
// Cassandra, dead-letter the rejected records, and commit the offsets of everything done; one
// progress line per batch.
//
// Invariants it keeps (docs/delivery.md, "Commits"):
// - an offset is committed only when every record before it in its partition is done: its row
//   acknowledged by Cassandra, or unmatched, or rejected (and dead-lettered when configured);
// - every record of a batch is counted as exactly one of written, unmatched, rejected(reason).
//
// Batches without records print no line (a continuous processor would otherwise print one per
// empty poll); the lag gauge is still updated every few seconds.
//
// While a batch is written librdkafka keeps prefetching the next one. When a write has to be
// retried, the consumer is paused and served between the retries, so it stays in its group
// however long Cassandra is away (and takes no unbounded number of records meanwhile); it is not
// paused around every batch, as librdkafka throws away a paused partition's prefetched records. A revoked partition's
// records leave the batch being collected and the offset tracker, so nothing of it is committed unless it was written
// before.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "common/retry.hpp"
#include "kafka/consumer.hpp"
#include "kafka/dead_letter_sink.hpp"
#include "observe/batch_report.hpp"
#include "observe/metrics.hpp"
#include "process/batch_buffer.hpp"
#include "process/batch_trigger.hpp"
#include "process/cassandra_sink.hpp"
#include "process/offset_tracker.hpp"
#include "process/prepared_batch.hpp"
#include "process/row.hpp"
#include "rating/decode.hpp"

namespace ratingstream::process {

// A batch closes at this many records unless --max-records-per-trigger says otherwise. Bigger
// batches gained nothing measurable (1,000,000 records from earliest) but each record of a batch
// is held three times until it is written (the record, its row, its bound values): 100,000 made
// the processor's peak resident memory 283 MiB.
inline constexpr std::size_t kDefaultMaxRecordsPerTrigger = 20'000;
// How often a batch is cut: the reference job's processingTime trigger.
inline constexpr std::chrono::milliseconds kDefaultTrigger{30'000};

// How long a run meant to end (--until-idle D) waits for a server that does not answer, or a
// topic that does not exist, before it gives up with exit 1: D, but at least 30 s, so that a
// server restarting (Kafka and Cassandra take 20 to 30 s here) does not end the run.
std::chrono::milliseconds unreachable_give_up(std::chrono::milliseconds until_idle);

struct PipelineSettings {
  JoinMode join_mode = JoinMode::inner;
  std::chrono::milliseconds trigger = kDefaultTrigger;                 // 0: continuous
  std::size_t max_records_per_trigger = kDefaultMaxRecordsPerTrigger;  // 0: no limit
  std::optional<std::chrono::milliseconds> until_idle;
  observe::ProgressFormat progress = observe::ProgressFormat::text;
};

class Pipeline : private kafka::PartitionListener {
 public:
  // `dead_letter` may be null (rejected records are then only counted). Everything referenced
  // must outlive the pipeline.
  Pipeline(const PipelineSettings& settings, const kafka::ConsumerSettings& consumer_settings,
           const catalogue::Catalogue& catalogue, rating::RatingDecoder decoder, CassandraSink& sink,
           kafka::DeadLetterSink* dead_letter, observe::Metrics& metrics, const StopFlag& stop);
  ~Pipeline() override;
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Waits for the topic, then processes batches until `stop` is set or (--until-idle) nothing new
  // arrived for that long and everything read is committed. Returns the exit code (0); throws
  // RuntimeFailure for failures that cannot be recovered.
  int run();

 private:
  using SteadyClock = std::chrono::steady_clock;

  void partitions_assigned(const std::vector<std::int32_t>& partitions) override;
  void partitions_revoked(const std::vector<std::int32_t>& partitions, bool lost) override;
  void partition_positioned(std::int32_t partition, std::int64_t offset, std::int64_t lost_records) override;

  // Polls until the batch is due, `stop` is set or the processor is idle (returns true then).
  bool collect();
  void take(kafka::Record record);
  // Serves the consumer between retries of a batch's write (rebalances; stray records are kept).
  void serve_consumer();
  // Returns false when the batch was abandoned because `stop` was set.
  bool process_batch();
  // Commits what the tracker says is committable (of `only` when given).
  void commit_done(const std::vector<std::int32_t>* only = nullptr);
  bool idle();
  void update_lag();
  void log_totals() const;

  PipelineSettings settings_;
  std::string topic_;
  const catalogue::Catalogue& catalogue_;
  rating::RatingDecoder decoder_;
  CassandraSink& sink_;
  kafka::DeadLetterSink* dead_letter_;
  observe::Metrics& metrics_;
  const StopFlag& stop_;

  BatchTrigger trigger_;
  BatchBuffer buffer_;
  OffsetTracker tracker_;
  // Times each partition was revoked: a batch whose partition was revoked while it ran does not
  // dead-letter that partition's records, even if it came back meanwhile.
  std::map<std::int32_t, std::uint64_t> revocations_;
  std::uint64_t batches_ = 0;
  BatchCounts totals_;
  // The last record taken, batch written or assignment change: --until-idle counts from here. A
  // batch counts because the consumer is not polled while it is written, so a long write must not
  // look like a quiet topic (records fetched meanwhile wait in librdkafka's queue).
  SteadyClock::time_point quiet_since_;
  SteadyClock::time_point last_batch_closed_;  // for the input rate
  SteadyClock::time_point next_lag_update_;
  SteadyClock::time_point next_commit_retry_;
  SteadyClock::time_point next_caught_up_check_{};
  bool said_unassigned_ = false;

  kafka::Consumer consumer_;  // last: it calls back into the members above until it is closed
};

}  // namespace ratingstream::process
