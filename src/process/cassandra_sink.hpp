#pragma once
// The Cassandra side of `process`: one prepared INSERT, rows written concurrently
// with a bounded number in flight, and failures retried until Cassandra takes them.
//
// Failure policy, per error kind (store::ErrorKind):
// - connection, timeout, unavailable, overloaded: Cassandra is away or busy. Only the failed rows
//   are tried again, with exponential backoff (100 ms doubling to 5 s), for as long as it takes:
//   a running processor never exits because Cassandra went away. A warning naming the address
//   and the error is logged at once and then every 5 s; /healthz reports unhealthy meanwhile,
//   with the same reason. Unavailable (fewer replicas alive than the consistency level needs) is
//   explained: replicas needed and alive, and the keyspace's replication factor against the
//   nodes (store/replication.hpp), since more replicas than nodes never heals by waiting alone.
//   SIGINT/SIGTERM end the wait, and also a write call in flight once SinkSettings::stop_grace
//   has passed (a batch Cassandra takes is finished meanwhile; one it does not is not waited
//   for however the coordinator stalls); the batch is then abandoned and its unwritten records
//   are not committed (they are read again on the next start).
// - not_started, abandoned: the call's deadline (SinkSettings::call_deadline) passed. With some
//   rows acknowledged meanwhile the rest are sent again at once, after the consumer has been
//   served; with none, it is a failure like the first group (Cassandra stalls). So does
//   SinkSettings::retry.give_up_after, for a run meant to end (--until-idle): RuntimeFailure once the failure has
//   lasted that long.
// - invalid_query, unauthorized: retrying cannot help and skipping the rows would lose data, so
//   the processor stops: RuntimeFailure (exit 1).
// - server, internal (anything else): retried like the first group, but after
//   kMaxUnexpectedRounds consecutive attempts that still see such an error the processor stops
//   with RuntimeFailure, so a persistent bug does not spin forever.
// The same applies at start-up: connecting (and creating the schema, reading or recording the
// table's time zone, and preparing the statement) is retried while Cassandra is unreachable, so
// `process` may start before Cassandra. A table that is not a ratings table, or a zone that
// differs from the table's, is InputError (exit 2): a setting to fix, not a failure to wait out.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/retry.hpp"
#include "observe/metrics.hpp"
#include "process/partition_batches.hpp"
#include "process/rollup_keeper.hpp"
#include "process/row.hpp"
#include "store/schema.hpp"
#include "store/session.hpp"
#include "store/table_settings.hpp"

