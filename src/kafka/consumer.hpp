#pragma once
// The Kafka side of the processor (docs/architecture.md, "Offsets and commits"): a librdkafka
// KafkaConsumer in a consumer group, with the settings effectively-once needs and the
// notifications the pipeline acts on.
//
// - group.id = --group; partition.assignment.strategy = cooperative-sticky, so a rebalance moves
//   only the partitions that change owner and the others keep flowing;
// - enable.auto.commit = false and enable.auto.offset.store = false: offsets are committed only
//   by commit(), with offsets the pipeline chose (after Cassandra acknowledged the rows); -X cannot
//   switch this on; isolation.level = read_committed, fixed too;
// - auto.offset.reset = error: librdkafka never moves a partition by itself. Where to read is
//   decided here (docs/delivery.md, "Where a group resumes"): a partition with a committed offset
//   resumes there; one without starts at --starting-offsets if the group has committed nothing
//   on the topic yet (its first start), else at its beginning (a partition added later), and that
//   position is committed at once; a committed or current position that retention or
//   delete-records removed resumes at the earliest retained record, with one error line saying
//   how many records were lost (or the processor stops, with fail_on_data_loss);
// - with low_latency (continuous trigger), fetch.wait.max.ms = 10 unless -X sets it.
// Rebalances are handled inside poll() (librdkafka calls the callback there), i.e. on the pipeline
// thread: the listener hears of revoked partitions before they are given up and may still commit
// what of them is done.
//
// Single-threaded: the pipeline thread owns it.

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/defaults.hpp"
#include "common/retry.hpp"
#include "kafka/commit_gate.hpp"
#include "kafka/record.hpp"

namespace ratingstream::kafka {

inline constexpr std::string_view kDefaultGroup = "ratingstream";
inline constexpr std::string_view kDefaultStartingOffsets = "latest";

struct ConsumerSettings {
  std::string bootstrap_servers{defaults::kBootstrapServers};
  std::vector<std::string> properties;  // -X key=value
  std::string topic{defaults::kTopic};
  std::string group{kDefaultGroup};
  std::string starting_offsets{kDefaultStartingOffsets};  // earliest | latest: where a new group starts
  bool fail_on_data_loss = false;                         // stop instead of skipping records lost to retention
  // A run meant to end (--until-idle) gives up when the broker stays unreachable, or the topic
  // missing, for this long: RuntimeFailure. Unset: waits for as long as it takes.
  std::optional<std::chrono::milliseconds> give_up_after;
  // Continuous trigger: fetch for latency rather than for fewer requests (fetch.wait.max.ms
  // kLowLatencyFetchWaitMs instead of librdkafka's 500), unless -X sets it.
  bool low_latency = false;
};

// fetch.wait.max.ms with ConsumerSettings::low_latency: the longest the broker holds a fetch that
// finds no new record. A fetch in flight delays fetching partitions that became fetchable meanwhile,
// so the default 500 ms shows up in the ages of records; 10 ms costs an idle consumer about 100
// small fetch requests per second.
inline constexpr int kLowLatencyFetchWaitMs = 10;

// Told about changes of the consumer's assignment, from inside Consumer::poll().
class PartitionListener {
 public:
  virtual ~PartitionListener() = default;
  virtual void partitions_assigned(const std::vector<std::int32_t>& partitions) = 0;
  // Called before the partitions are given up. `lost`: the group already gave them to another
  // member (a session timeout), so committing for them would fail.
  virtual void partitions_revoked(const std::vector<std::int32_t>& partitions, bool lost) = 0;
  // The consumer positioned `partition` at `offset` itself, with nothing before it left to read:
  // the partition had no committed offset (`lost_records` 0), or the records from where it was
  // up to `offset` were removed before they were read (`lost_records` of them; -1 unknown).
  virtual void partition_positioned(std::int32_t partition, std::int64_t offset, std::int64_t lost_records) = 0;
};

// Where the consumer is in one partition, for the lag.
struct PartitionProgress {
  std::int64_t position = -1;        // the next offset it will read; < 0 unknown
  std::int64_t high_watermark = -1;  // the offset after the newest record; < 0 unknown
};

// The records behind the end summed over partitions whose position and end are known; -1 when
// none is known.
std::int64_t total_lag(const std::vector<PartitionProgress>& partitions);
// Whether every partition's position and end are known and nothing is behind the end.
bool caught_up(const std::vector<PartitionProgress>& partitions);

// Throws InputError for a -X property the consumer sets itself because the commit discipline
// depends on it (enable.auto.commit, enable.auto.offset.store).
void check_consumer_properties(const std::vector<std::string>& properties);

class Consumer {
 public:
  // Throws InputError for a bad -X property, or one that would break the commit discipline.
  Consumer(const ConsumerSettings& settings, PartitionListener& listener);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Returns the topic's partition count once it exists. A missing topic is said once (a warning)
  // and then looked for every `every`; an unreachable broker is warned about every few seconds.
  // nullopt when `stop` was set first. Throws RuntimeFailure when either lasts give_up_after.
  std::optional<int> wait_for_topic(const StopFlag& stop, std::chrono::milliseconds every);

  void subscribe();

  // The next record, waiting at most `timeout`; nullopt when none came in time. Kafka errors are
  // logged (a warning every few seconds while they last); a fatal one is a RuntimeFailure.
  std::optional<Record> poll(std::chrono::milliseconds timeout);

