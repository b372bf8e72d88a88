#include "process/cassandra_sink.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "common/errors.hpp"

namespace ratingstream::process {
namespace {

std::string join_points(const std::vector<std::string>& points) {
  std::string out;
  for (const auto& p : points) {
    if (!out.empty()) out += ",";
    out += p;
  }
  return out;
}

std::string_view kind_name(store::ErrorKind kind) {
  switch (kind) {
    case store::ErrorKind::connection: return "connection";
    case store::ErrorKind::timeout: return "timeout";
    case store::ErrorKind::unavailable: return "unavailable";
    case store::ErrorKind::overloaded: return "overloaded";
    case store::ErrorKind::invalid_query: return "invalid query";
    case store::ErrorKind::unauthorized: return "unauthorized";
    case store::ErrorKind::server: return "server error";
    case store::ErrorKind::internal: return "driver error";
  }
  return "error";
}

std::string describe(const store::Error& e) { return fmt::format("{}: {}", kind_name(e.kind()), e.what()); }

}  // namespace

FailureHandling failure_handling(const store::Error& error) {
  if (error.retryable()) return FailureHandling::retry;
  switch (error.kind()) {
    case store::ErrorKind::invalid_query:
    case store::ErrorKind::unauthorized:
      return FailureHandling::fatal;
    default:
      return FailureHandling::retry_limited;
  }
}

CassandraSink::CassandraSink(store::Session session, store::PreparedStatement insert, SinkSettings settings,
                             observe::Metrics& metrics, std::string address)
    : session_(std::move(session)),
      insert_(std::move(insert)),
      settings_(settings),
      metrics_(&metrics),
      address_(std::move(address)) {}

std::optional<CassandraSink> CassandraSink::open(const store::SessionConfig& session_config,
                                                 const store::TableRef& table, bool create_schema,
                                                 const SinkSettings& settings, observe::Metrics& metrics,
                                                 const StopFlag& stop) {
  const std::string address = join_points(session_config.contact_points);
  Backoff backoff(settings.first_backoff, settings.max_backoff);
  WarningThrottle throttle(settings.warn_every);
  int unexpected_rounds = 0;
  bool warned = false;
  for (;;) {
    try {
      auto session = store::Session::connect(session_config);
      if (!store::table_exists(session, table)) {
        if (!create_schema) {
          throw RuntimeFailure(fmt::format(
              "Cassandra at {}: table {}.{} does not exist; create it with `ratingstream schema` or run "
              "without --no-create-schema",
              address, table.keyspace, table.table));
        }
        spdlog::info("creating keyspace {} and table {}.{} in Cassandra at {}", table.keyspace,
                     table.keyspace, table.table, address);
        store::apply_schema(session, table, 1);
      }
      auto insert = session.prepare(insert_statement(table.keyspace, table.table));
      if (warned) spdlog::info("Cassandra at {} answers now", address);
      metrics.set_cassandra_reachable(true);
      return CassandraSink(std::move(session), std::move(insert), settings, metrics, address);
    } catch (const store::Error& e) {
      const auto handling = failure_handling(e);
      if (handling == FailureHandling::fatal ||
          (handling == FailureHandling::retry_limited && ++unexpected_rounds >= kMaxUnexpectedRounds)) {
        throw RuntimeFailure(fmt::format("Cassandra at {}: {}", address, describe(e)));
      }
      metrics.set_cassandra_reachable(false);
      warned = true;
      if (throttle.due(std::chrono::steady_clock::now())) {
        spdlog::warn("Cassandra at {} is not available ({}); retrying until it is (Ctrl-C to stop)", address,
                     describe(e));
      }
    }
    if (!wait_unless_stopped(backoff.next(), stop, {})) return std::nullopt;
  }
}

WriteOutcome CassandraSink::write(std::span<const Row> rows, const StopFlag& stop, const KeepAlive& keep_alive) {
  WriteOutcome outcome;
  outcome.written.assign(rows.size(), false);
  std::vector<std::size_t> pending(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) pending[i] = i;

  Backoff backoff(settings_.first_backoff, settings_.max_backoff);
  WarningThrottle throttle(settings_.warn_every);
  const auto failing_since = std::chrono::steady_clock::now();
  bool failing = false;
  int unexpected_rounds = 0;
  std::vector<std::size_t> still_pending;

  while (!pending.empty()) {
    // Each person's rows adjacent, in batches; failures below still index `pending`.
    const auto batch_ends = bind_in_partition_batches(rows, pending, settings_.batch_rows, values_);
    const store::ManyOutcome result = session_.execute_many(insert_, values_, settings_.max_in_flight, batch_ends);

    // failed[] is in row order and indexes `pending`; every other pending row was acknowledged.
    still_pending.clear();
    const store::RowFailure* first_failure = nullptr;
    bool unexpected = false;
    std::size_t next_failed = 0;
    for (std::size_t k = 0; k < pending.size(); ++k) {
      if (next_failed < result.failed.size() && result.failed[next_failed].row == k) {
        const store::RowFailure& failure = result.failed[next_failed++];
        const auto handling = failure_handling(failure.error);
        if (handling == FailureHandling::fatal) {
          throw RuntimeFailure(fmt::format(
              "Cassandra at {} refused a row ({}); stopping, as skipping it would lose data (its offset and "
              "later ones are not committed)",
              address_, describe(failure.error)));
        }
        if (handling == FailureHandling::retry_limited) unexpected = true;
        if (first_failure == nullptr) first_failure = &failure;
        still_pending.push_back(pending[k]);
      } else {
        outcome.written[pending[k]] = true;
        ++outcome.written_count;
      }
    }
    if (still_pending.empty()) break;

    unexpected_rounds = unexpected ? unexpected_rounds + 1 : 0;
    if (unexpected_rounds >= kMaxUnexpectedRounds) {
      throw RuntimeFailure(fmt::format("Cassandra at {}: {} attempts in a row failed with {}; stopping", address_,
                                       unexpected_rounds, describe(first_failure->error)));
    }
    if (!failing) {
      failing = true;
      metrics_->set_cassandra_reachable(false);
    }
    outcome.retries += still_pending.size();
    metrics_->add_write_retries(still_pending.size());
    if (throttle.due(std::chrono::steady_clock::now())) {
      spdlog::warn(
          "Cassandra at {} is not taking writes ({}): {} of {} rows of this batch not written yet; retrying, "
          "nothing past them is committed",
          address_, describe(first_failure->error), still_pending.size(), rows.size());
    }
    pending.swap(still_pending);
    if (!wait_unless_stopped(backoff.next(), stop, keep_alive)) break;
  }

  if (failing && outcome.complete()) {
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - failing_since).count();
    spdlog::info("Cassandra at {} takes writes again: the batch is written after {:.1f} s and {} row retries",
                 address_, seconds, outcome.retries);
  }
  if (outcome.complete()) metrics_->set_cassandra_reachable(true);
  return outcome;
}

}  // namespace ratingstream::process
