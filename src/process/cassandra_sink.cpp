#include "process/cassandra_sink.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/errors.hpp"
#include "common/setting.hpp"
#include "process/side_writes.hpp"
#include "store/people_index.hpp"
#include "store/replication.hpp"
#include "store/row_expiry.hpp"
#include "store/time_bucket.hpp"

namespace ratingstream::process {
namespace {

std::string describe(const store::Error& e) { return fmt::format("{}: {}", store::to_string(e.kind()), e.what()); }

// An Unavailable answer explained (replicas needed and alive, replication against nodes), else
// the error as the driver says it. `session`: where to read the keyspace's replication from.
std::string explain(const store::Error& e, store::Session* session, const std::string& address,
                    const std::string& keyspace) {
  if (!e.unavailable()) return {};
  return store::describe_unavailable(
      address, keyspace, *e.unavailable(),
      session != nullptr ? store::read_replication_context(*session, keyspace) : std::nullopt);
}

// The line /healthz shows while Cassandra does not take writes.
std::string health_line(const store::Error& e, const std::string& explained, const std::string& address) {
  if (!explained.empty()) return "cassandra unavailable: " + explained;
  std::string_view state = "failing";
  switch (e.kind()) {
    case store::ErrorKind::connection:
    case store::ErrorKind::connection_broken: state = "unreachable"; break;
    case store::ErrorKind::timeout:
    case store::ErrorKind::client_timeout:
    case store::ErrorKind::abandoned: state = "timing out"; break;
    case store::ErrorKind::overloaded: state = "overloaded"; break;
    default: break;
  }
  return fmt::format("cassandra {}: Cassandra at {}: {}", state, address, describe(e));
}

using SteadyClock = std::chrono::steady_clock;

std::string waited_for(SteadyClock::duration how_long) {
  return format_duration(std::chrono::duration_cast<std::chrono::seconds>(how_long));
}

}  // namespace

FailureHandling failure_handling(const store::Error& error) {
  if (error.retryable()) return FailureHandling::retry;
  switch (error.kind()) {
    case store::ErrorKind::invalid_query:
    case store::ErrorKind::unauthorized: return FailureHandling::fatal;
    default: return FailureHandling::retry_limited;
  }
}

bool is_slowness(store::ErrorKind kind) {
  switch (kind) {
    case store::ErrorKind::timeout:
    case store::ErrorKind::client_timeout:
    case store::ErrorKind::overloaded:
    case store::ErrorKind::abandoned:
    case store::ErrorKind::not_started: return true;
    default: return false;
  }
}

bool reports_unhealthy(bool only_slowness, std::chrono::steady_clock::duration since_progress,
                       std::chrono::milliseconds grace) {
  return !only_slowness || since_progress >= grace;
}

struct CassandraSink::PeopleWrites {
  PeopleWrites(std::shared_ptr<store::Session> s, const store::TableRef& table, const store::TableLayout& layout,
               std::optional<std::chrono::seconds> retention, std::string d)
      : session(std::move(s)), index(*session, table, layout, retention), doing(std::move(d)) {}
  std::shared_ptr<store::Session> session;  // the index's statements' session, kept as long as they are
  store::PeopleIndex index;
  std::string doing;  // for messages
  std::mutex mutex;
  // name -> the newest bucket start (ms) whose entry this processor wrote; bounded by clearing.
  // Looked up by the rows' own names, without a copy.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  std::unordered_map<std::string, std::int64_t, NameHash, std::equal_to<>> written;
  static constexpr std::size_t kMaxRemembered = 1'000'000;
};

CassandraSink::CassandraSink(store::Session session, store::PreparedStatement insert, SinkSettings settings,
                             observe::Metrics& metrics, std::string address, std::string keyspace,
                             std::string time_zone, store::TableLayout layout,
                             std::optional<std::chrono::seconds> retention)
    : session_(std::make_shared<store::Session>(std::move(session))),
      insert_(std::move(insert)),
      settings_(settings),
      metrics_(&metrics),
      address_(std::move(address)),
      keyspace_(std::move(keyspace)),
      time_zone_(std::move(time_zone)),
      layout_(layout),
      retention_(retention) {}

CassandraSink::~CassandraSink() = default;
CassandraSink::CassandraSink(CassandraSink&&) noexcept = default;
CassandraSink& CassandraSink::operator=(CassandraSink&&) noexcept = default;

void CassandraSink::keep_rollups(const store::TableRef& table, const RollupSettings& settings) {
  rollups_ = std::make_unique<RollupKeeper>(session_, table, layout_, retention_, settings, *metrics_);
}

void CassandraSink::keep_people_index(const store::TableRef& table) {
  people_ = std::make_unique<PeopleWrites>(
      session_, table, layout_, retention_,
      fmt::format("indexing the people of a write in {}",
                  store::qualified_name(store::people_table_of(table), store::NameQuoting::as_given)));
}

bool CassandraSink::index_people(std::span<const Row> rows, const StopFlag& stop, const KeepAlive& keep_alive) {
  // Each person's newest bucket in these rows, less those already written (names: views of the
  // rows' own, which outlive the values bound to them).
  // Rows already past retention are not written, so they name no bucket either.
  const store::Timestamp now{millis_since_epoch(real_clock().wall_now())};
  std::map<std::string_view, std::int64_t> newest;
  for (const auto& row : rows) {
    if (retention_ && !store::row_time_to_live(*retention_, row.timestamp, now)) continue;
    const std::int64_t bucket = store::bucket_start(*layout_.bucket, row.timestamp).millis;
    auto [at, added] = newest.try_emplace(row.name, bucket);
    if (!added) at->second = std::max(at->second, bucket);
  }
  {
    const std::lock_guard lock(people_->mutex);
    std::erase_if(newest, [this](const auto& entry) {
      const auto known = people_->written.find(entry.first);
      return known != people_->written.end() && known->second >= entry.second;
    });
  }
  if (newest.empty()) return true;
  std::vector<store::BoundValue> values;
  values.reserve(newest.size() * 4);
  for (const auto& [name, bucket] : newest) people_->index.bind(name, store::Timestamp{bucket}, now, values);
  if (!values.empty() &&
      !write_side_rows(*session_, people_->index.insert(), values, {},
                       {people_->doing, "the dashboard would miss people"}, settings_.retry, stop, keep_alive)) {
    return false;
  }
  const std::lock_guard lock(people_->mutex);
  if (people_->written.size() + newest.size() > PeopleWrites::kMaxRemembered) people_->written.clear();
  for (const auto& [name, bucket] : newest) {
    auto [known, added] = people_->written.try_emplace(std::string(name), bucket);
    if (!added) known->second = std::max(known->second, bucket);
  }
  return true;
}

std::string CassandraSink::describe_failure(const store::Error& error, bool report_health) {
  const std::string explained = explain(error, session_.get(), address_, keyspace_);
  if (report_health) metrics_->set_cassandra_problem(health_line(error, explained, address_));
  return explained.empty() ? fmt::format("Cassandra at {} is not taking writes ({})", address_, describe(error))
                           : explained;
}

namespace {

// What a processor may create by itself when its table is missing (docs/delivery.md): the table
// in a keyspace that exists, and a keyspace only on a one-node cluster (a development node,
// where replication factor 1 is all there is). On a cluster the keyspace's replication is the
// operator's choice, made with `ratingstream schema --replication`: a keyspace of one replica
// made behind their back would stop every write while any one node is down.
// A missing table is created in the original layout: a bucketed one is `ratingstream schema`'s
// to create, with its bucket size.
store::TableLayout create_missing_table(store::Session& session, const store::TableRef& table,
                                        const std::string& address) {
  if (store::keyspace_exists(session, table.keyspace)) {
    spdlog::info("creating table {} in Cassandra at {}", store::qualified_name(table, store::NameQuoting::as_given),
                 address);
  } else {
    const int nodes = store::read_cluster_nodes(session).total();
    if (nodes > 1) {
      throw RuntimeFailure(fmt::format(
          "Cassandra at {}: keyspace {} does not exist, and on a {}-node cluster the processor does not choose its "
          "replication; create it with `ratingstream schema {} {} {} <datacenter>:3` (or {} N)",
          address, table.keyspace, nodes, Setting::keyspace, table.keyspace, Setting::replication,
          Setting::replication_factor));
    }
    spdlog::info("creating keyspace {} (replication factor 1: a one-node cluster) and table {} in Cassandra at {}",
                 table.keyspace, store::qualified_name(table, store::NameQuoting::as_given), address);
  }
  return store::apply_schema(session, table, store::KeyspaceReplication{});
}

}  // namespace

std::optional<CassandraSink> CassandraSink::open(const store::SessionConfig& session_config,
                                                 const store::TableRef& table, bool create_schema,
                                                 const store::ZoneRequest& zone, const SinkSettings& settings,
                                                 observe::Metrics& metrics, const StopFlag& stop) {
  const std::string address = fmt::format("{}", fmt::join(session_config.contact_points, ","));
  RetryPacer retry(settings.retry);
  int unexpected_rounds = 0;
  for (;;) {
    std::optional<store::Session> session;
    try {
      session.emplace(store::Session::connect(session_config));
      store::TableLayout layout;
      if (!store::table_exists(*session, table)) {
        if (!create_schema) {
          throw RuntimeFailure(fmt::format(
              "Cassandra at {}: table {} does not exist; create it with `ratingstream schema` or run "
              "without {}",
              address, store::qualified_name(table, store::NameQuoting::as_given), Setting::no_create_schema));
        }
        layout = create_missing_table(*session, table, address);
      } else {
        // The layout is the table's own; a table of that name made by something else is refused
        // here with what differs, not by the INSERT's "Undefined column name" later.
        layout = store::read_table_layout(*session, table);
        store::ensure_settings_table(*session, table.keyspace, create_schema);
      }
      const auto table_zone = store::settle_time_zone(*session, table, zone, true, "ratingstream process");
      // Rows of a table with a retention expire by their rating's time (docs/data-over-time.md).
      const auto retention = store::read_retention(*session, table);
      auto insert = session->prepare(insert_statement(table.keyspace, table.table, layout, retention.has_value()),
                                     store::Idempotence::idempotent);
      // Rollups are kept whenever the table has them, being built or complete
      // (docs/data-over-time.md, "Hourly rollups").
      const bool rollups = store::is_kept(store::read_rollup_state(*session, table));
      const bool people = layout.bucketed() && store::is_kept(store::read_people_index_state(*session, table));
      if (retry.succeeded()) spdlog::info("Cassandra at {} answers now", address);
      metrics.set_cassandra_reachable(true);
      // settle_time_zone records a zone when none is: it never leaves the table without one here.
      CassandraSink sink(std::move(*session), std::move(insert), settings, metrics, address, table.keyspace,
                         table_zone.value_or(zone.zone), layout, retention);
      if (rollups) sink.keep_rollups(table, settings.rollups);
      if (people) sink.keep_people_index(table);
      return sink;
    } catch (const store::Error& e) {
      const auto handling = failure_handling(e);
      if (handling == FailureHandling::fatal ||
          (handling == FailureHandling::retry_limited && ++unexpected_rounds >= kMaxUnexpectedRounds)) {
        throw RuntimeFailure(fmt::format("Cassandra at {}: {}", address, describe(e)));
      }
      retry.failed();
      const bool give_up = retry.give_up_due();
      // Explained (and /healthz updated) when a warning is due, not on every attempt: explaining
      // an Unavailable answer reads the keyspace's replication and the cluster's nodes.
      if (const bool warn = retry.warning_due(); warn || give_up) {
        const std::string explained = explain(e, session ? &*session : nullptr, address, table.keyspace);
        metrics.set_cassandra_problem(health_line(e, explained, address));
        const std::string what =
            explained.empty() ? fmt::format("Cassandra at {} is not available ({})", address, describe(e)) : explained;
        if (give_up) {
          throw RuntimeFailure(fmt::format("{}; still so after {}: giving up, as a run with {} must end", what,
                                           waited_for(retry.failing_for()), Setting::until_idle));
        }
        spdlog::warn("{}; retrying until it {} (Ctrl-C to stop)", what, explained.empty() ? "is" : "can");
      }
    }
    if (!retry.wait(stop)) return std::nullopt;
  }
}

WriteOutcome CassandraSink::write(std::span<const Row> rows, const StopFlag& stop, const KeepAlive& keep_alive) {
  WriteOutcome outcome;
  outcome.written.assign(rows.size(), false);
  std::vector<std::size_t> pending(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) pending[i] = i;

  RetryPacer retry(settings_.retry);
  int unexpected_rounds = 0;
  std::vector<std::size_t> still_pending;
  std::vector<store::BoundValue> values;  // of the rows being sent, in `pending` order

  // A stop request ends the call in flight after a short grace (a batch Cassandra takes is
  // finished), and each call ends by its deadline, so neither Ctrl-C nor the consumer's
  // keep-alive waits for a coordinator that stalls (docs/delivery.md, "One write call, bounded").
  const store::WriteControl control{&stop, settings_.stop_grace, settings_.call_deadline};
  // The hours of these rows are marked before any row goes out, so no reader takes a rollup
  // that lacks them (docs/data-over-time.md, "Hourly rollups").
  // The people index first too: a person it names may have no row yet (until the rows are
  // written, or read again after a stop), but no person with rows is missing from it.
  if (people_ && !index_people(rows, stop, keep_alive)) return outcome;
  WriteMarks marks;
  if (rollups_) {
    marks = RollupKeeper::marks_for(rows);
    if (!rollups_->begin_write(marks, settings_.retry, stop, keep_alive)) {
      rollups_->end_write(marks);
      return outcome;
    }
  }
  // Whatever happens below (a stop, a fatal error), the write ends for the rollups too.
  struct EndWrite {
    RollupKeeper* keeper;
    const WriteMarks& marks;
    ~EndWrite() {
      if (keeper != nullptr) keeper->end_write(marks);
    }
  } end_write{rollups_.get(), marks};
  auto progress_at = SteadyClock::now();  // the call's start, then the last round that wrote a row
  bool health_reported = false;           // /healthz says what fails
  while (!pending.empty()) {
    // Each row's time to live is counted from the moment it is sent (a retry sends less).
    std::optional<store::ExpiryCheck> expiry;
    if (retention_)
      expiry = store::ExpiryCheck{*retention_, store::Timestamp{millis_since_epoch(real_clock().wall_now())}};
    // Each person's rows adjacent, in batches; failures below still index `pending`.
    const auto batch_ends = bind_in_partition_batches(rows, pending, settings_.batch_rows, values, layout_, expiry);
    const store::ManyOutcome result =
        session_->execute_many(insert_, values, settings_.max_in_flight, batch_ends, control);

    // failed[] is in row order and indexes `pending`; every other pending row was acknowledged.
    still_pending.clear();
    const store::RowFailure* first_failure = nullptr;
    bool unexpected = false;
    std::size_t next_failed = 0;
    bool cut_short = true;  // every failure is a row the deadline (or a stop) kept from its answer
    bool only_slowness = true;
    std::size_t abandoned = 0;
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
        const auto kind = failure.error.kind();
        if (kind == store::ErrorKind::abandoned) ++abandoned;
        if (kind != store::ErrorKind::abandoned && kind != store::ErrorKind::not_started) cut_short = false;
        if (!is_slowness(kind)) only_slowness = false;
        if (first_failure == nullptr) first_failure = &failure;
        still_pending.push_back(pending[k]);
      } else {
        outcome.written[pending[k]] = true;
        ++outcome.written_count;
      }
    }
    if (result.succeeded > 0) progress_at = SteadyClock::now();
    if (still_pending.empty()) break;
    // Stopping: what was not acknowledged stays unwritten and uncommitted (read again on the
    // next start); no warning, no Cassandra request to explain anything.
    if (stop.load(std::memory_order_relaxed)) break;
    if (cut_short && result.succeeded > 0) {
      // The call's deadline passed while Cassandra was taking writes: serve the consumer and go
      // on with the rest at once. Rows abandoned in flight are sent again (idempotent writes).
      outcome.retries += abandoned;
      metrics_->add_write_retries(abandoned);
      if (keep_alive) keep_alive();
      pending.swap(still_pending);
      continue;
    }