  // Commits these offsets (each the next offset to read) and waits for the broker's answer.
  // Returns the ones committed; a failure is logged and left for the caller to retry later.
  // Nothing is committed (returns nothing) while commit_allowed() is false.
  std::vector<PartitionOffset> commit(const std::vector<PartitionOffset>& offsets);
  // Sends these offsets without waiting for the answer (the same filter as commit()); returns
  // those sent. The broker's answer arrives during poll(): take_committed() hands over what it
  // confirmed, and a failure is logged (the caller sends the offsets again later). A continuous
  // processor finishes hundreds of small batches a second; waiting for each commit's round trip
  // held the loop back below 5,000 records/s here.
  std::vector<PartitionOffset> commit_async(const std::vector<PartitionOffset>& offsets);
  // Offsets the broker confirmed since the last call (from commit_async or commit).
  std::vector<PartitionOffset> take_committed();
  // Asynchronous commits sent and not answered yet.
  int commits_in_flight() const { return commits_in_flight_; }
  // False between giving up partitions in a cooperative rebalance and the assignment that
  // completes it (commit_gate.hpp).
  bool commit_allowed() const;
  // The group's metadata for committing offsets in a producer's transaction; never null.
  std::unique_ptr<RdKafka::ConsumerGroupMetadata> group_metadata();

  // Stops (and restarts) fetching from every assigned partition, including ones assigned while
  // paused, so that poll() can serve the group while a batch is being written without pulling
  // in an unbounded number of records.
  // Both do nothing when the consumer is already in that state.
  void pause();
  void resume();
  bool paused() const { return paused_; }

  const std::set<std::int32_t>& assignment() const { return assigned_; }
  // Records behind the end of the assigned partitions, every one of them counted, also one not
  // read from yet (from its committed offset) or still without a starting position (from its
  // beginning); -1 when none is known.
  std::int64_t lag();
  // True when every assigned partition's position and end are known and none has unread records.
  bool caught_up();

  // Throws RuntimeFailure when the broker has not answered for give_up_after (nothing when that
  // is unset): what a run meant to end calls while it waits.
  void check_reachable();

  // Leaves the group (the listener hears of the revocation first). Never throws: a failure of
  // the listener meanwhile is kept for rethrow_failure().
  void close();
  // Raises what the listener threw inside a rebalance callback (poll() does it too).
  void rethrow_failure();

 private:
  class Rebalance;
  class CommitResults;
  void on_commit_result(RdKafka::ErrorCode err, const std::vector<RdKafka::TopicPartition*>& offsets);
  // The offsets of `offsets` that may be committed now: none while commit_allowed() is false
  // (outside a revocation), and only partitions still assigned.
  std::vector<PartitionOffset> committable_now(const std::vector<PartitionOffset>& offsets) const;
  // A failed commit, said once every few seconds while failures last.
  void warn_commit_failed(std::string_view why);
  void on_assign(RdKafka::KafkaConsumer& consumer, std::vector<RdKafka::TopicPartition*>& partitions);
  void on_revoke(RdKafka::KafkaConsumer& consumer, std::vector<RdKafka::TopicPartition*>& partitions);
  std::vector<RdKafka::TopicPartition*> assigned_partitions() const;
  // Applies the application's pause to partitions just assigned: librdkafka keeps a pause on a
  // partition across unassign and assign, so one revoked while paused comes back paused.
  void apply_pause(std::vector<RdKafka::TopicPartition*>& partitions);
  // ERR__AUTO_OFFSET_RESET: `offset` < 0 when the partition has no committed offset, else the
  // offset found out of range.
  void on_offset_reset(std::int32_t partition, std::int64_t offset);
  void notify(const std::function<void()>& call);
  void position_unpositioned();  // decides where partitions without a committed offset start
  void reposition(std::int32_t partition, std::int64_t offset);
  std::optional<std::pair<std::int64_t, std::int64_t>> watermarks(std::int32_t partition, int timeout_ms);
  std::vector<PartitionProgress> progress();

  std::string topic_;
  std::string bootstrap_servers_;
  std::string group_;
  std::string starting_offsets_;
  bool fail_on_data_loss_;
  PartitionListener* listener_;
  std::unique_ptr<Rebalance> rebalance_;
  std::unique_ptr<CommitResults> commit_results_;
  std::vector<PartitionOffset> confirmed_;  // by the broker, not yet taken
  int commits_in_flight_ = 0;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::set<std::int32_t> assigned_;
  // The next offset of each assigned partition once known: one past the last record delivered,
  // or where the partition was positioned.
  std::map<std::int32_t, std::int64_t> next_offset_;
  std::set<std::int32_t> unpositioned_;  // assigned, without a committed offset, start undecided
  std::chrono::steady_clock::time_point next_position_attempt_{};
  int partition_count_ = 0;
  bool paused_ = false;
  std::optional<std::chrono::milliseconds> give_up_after_;
  // Since when the broker has not answered (errors from poll, failed offset queries); cleared by
  // any answer.
  std::optional<std::chrono::steady_clock::time_point> unreachable_since_;
  CommitGate commit_gate_;
  bool in_revoke_ = false;
  std::exception_ptr pending_failure_;
  bool closed_ = false;
  WarningThrottle error_throttle_;
  WarningThrottle commit_throttle_;
};

}  // namespace ratingstream::kafka