namespace ratingstream::process {

enum class FailureHandling {
  retry,          // transient: try again until it works
  retry_limited,  // unexpected: try again, but not forever
  fatal,          // cannot succeed: stop the processor
};
FailureHandling failure_handling(const store::Error& error);

// Slowness: a server or client timeout, an overloaded coordinator, a request abandoned or not
// sent as its call's deadline passed. One slow replica, a pause for garbage collection or a node
// restarting in a rolling restart causes it for a few seconds while Cassandra stays available.
bool is_slowness(store::ErrorKind kind);

// Whether a round of failed writes makes /healthz unhealthy (docs/operations.md, "Health"): at
// once when a failure is not slowness (no node reachable, too few replicas alive, a refusal);
// when every failure is slowness, only once no row has been acknowledged for `grace`.
bool reports_unhealthy(bool only_slowness, std::chrono::steady_clock::duration since_progress,
                       std::chrono::milliseconds grace);

inline constexpr int kMaxUnexpectedRounds = 10;

struct SinkSettings {
  std::size_t max_in_flight = 128;             // requests outstanding at once, per write call
  std::size_t batch_rows = kDefaultBatchRows;  // rows of one person per request (partition_batches.hpp)
  // Waits between attempts while Cassandra fails, and its give_up_after: stop retrying
  // (RuntimeFailure naming the address and the error) once Cassandra has failed for that long
  // without a break, at start-up or while writing; nullopt: retry for ever.
  RetryPolicy retry;
  // Bounds one call that writes a batch's rows: the consumer is served in between, so a stalled
  // coordinator cannot keep it from librdkafka's max.poll.interval.ms (300 s by default).
  std::chrono::milliseconds call_deadline{30'000};
  // How long a write call in flight goes on after a stop request before it is abandoned.
  std::chrono::milliseconds stop_grace{3000};
  // Writes that only time out (or meet an overloaded coordinator) turn /healthz unhealthy once
  // no row has been acknowledged for this long (reports_unhealthy).
  std::chrono::milliseconds slow_write_grace{10'000};
  // How a table's hourly rollups are kept, when it has them.
  RollupSettings rollups;
};

struct WriteOutcome {
  std::vector<bool> written;  // written[i]: rows[i] was acknowledged
  std::uint64_t written_count = 0;
  std::uint64_t retries = 0;  // row writes tried again
  bool complete() const { return written_count == written.size(); }
};

class CassandraSink {
 public:
  // Connects, creates the keyspace and tables when the table is missing (unless !create_schema),
  // checks an existing table's columns, settles the table's time zone (store/table_settings.hpp:
  // the recorded one, or `zone` recorded now) and prepares the INSERT, retrying while Cassandra
  // is unreachable. nullopt when `stop` was set before that succeeded. Throws InputError for a
  // table that is not a ratings table or a zone given that differs from the table's,
  // RuntimeFailure for errors retrying cannot fix or once give_up_after has passed.
  static std::optional<CassandraSink> open(const store::SessionConfig& session_config, const store::TableRef& table,
                                           bool create_schema, const store::ZoneRequest& zone,
                                           const SinkSettings& settings, observe::Metrics& metrics,
                                           const StopFlag& stop);

  // Writes every row, retrying failed ones as described above; returns when all are written or
  // `stop` was set (then complete() is false). `keep_alive` runs while it waits between attempts.
  // Throws RuntimeFailure on a fatal error. Safe to call from several threads at once (the
  // pipeline's writers): each call has its own requests, retries and buffers.
  WriteOutcome write(std::span<const Row> rows, const StopFlag& stop, const KeepAlive& keep_alive);

  // "127.0.0.1:9042", for messages.
  const std::string& address() const { return address_; }
  // The cluster's nodes as the driver sees them now (datacenter as detail, reachable while it
  // holds connections to the node), for /healthz and the dashboard. No request is sent.
  std::vector<observe::ServerState> node_servers() const;
  // The zone timestamps without one are read in: the table's (canonical name, e.g. "UTC").
  const std::string& time_zone() const { return time_zone_; }
  // The table's layout, read from the table (docs/data-over-time.md).
  const store::TableLayout& layout() const { return layout_; }
  // The table's retention (its default time to live); nullopt: rows never expire.
  std::optional<std::chrono::seconds> retention() const { return retention_; }
  // Whether this processor keeps the table's hourly rollups (the table has them).
  bool keeps_rollups() const { return rollups_ != nullptr; }
  // Hours whose rollup waits for recomputation (0 without rollups).
  std::size_t rollup_hours_pending() const { return rollups_ ? rollups_->hours_pending() : 0; }
  // At the end of a run: the rollups of closed hours written to are recomputed now, within
  // `within` (what is left stays marked, for the next processor's sweep).
  void finish_rollups(std::chrono::milliseconds within);

  ~CassandraSink();
  CassandraSink(CassandraSink&&) noexcept;
  CassandraSink& operator=(CassandraSink&&) noexcept;

 private:
  CassandraSink(store::Session session, store::PreparedStatement insert, SinkSettings settings,
                observe::Metrics& metrics, std::string address, std::string keyspace, std::string time_zone,
                store::TableLayout layout, std::optional<std::chrono::seconds> retention);

  // The failure in words, for the warning (Unavailable explained); also on /healthz when
  // `report_health`.
  std::string describe_failure(const store::Error& error, bool report_health);
  void keep_rollups(const store::TableRef& table, const RollupSettings& settings);
  void keep_people_index(const store::TableRef& table);
  // Before a write's rows go out: the people index names the bucket of each person's newest row
  // (docs/data-over-time.md, "The people index"), unless this processor wrote that entry already.
  // false when `stop` was set first.
  bool index_people(std::span<const Row> rows, const StopFlag& stop, const KeepAlive& keep_alive);

  // Shared with the rollup keeper's workers.
  std::shared_ptr<store::Session> session_;
  store::PreparedStatement insert_;
  SinkSettings settings_;
  observe::Metrics* metrics_;
  std::string address_;
  std::string keyspace_;
  std::string time_zone_;
  store::TableLayout layout_;
  std::optional<std::chrono::seconds> retention_;
  // The people index of a bucketed table that has one, and the entries written to it.
  struct PeopleWrites;
  std::unique_ptr<PeopleWrites> people_;
  // Declared last: destroyed first, its workers stopped while the session is there.
  std::unique_ptr<RollupKeeper> rollups_;
};

}  // namespace ratingstream::process
