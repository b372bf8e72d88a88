#pragma once
// The loop of `process` (docs/architecture.md, "The processor's loop"): collect records until the
// trigger says the batch is due, decode, validate and join them, and hand the rows to a writer
// (process/batch_writers.hpp); while writers write, the loop goes on reading and preparing the
// next batch. As each batch is written (in the order batches were cut) its rejected records are
// dead-lettered, the offsets of everything done are committed, and one progress line is printed.
//
// Invariants it keeps (docs/delivery.md, "Commits"):
// - an offset is committed only when every record before it in its partition is done: its row
//   acknowledged by Cassandra, or unmatched, or rejected (and dead-lettered when configured);
// - every record of a batch is counted as exactly one of written, unmatched, rejected(reason).
//
// Batches without records print no line (a continuous processor would otherwise print one per
// empty poll); the lag gauge is still updated every few seconds.
//
// A batch is cut when it is due and a writer is free; until one is, the batch being collected
// goes on taking records up to its limit. librdkafka keeps prefetching meanwhile. When every
// writer stays busy for long (Cassandra retried, or away), the consumer is paused and served, so
// it stays in its group however long Cassandra is away and takes no unbounded number of records
// meanwhile; it is not paused at every wait, as librdkafka throws away a paused partition's
// prefetched records. A revoked partition's records leave the batch being collected and the
// offset tracker, so nothing of it is committed unless it was written before.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
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
#include "process/batch_writers.hpp"
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
// Batches written at once. Two keep Cassandra busy: while one writer's last requests drain, the
// other's are in full flow, and a batch is prepared meanwhile. The write window
// (--max-in-flight) is shared between them (in_flight_per_writer, batch_writers.hpp).
inline constexpr std::size_t kDefaultWriters = 2;
// Batches cut and not yet finished (committed) at most: a batch written before an earlier one
// waits for it, and memory stays bounded while the earliest is retried.
inline constexpr std::size_t kMaxBatchesHeldPerWriter = 2;

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
  std::size_t writers = kDefaultWriters;
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

  // A batch handed to a writer: what the loop needs to finish it once written.
  struct InFlight {
    InFlight(PreparedBatch prepared, std::map<std::int32_t, std::uint64_t> revocations, SteadyClock::time_point closed);
    PreparedBatch batch;
    // Times each partition had been revoked when the batch was cut (see revocations_).
    std::map<std::int32_t, std::uint64_t> revocations_at_start;
    SteadyClock::time_point closed_at;
    WriteJob job;  // views batch.rows
  };

  // Polls until a batch is due and a writer is free, `stop` is set or the processor is idle
  // (returns true then); finishes written batches meanwhile.
  bool collect();
  // Every writer busy (or the batches held at their limit): takes what librdkafka has fetched,
  // up to the batch's room, and waits a little for a writer; serves the consumer paused once
  // the wait has lasted kPauseAfter.
  void wait_for_writer();
  bool writer_free() const;
  // As many batches cut and not finished as the writers may hold (kMaxBatchesHeldPerWriter).
  bool holding_most_batches() const;
  void take(kafka::Record record);
  // Serves the consumer while it is paused (rebalances; stray records are kept).
  void serve_consumer();
  // Prepares the buffered records and hands their rows to a writer.
  void submit_batch();
  // Finishes, in order, the batches at the front that are written; false when one was abandoned.
  bool finish_written();
  // Stops the writers and finishes every batch in flight (those written completely are
  // committed) up to one abandoned, if any.
  void finish_all();
  // Counts, dead-letters, commits and reports a written batch; false when it was abandoned (the
  // stop came first, or its rejected records could not be dead-lettered).
  bool finish_batch(InFlight& flight);
  // Commits what the tracker says is committable: of `only`, waiting for the answer (a revocation
  // or a repositioning); else asynchronously, one commit in flight at a time. With a dead-letter
  // topic, in a transaction of its own.
  void commit_done(const std::vector<std::int32_t>* only = nullptr);
  // Marks committed in the tracker what the broker confirmed.
  void note_commits();
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
  // The last record taken, batch finished or assignment change: --until-idle counts from here
  // (and waits for every batch in flight anyway).
  SteadyClock::time_point quiet_since_;
  SteadyClock::time_point last_batch_closed_;  // for the input rate
  SteadyClock::time_point next_lag_update_;
  SteadyClock::time_point next_commit_retry_;
  SteadyClock::time_point async_commit_sent_{};
  SteadyClock::time_point next_caught_up_check_{};
  bool said_unassigned_ = false;
  bool abandoned_ = false;                                // a batch was abandoned: nothing after it is finished
  std::optional<SteadyClock::time_point> waiting_since_;  // for a writer, since then

  // Batches cut and not finished, in the order they were cut; before the writers, which hold
  // pointers to their jobs and are stopped first.
  std::deque<std::unique_ptr<InFlight>> in_flight_;
  std::unique_ptr<BatchWriters> writers_;

  kafka::Consumer consumer_;  // last: it calls back into the members above until it is closed
};

}  // namespace ratingstream::process
