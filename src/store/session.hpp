#pragma once
// The C++ face of the Cassandra driver: a session, prepared statements, concurrent writes and
// paged reads. Implemented over the C ABI of cql-bridge (the scylla Rust driver); nothing here
// knows about Rust, and no bridge type leaks out of src/store/.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/defaults.hpp"

namespace ratingstream::store {

using Uuid = std::array<std::uint8_t, 16>;

// Milliseconds since the Unix epoch, as CQL's `timestamp`.
struct Timestamp {
  std::int64_t millis = 0;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

// A value read from Cassandra. std::monostate is CQL null.
using Value = std::variant<std::monostate, std::string, std::int32_t, std::int64_t, Timestamp, Uuid, double, bool>;

// A value to bind to a statement. Text is borrowed (no copy on the hot path): the bytes must
// outlive the call that binds it. A double binds exactly to a double column, and to a float
// column as the nearest float when within float's range (else an invalid_query error). null
// writes a null (for a write: deletes the cell, a tombstone); unset leaves the column as it is
// (nothing written for it).
//
// Its layout is the bridge's value (session.cpp checks every offset at compile time), so a row's
// values go to the driver as they are, with no copy (a row's eleven values are 616 bytes).
struct BoundValue {
  enum class Type : std::int32_t { null, text, int32, int64, timestamp, uuid, float64, boolean, unset };
  Type type = Type::null;
  const char* text_data = nullptr;  // text: text() is the value
  std::size_t text_size = 0;
  std::int64_t integer = 0;  // int32, int64, timestamp (millis), boolean (0/1)
  double float64 = 0;
  Uuid uuid{};

  std::string_view text() const { return {text_data, text_size}; }

  static BoundValue null() { return {}; }
  static BoundValue unset() {
    BoundValue b;
    b.type = Type::unset;
    return b;
  }
  static BoundValue of_text(std::string_view v) {
    BoundValue b;
    b.type = Type::text;
    b.text_data = v.data();
    b.text_size = v.size();
    return b;
  }
  static BoundValue of_int32(std::int32_t v) {
    BoundValue b;
    b.type = Type::int32;
    b.integer = v;
    return b;
  }
  static BoundValue of_int64(std::int64_t v) {
    BoundValue b;
    b.type = Type::int64;
    b.integer = v;
    return b;
  }
  static BoundValue of_timestamp(Timestamp v) {
    BoundValue b;
    b.type = Type::timestamp;
    b.integer = v.millis;
    return b;
  }
  static BoundValue of_uuid(const Uuid& v) {
    BoundValue b;
    b.type = Type::uuid;
    b.uuid = v;
    return b;
  }
  static BoundValue of_double(double v) {
    BoundValue b;
    b.type = Type::float64;
    b.float64 = v;
    return b;
  }
  static BoundValue of_bool(bool v) {
    BoundValue b;
    b.type = Type::boolean;
    b.integer = v ? 1 : 0;
    return b;
  }
};

// What went wrong, in the categories a caller acts on. Whether a failed write may have been
// applied: not for connection and not_started (nothing was sent); perhaps for timeout,
// client_timeout, connection_broken and abandoned. Writing such a row again is safe only
// because every write ratingstream makes is idempotent (Idempotence below, docs/delivery.md).
enum class ErrorKind {
  connection,         // not sent: no node reachable, connection refused, no connection free
  timeout,            // the server's read or write timeout (too few replicas answered in time)
  unavailable,        // not enough replicas alive
  overloaded,         // the coordinator is overloaded
  invalid_query,      // syntax error, unknown keyspace or table, bad bind values
  unauthorized,       // authentication failed or permission denied
  server,             // any other error the server returned
  internal,           // a failure inside the driver or the bridge (including a caught panic)
  client_timeout,     // no answer within the request timeout
  connection_broken,  // the connection broke with the request sent or being sent
  not_started,        // execute_many: not sent, as it was cancelled or its deadline passed first
  abandoned,          // execute_many: in flight when it was cancelled or its deadline passed
  schema_pending,     // a table system_schema lists that the coordinator does not know yet: a
                      // schema change still being applied (schema.hpp, table_exists)
};

// What a coordinator answering Unavailable (0x1000) said: the consistency level of the request
// ("LOCAL_QUORUM", "LOCAL_SERIAL"...), the replicas it needs and those it saw alive.
struct Unavailable {
  std::string consistency;
  int required = 0;
  int alive = 0;
};

// What a coordinator's read or write timeout (0x1200/0x1100) said: the consistency level, the
// write's type ("SIMPLE", "UNLOGGED_BATCH", "BATCH_LOG", "CAS"...; empty for a read), the
// replicas that answered and those the level needs.
struct ServerTimeout {
  std::string consistency;
  std::string write_type;
  int received = 0;
  int required = 0;
};

// An error from Cassandra or the driver. code() is Cassandra's protocol error code (e.g. 0x2200
// for Invalid, 0x1100 for WriteTimeout) when the server sent one, else 0.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, int code, const std::string& message, std::optional<Unavailable> unavailable = std::nullopt,
        std::optional<ServerTimeout> server_timeout = std::nullopt)
      : std::runtime_error(message),
        kind_(kind),
        code_(code),
        unavailable_(std::move(unavailable)),
        server_timeout_(std::move(server_timeout)) {}
  ErrorKind kind() const { return kind_; }
  int code() const { return code_; }
  // The counts of an Unavailable answer; nullopt for every other error.
  const std::optional<Unavailable>& unavailable() const { return unavailable_; }
  // The details of a server's read or write timeout; nullopt for every other error.
  const std::optional<ServerTimeout>& server_timeout() const { return server_timeout_; }
  // A server's write timeout (0x1100) only.
  std::optional<ServerTimeout> write_timeout() const { return code_ == 0x1100 ? server_timeout_ : std::nullopt; }
  // Timeouts, unavailable, overloaded, lost connections and writes cut short may succeed when
  // tried again.
  bool retryable() const {
    switch (kind_) {
      case ErrorKind::connection:
      case ErrorKind::timeout:
      case ErrorKind::unavailable:
      case ErrorKind::overloaded:
      case ErrorKind::client_timeout:
      case ErrorKind::connection_broken:
      case ErrorKind::not_started:
      case ErrorKind::abandoned:
      case ErrorKind::schema_pending: return true;
      default: return false;
    }
  }
  // Whether a write that failed so may still have been applied (see ErrorKind).
  bool may_have_been_applied() const {
    return kind_ != ErrorKind::connection && kind_ != ErrorKind::not_started && kind_ != ErrorKind::invalid_query &&
           kind_ != ErrorKind::unauthorized && kind_ != ErrorKind::unavailable && kind_ != ErrorKind::overloaded &&
           kind_ != ErrorKind::schema_pending;
  }

