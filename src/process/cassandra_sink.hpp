#pragma once
// The Cassandra side of `process` (issue 4: Sink): one prepared INSERT, rows written concurrently
// with a bounded number in flight, and failures retried until Cassandra takes them.
//
// Failure policy, per error kind (store::ErrorKind):
// - connection, timeout, unavailable, overloaded: Cassandra is away or busy. Only the failed rows
//   are tried again, with exponential backoff (100 ms doubling to 5 s), for as long as it takes:
//   a running processor never exits because Cassandra went away. A warning naming the address
//   and the error is logged at once and then every 5 s; /healthz reports unhealthy meanwhile.
//   Only SIGINT/SIGTERM ends the wait; the batch is then abandoned and its unwritten records are
//   not committed (they are read again on the next start).
// - invalid_query, unauthorized: retrying cannot help and skipping the rows would lose data, so
//   the processor stops: RuntimeFailure (exit 1).
// - server, internal (anything else): retried like the first group, but after
//   kMaxUnexpectedRounds consecutive attempts that still see such an error the processor stops
//   with RuntimeFailure, so a persistent bug does not spin forever.
// The same applies at start-up: connecting (and creating the schema, and preparing the
// statement) is retried while Cassandra is unreachable, so `process` may start before Cassandra.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "observe/metrics.hpp"
#include "process/partition_batches.hpp"
#include "process/retry.hpp"
#include "process/row.hpp"
#include "store/schema.hpp"
#include "store/session.hpp"

namespace ratingstream::process {

enum class FailureHandling {
  retry,          // transient: try again until it works
  retry_limited,  // unexpected: try again, but not forever
  fatal,          // cannot succeed: stop the processor
};
FailureHandling failure_handling(const store::Error& error);

inline constexpr int kMaxUnexpectedRounds = 10;

struct SinkSettings {
  std::size_t max_in_flight = 128;           // requests outstanding at once
  std::size_t batch_rows = kDefaultBatchRows;  // rows of one person per request (partition_batches.hpp)
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  std::chrono::milliseconds warn_every{5000};
};

struct WriteOutcome {
  std::vector<bool> written;   // written[i]: rows[i] was acknowledged
  std::uint64_t written_count = 0;
  std::uint64_t retries = 0;   // row writes tried again
  bool complete() const { return written_count == written.size(); }
};

class CassandraSink {
 public:
  // Connects, creates the keyspace and table when the table is missing (unless !create_schema)
  // and prepares the INSERT, retrying while Cassandra is unreachable. nullopt when `stop` was set
  // before that succeeded. Throws RuntimeFailure for errors retrying cannot fix.
  static std::optional<CassandraSink> open(const store::SessionConfig& session_config, const store::TableRef& table,
                                           bool create_schema, const SinkSettings& settings,
                                           observe::Metrics& metrics, const StopFlag& stop);

  // Writes every row, retrying failed ones as described above; returns when all are written or
  // `stop` was set (then complete() is false). `keep_alive` runs while it waits between attempts.
  // Throws RuntimeFailure on a fatal error.
  WriteOutcome write(std::span<const Row> rows, const StopFlag& stop, const KeepAlive& keep_alive);

  // "127.0.0.1:9042", for messages.
  const std::string& address() const { return address_; }

 private:
  CassandraSink(store::Session session, store::PreparedStatement insert, SinkSettings settings,
                observe::Metrics& metrics, std::string address);

  store::Session session_;
  store::PreparedStatement insert_;
  SinkSettings settings_;
  observe::Metrics* metrics_;
  std::string address_;
  std::vector<store::BoundValue> values_;  // reused: bound values of the rows being sent
};

}  // namespace ratingstream::process
