#include "observe/metrics.hpp"

#include <fmt/format.h>

#include <utility>

namespace ratingstream::observe {

Metrics::Metrics(std::vector<std::string> reject_reasons) {
  for (auto& reason : reject_reasons) rejected_.emplace(std::move(reason), 0);
}

void Metrics::record_batch(const BatchReport& r) {
  std::lock_guard lock(mutex_);
  ++batches_;
  records_in_ += r.records_in;
  written_ += r.written;
  unmatched_ += r.unmatched;
  expired_ += r.expired;
  for (const auto& [reason, count] : r.rejected_by_reason) rejected_[reason] += count;
  if (r.lag >= 0) lag_ = r.lag;
  ++duration_count_;
  duration_sum_ += r.duration_seconds;
  for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
    if (r.duration_seconds <= kDurationBuckets[i]) {
      ++bucket_counts_[i];
      break;
    }
  }
}

void Metrics::add_write_retries(std::uint64_t retries) {
  std::lock_guard lock(mutex_);
  write_retries_ += retries;
}

void Metrics::add_dead_lettered(std::uint64_t records) {
  std::lock_guard lock(mutex_);
  dead_lettered_ += records;
}

void Metrics::add_records_lost(std::uint64_t records) {
  std::lock_guard lock(mutex_);
  records_lost_ += records;
  ++data_loss_events_;
}

void Metrics::add_rollup_hours_recomputed(std::uint64_t hours) {
  std::lock_guard lock(mutex_);
  rollup_hours_recomputed_ += hours;
}

void Metrics::set_rollup_hours_pending(std::uint64_t hours) {
  std::lock_guard lock(mutex_);
  rollup_hours_pending_ = hours;
}

void Metrics::set_lag(std::int64_t lag) {
  std::lock_guard lock(mutex_);
  lag_ = lag;
}

void Metrics::set_cassandra_reachable(bool reachable) {
  std::lock_guard lock(mutex_);
  cassandra_reachable_ = reachable;
  cassandra_problem_.clear();
}

void Metrics::set_cassandra_problem(std::string problem) {
  std::lock_guard lock(mutex_);
  cassandra_reachable_ = false;
  cassandra_problem_ = std::move(problem);
}

void Metrics::set_cassandra_nodes(std::vector<ServerState> nodes) {
  std::lock_guard lock(mutex_);
  cassandra_nodes_ = std::move(nodes);
}

void Metrics::set_kafka_brokers(std::vector<ServerState> brokers) {
  std::lock_guard lock(mutex_);
  kafka_brokers_ = std::move(brokers);
}

namespace {

// "what: a (d) reachable, b (d) unreachable", or nothing for an empty list.
std::string server_line(std::string_view what, const std::vector<ServerState>& servers) {
  if (servers.empty()) return "";
  std::string line = fmt::format("\n{}:", what);
  for (std::size_t i = 0; i < servers.size(); ++i) {
    const auto& s = servers[i];
    line += fmt::format("{} {}{}{}{} {}", i == 0 ? "" : ",", s.address, s.detail.empty() ? "" : " (", s.detail,
                        s.detail.empty() ? "" : ")", s.reachable ? "reachable" : "unreachable");
  }
  return line;
}

}  // namespace

Metrics::Health Metrics::health() const {
  std::lock_guard lock(mutex_);
  const std::string servers =
      server_line("cassandra nodes", cassandra_nodes_) + server_line("kafka brokers", kafka_brokers_);
  if (cassandra_reachable_) return {true, "ok" + servers};
  return {false, (cassandra_problem_.empty() ? "cassandra unreachable" : cassandra_problem_) + servers};
}

bool Metrics::healthy() const {
  std::lock_guard lock(mutex_);
  return cassandra_reachable_;
}

MetricsSnapshot Metrics::snapshot() const {
  std::lock_guard lock(mutex_);
  MetricsSnapshot s;
  s.batches = batches_;
  s.records_in = records_in_;
  s.written = written_;
  s.unmatched = unmatched_;
  s.expired = expired_;
  s.rejected = rejected_;
  s.write_retries = write_retries_;
  s.dead_lettered = dead_lettered_;
  s.lag = lag_;
  s.cassandra_reachable = cassandra_reachable_;
  s.cassandra_nodes = cassandra_nodes_;
  s.kafka_brokers = kafka_brokers_;
  s.duration_count = duration_count_;
  s.duration_sum = duration_sum_;
  return s;
}