 private:
  ErrorKind kind_;
  int code_;
  std::optional<Unavailable> unavailable_;
  std::optional<ServerTimeout> server_timeout_;
};

// The kind's name in messages: "connection", "server timeout", "client timeout", ...
std::string_view to_string(ErrorKind kind);

struct SessionConfig {
  std::vector<std::string> contact_points{std::string(defaults::kCassandraHosts)};  // host[:port], 9042 by default
  std::string keyspace;                                                             // empty: none selected
  std::string username;                                                             // empty: no authentication
  std::string password;                                                             // never logged or put in a message
  struct Tls {
    bool enabled = false;   // TLS to every node, verifying its certificate and address
    std::string ca_file;    // PEM CA certificates to trust; empty: the system's
    std::string cert_file;  // PEM client certificate, with key_file (Cassandra's require_client_auth)
    std::string key_file;
  } tls;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{12000};
  // Every request's consistency level, a name of consistency_levels(); LOCAL_QUORUM by default.
  std::string consistency = "LOCAL_QUORUM";
  // Empty: every node is local. Else requests go only to this datacenter's nodes (LOCAL_*
  // levels are then met there). Routing is token-aware either way.
  std::string local_datacenter;
  // Empty: the driver reads the metadata of every keyspace. Else only this one's (token-aware
  // routing needs its replication; the tables of others are not the product's), whether or not
  // it exists yet. `keyspace`, when set, wins.
  std::string metadata_keyspace;
};

// The consistency levels of plain reads and writes, as CQL names them.
const std::vector<std::string_view>& consistency_levels();
// The level named (any case) in CQL's spelling, e.g. "local_one" -> "LOCAL_ONE"; throws
// InputError naming `flag` and the levels for anything else, and for ANY and EACH_QUORUM when
// `for_reads` (Cassandra takes them for writes only).
std::string parse_consistency(std::string_view flag, std::string_view name, bool for_reads);

// Whether running a statement twice has the effect of running it once. Only such a statement
// may be retried by the driver on another node when it cannot know whether a first attempt was
// applied (a timeout, a connection broken after sending). Every statement ratingstream prepares
// is: its INSERT writes whole rows under deterministic ids, with no counters or collections, and
// the rest are SELECTs (docs/delivery.md).
enum class Idempotence { idempotent, not_idempotent };

// Splits "h1,h2:9043" into contact points; throws InputError on an empty list or a bad port.
std::vector<std::string> parse_contact_points(std::string_view hosts);

class PreparedStatement;
class RowPager;

