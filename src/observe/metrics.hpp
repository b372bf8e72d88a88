#pragma once
// The processor's counters, a batch-duration histogram and a lag gauge, rendered in the
// Prometheus text format. Updated once per batch by the pipeline and read by the HTTP thread.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "observe/batch_report.hpp"

namespace ratingstream::observe {

// A server the process talks to (a Cassandra node, a Kafka broker) and whether it can reach it
// now: what /healthz, /metrics and the dashboard list.
struct ServerState {
  std::string address;  // host:port
  std::string detail;   // "dc1" for a Cassandra node, the broker id for a broker
  bool reachable = false;
};

// The counters at one moment, copied out under the lock: what the dashboard samples every
// second to chart rates (differences of two snapshots) without parsing the Prometheus text.
struct MetricsSnapshot {
  std::uint64_t batches = 0;
  std::uint64_t records_in = 0;
  std::uint64_t written = 0;
  std::uint64_t unmatched = 0;
  std::uint64_t expired = 0;
  std::map<std::string, std::uint64_t> rejected;  // by reason
  std::uint64_t write_retries = 0;
  std::uint64_t dead_lettered = 0;
  std::int64_t lag = -1;  // -1: unknown
  bool cassandra_reachable = true;
  std::vector<ServerState> cassandra_nodes;  // empty: not known (yet)
  std::vector<ServerState> kafka_brokers;
  std::uint64_t duration_count = 0;  // batches timed
  double duration_sum = 0;           // seconds
};

class Metrics {
 public:
  // Every known rejection reason is exported from the start (as 0), so dashboards and alerts
  // see a series before the first bad record arrives.
  explicit Metrics(std::vector<std::string> reject_reasons);

  void record_batch(const BatchReport& report);
  void add_write_retries(std::uint64_t retries);
  void add_dead_lettered(std::uint64_t records);
  // Records removed from Kafka (retention, delete-records) before they were read; 0 when a loss
  // was seen but its size is unknown (it still counts as an event).
  void add_records_lost(std::uint64_t records);
  // Hourly rollups recomputed, and hours waiting for it now (docs/data-over-time.md).
  void add_rollup_hours_recomputed(std::uint64_t hours);
  void set_rollup_hours_pending(std::uint64_t hours);
  void set_lag(std::int64_t lag);
  // Whether Cassandra currently accepts writes; /healthz answers 503 while it does not.
  void set_cassandra_reachable(bool reachable);
  // Cassandra does not accept writes, and why, in one line that /healthz shows (e.g. "cassandra
  // unavailable: Cassandra at ... cannot meet LOCAL_QUORUM ..."): a probe or an operator reading
  // it sees what to fix, not only that something is wrong.
  void set_cassandra_problem(std::string problem);
  // The Cassandra nodes and Kafka brokers as the clients see them now (each list replaces the
  // last one given).
  void set_cassandra_nodes(std::vector<ServerState> nodes);
  void set_kafka_brokers(std::vector<ServerState> brokers);
  bool healthy() const;
  // healthy() and what /healthz says: "ok", or why not (the problem given, or "cassandra
  // unreachable" when none was), read together; then a line per kind of server known, e.g.
  // "cassandra nodes: 127.0.0.11:9042 (dc1) reachable, 127.0.0.12:9042 (dc1) unreachable".
  struct Health {
    bool ok = true;
    std::string text;
  };
  Health health() const;

  std::string prometheus_text() const;
  MetricsSnapshot snapshot() const;

  // Upper bounds of the batch-duration histogram, in seconds.
  static constexpr std::array<double, 12> kDurationBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                              0.1,   0.25,   0.5,   1,    5,     30};

 private:
  mutable std::mutex mutex_;
  std::uint64_t batches_ = 0;
  std::uint64_t records_in_ = 0;
  std::uint64_t written_ = 0;
  std::uint64_t unmatched_ = 0;
  std::uint64_t expired_ = 0;
  std::map<std::string, std::uint64_t> rejected_;
  std::uint64_t write_retries_ = 0;
  std::uint64_t dead_lettered_ = 0;
  std::uint64_t records_lost_ = 0;
  std::uint64_t data_loss_events_ = 0;
  std::uint64_t rollup_hours_recomputed_ = 0;
  std::uint64_t rollup_hours_pending_ = 0;
  std::int64_t lag_ = -1;
  bool cassandra_reachable_ = true;
  std::string cassandra_problem_;  // empty: none said
  std::vector<ServerState> cassandra_nodes_;
  std::vector<ServerState> kafka_brokers_;
  std::array<std::uint64_t, kDurationBuckets.size()> bucket_counts_{};  // non-cumulative
  std::uint64_t duration_count_ = 0;
  double duration_sum_ = 0;
};

}  // namespace ratingstream::observe