std::string Metrics::prometheus_text() const {
  std::lock_guard lock(mutex_);
  std::string out;
  auto counter = [&out](const char* name, const char* help, std::uint64_t value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n{0} {2}\n", name, help, value);
  };
  counter("ratingstream_batches_total", "Micro-batches completed.", batches_);
  counter("ratingstream_records_in_total", "Records read from Kafka.", records_in_);
  counter("ratingstream_records_written_total", "Rows acknowledged by Cassandra.", written_);
  counter("ratingstream_records_unmatched_total", "Ratings whose movie is not in the catalogue.", unmatched_);
  counter("ratingstream_records_expired_total", "Ratings older than the table's retention, not written.", expired_);
  out +=
      "# HELP ratingstream_records_rejected_total Records that failed decoding or validation, by reason.\n"
      "# TYPE ratingstream_records_rejected_total counter\n";
  for (const auto& [reason, count] : rejected_) {
    out += fmt::format("ratingstream_records_rejected_total{{reason=\"{}\"}} {}\n", reason, count);
  }
  counter("ratingstream_dead_lettered_total", "Rejected records produced to the dead-letter topic.", dead_lettered_);
  counter("ratingstream_cassandra_write_retries_total", "Row writes tried again after a retryable error.",
          write_retries_);
  counter("ratingstream_kafka_records_lost_total",
          "Records removed from Kafka (retention, delete-records) before this processor read them.", records_lost_);
  counter("ratingstream_rollup_hours_recomputed_total",
          "Hourly rollups recomputed from their raw rows (docs/data-over-time.md).", rollup_hours_recomputed_);
  counter("ratingstream_kafka_data_loss_events_total",
          "Times a partition's position was found removed or past its end and moved to its earliest record.",
          data_loss_events_);

  out +=
      "# HELP ratingstream_batch_duration_seconds Time from a batch closing to its commit.\n"
      "# TYPE ratingstream_batch_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
    cumulative += bucket_counts_[i];
    out += fmt::format("ratingstream_batch_duration_seconds_bucket{{le=\"{}\"}} {}\n", kDurationBuckets[i], cumulative);
  }
  out += fmt::format("ratingstream_batch_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", duration_count_);
  out += fmt::format("ratingstream_batch_duration_seconds_sum {}\n", duration_sum_);
  out += fmt::format("ratingstream_batch_duration_seconds_count {}\n", duration_count_);

  out +=
      "# HELP ratingstream_consumer_lag Records behind the end of the assigned partitions (-1: unknown).\n"
      "# TYPE ratingstream_consumer_lag gauge\n";
  out += fmt::format("ratingstream_consumer_lag {}\n", lag_);
  out +=
      "# HELP ratingstream_rollup_hours_pending Hours written to whose rollup waits for recomputation.\n"
      "# TYPE ratingstream_rollup_hours_pending gauge\n";
  out += fmt::format("ratingstream_rollup_hours_pending {}\n", rollup_hours_pending_);
  out +=
      "# HELP ratingstream_cassandra_up Whether Cassandra accepted the last write (1) or not (0).\n"
      "# TYPE ratingstream_cassandra_up gauge\n";
  out += fmt::format("ratingstream_cassandra_up {}\n", cassandra_reachable_ ? 1 : 0);
  // Addresses, datacenter names and broker ids are label values: quoted, with \ " and newlines
  // escaped as the text format asks.
  const auto label = [](std::string_view value) {
    std::string escaped;
    for (const char c : value) {
      if (c == '\\' || c == '"') escaped.push_back('\\');
      if (c == '\n') {
        escaped += "\\n";
        continue;
      }
      escaped.push_back(c);
    }
    return escaped;
  };
  if (!cassandra_nodes_.empty()) {
    out +=
        "# HELP ratingstream_cassandra_node_reachable Whether the driver has a working connection to the node.\n"
        "# TYPE ratingstream_cassandra_node_reachable gauge\n";
    for (const auto& node : cassandra_nodes_) {
      out += fmt::format("ratingstream_cassandra_node_reachable{{node=\"{}\",datacenter=\"{}\"}} {}\n",
                         label(node.address), label(node.detail), node.reachable ? 1 : 0);
    }
  }
  if (!kafka_brokers_.empty()) {
    out +=
        "# HELP ratingstream_kafka_broker_reachable Whether the consumer's connection to the broker is up.\n"
        "# TYPE ratingstream_kafka_broker_reachable gauge\n";
    for (const auto& broker : kafka_brokers_) {
      out += fmt::format("ratingstream_kafka_broker_reachable{{broker=\"{}\",address=\"{}\"}} {}\n",
                         label(broker.detail), label(broker.address), broker.reachable ? 1 : 0);
    }
  }
  return out;
}

}  // namespace ratingstream::observe