struct RowFailure {
  std::size_t row;  // index into the rows given to execute_many
  Error error;
};

struct ManyOutcome {
  std::size_t succeeded = 0;
  std::vector<RowFailure> failed;  // in row order
};

// What bounds one execute_many call as a whole (each request is bounded by the request timeout).
struct WriteControl {
  // Set (by another thread, e.g. a signal's stop request) to end the call: `cancel_grace` after
  // it is seen set (requests go on meanwhile, so a call Cassandra answers can finish), within
  // about 100 ms.
  const std::atomic<bool>* cancel = nullptr;
  std::chrono::milliseconds cancel_grace{0};
  // 0: none. Else the call returns after this long.
  std::chrono::milliseconds deadline{0};
};

// One node as the driver sees it: "ip:port", its datacenter and rack ("" when unknown), and
// whether the driver holds an open connection to it now.
struct NodeState {
  std::string address;
  std::string datacenter;
  std::string rack;
  bool connected = false;
};

struct Column {
  std::string name;
  std::string type;  // CQL type name: text, int, bigint, timestamp, uuid, double, boolean, ...
};

// The Cassandra driver linked in and the bridge over it, for `ratingstream --version`:
// "scylla 1.9.0 (cql-bridge 0.1.0)".
std::string driver_version();

class Session {
 public:
  // Connects to the cluster. Throws Error (kind connection or unauthorized) naming the contact
  // points when none can be reached. The driver's own log (nodes down and up, reconnects, control
  // connection and schema trouble) goes to spdlog's default logger as "Cassandra driver: ..."
  // lines: warnings and errors, and its debug events too when spdlog is at debug or trace.
  static Session connect(const SessionConfig& config);

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  // Runs one unprepared statement (DDL, a simple INSERT...) and waits for it. Throws Error.
  void execute(std::string_view cql, std::span<const BoundValue> values = {});
  // Waits until every node agrees on the schema after DDL. Throws Error.
  void await_schema_agreement();

  // Prepares within the request timeout (the driver waits for every node).
  PreparedStatement prepare(std::string_view cql, Idempotence idempotence = Idempotence::not_idempotent);
  // How many PREPAREs this session has sent: each is a round trip to every node, so code asking
  // the same questions again (the dashboard) prepares each statement once and keeps it.
  std::uint64_t statements_prepared() const;

  // Executes `statement` once per row; `values` holds the rows one after the other, each of
  // statement.column_count() values. At most `max_in_flight` requests are outstanding at once.
  // `batch_ends` (empty: one request per row) groups consecutive rows into UNLOGGED BATCH
  // requests: rows [batch_ends[i-1], batch_ends[i]) go together; the ends rise strictly to the
  // row count (else Error invalid_query). Meant for rows of one partition, which Cassandra applies
  // as one mutation: far cheaper per row than single writes.
  // Never throws for a failed row: each failure is reported with its row index (every row of a
  // failed batch). `control` cancels the call or bounds its time: it then returns at once, rows
  // not sent yet failing with not_started (nothing written) and rows in flight with abandoned
  // (may have been written). A statement without bind markers is refused (invalid_query): its
  // rows could not be told apart.
  ManyOutcome execute_many(const PreparedStatement& statement, std::span<const BoundValue> values,
                           std::size_t max_in_flight, std::span<const std::size_t> batch_ends = {},
                           const WriteControl& control = {});

  // The nodes the driver knows, from its own cluster state: no request, cheap, safe to call from
  // any thread.
  std::vector<NodeState> nodes() const;
  // How many keyspaces' metadata the driver holds, from its cluster state: no request.
  std::size_t keyspaces_known() const;

  // A paged read: pages of `page_size` rows are fetched as the caller iterates.
  RowPager query(const PreparedStatement& statement, std::span<const BoundValue> values = {}, int page_size = 5000);
  RowPager query(std::string_view cql, std::span<const BoundValue> values = {}, int page_size = 5000);

  struct Impl;

 private:
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class PreparedStatement {
 public:
  PreparedStatement(PreparedStatement&&) noexcept;
  PreparedStatement& operator=(PreparedStatement&&) noexcept;
  ~PreparedStatement();
  std::size_t column_count() const;  // number of bind markers

  struct Impl;

 private:
  friend class Session;
  explicit PreparedStatement(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class RowPager {
 public:
  RowPager(RowPager&&) noexcept;
  RowPager& operator=(RowPager&&) noexcept;
  ~RowPager();

  const std::vector<Column>& columns() const;
  // The next row, fetching the next page when needed; nullopt after the last. Throws Error.
  std::optional<std::vector<Value>> next();

  struct Impl;

 private:
  friend class Session;
  explicit RowPager(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ratingstream::store