    unexpected_rounds = unexpected ? unexpected_rounds + 1 : 0;
    if (unexpected_rounds >= kMaxUnexpectedRounds) {
      throw RuntimeFailure(fmt::format("Cassandra at {}: {} attempts in a row failed with {}; stopping", address_,
                                       unexpected_rounds, describe(first_failure->error)));
    }
    // give_up_after counts from the last round that wrote nothing at all: a Cassandra that takes
    // some rows each round is slow, not away.
    retry.failed(result.succeeded > 0);
    outcome.retries += still_pending.size();
    metrics_->add_write_retries(still_pending.size());
    const bool give_up = retry.give_up_due();
    const bool unhealthy =
        reports_unhealthy(only_slowness, SteadyClock::now() - progress_at, settings_.slow_write_grace);
    if (const bool warn = retry.warning_due(); warn || give_up) {
      const std::string what = describe_failure(first_failure->error, unhealthy);
      if (give_up) {
        throw RuntimeFailure(
            fmt::format("{}; still so after {}: giving up, as a run with {} must end; what was not written is read "
                        "again on the next start",
                        what, waited_for(retry.failing_without_progress()), Setting::until_idle));
      }
      spdlog::warn("{}: {} of {} rows of this batch not written yet; retrying, nothing past them is committed", what,
                   still_pending.size(), rows.size());
      health_reported = unhealthy;
    } else if (unhealthy && !health_reported) {
      // Slowness that outlasted the grace between two warnings.
      (void)describe_failure(first_failure->error, true);
      health_reported = true;
    }
    pending.swap(still_pending);
    if (!retry.wait(stop, keep_alive)) break;
    // A write tried for long: its marks are renewed so that no sweep takes them meanwhile.
    if (rollups_ && !rollups_->refresh(marks, settings_.retry, stop, keep_alive)) break;
  }

  if (retry.failing() && outcome.complete()) {
    const auto seconds = std::chrono::duration<double>(retry.failing_for()).count();
    spdlog::info("Cassandra at {} takes writes again: the batch is written after {:.1f} s and {} row retries", address_,
                 seconds, outcome.retries);
  }
  if (outcome.complete()) metrics_->set_cassandra_reachable(true);
  return outcome;
}

void CassandraSink::finish_rollups(std::chrono::milliseconds within) {
  if (!rollups_) return;
  const std::size_t left = rollups_->flush(within);
  if (left > 0) {
    spdlog::info("rollups: {} closed hours are left marked, recomputed by the next processor's sweep", left);
  }
}

std::vector<observe::ServerState> CassandraSink::node_servers() const {
  std::vector<observe::ServerState> servers;
  for (const auto& node : session_->nodes()) servers.push_back({node.address, node.datacenter, node.connected});
  return servers;
}

}  // namespace ratingstream::process
