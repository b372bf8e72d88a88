// The C++ face of the Cassandra driver, over the C ABI of cql-bridge (include/cql_bridge.h):
// RAII over the bridge's handles, bridge errors turned into store::Error.

#include "store/session.hpp"

#include <cql_bridge.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "common/errors.hpp"
#include "common/setting.hpp"
#include "common/text.hpp"

namespace ratingstream::store {
namespace {

static_assert(sizeof(cqlb_value) == 56, "cqlb_value layout must match cql-bridge's CqlbValue");
// execute_many's cancel flag is read by the bridge as one atomic byte.
static_assert(sizeof(std::atomic<bool>) == 1 && std::atomic<bool>::is_always_lock_free,
              "the bridge reads a std::atomic<bool> as an atomic byte");

struct ErrorFree {
  void operator()(cqlb_error* e) const { cqlb_error_free(e); }
};
struct SessionFree {
  void operator()(cqlb_session* s) const { cqlb_session_free(s); }
};
struct PreparedFree {
  void operator()(cqlb_prepared* p) const { cqlb_prepared_free(p); }
};
struct PagerFree {
  void operator()(cqlb_pager* p) const { cqlb_pager_free(p); }
};
using ErrorPtr = std::unique_ptr<cqlb_error, ErrorFree>;

ErrorKind kind_of(std::int32_t kind) {
  switch (kind) {
    case CQLB_ERROR_CONNECTION: return ErrorKind::connection;
    case CQLB_ERROR_TIMEOUT: return ErrorKind::timeout;
    case CQLB_ERROR_UNAVAILABLE: return ErrorKind::unavailable;
    case CQLB_ERROR_OVERLOADED: return ErrorKind::overloaded;
    case CQLB_ERROR_INVALID_QUERY: return ErrorKind::invalid_query;
    case CQLB_ERROR_UNAUTHORIZED: return ErrorKind::unauthorized;
    case CQLB_ERROR_SERVER: return ErrorKind::server;
    case CQLB_ERROR_CLIENT_TIMEOUT: return ErrorKind::client_timeout;
    case CQLB_ERROR_CONNECTION_BROKEN: return ErrorKind::connection_broken;
    case CQLB_ERROR_NOT_STARTED: return ErrorKind::not_started;
    case CQLB_ERROR_ABANDONED: return ErrorKind::abandoned;
    default: return ErrorKind::internal;
  }
}

Error to_error(const cqlb_error* e, std::string_view context = {}) {
  std::string message;
  if (!context.empty()) {
    message.append(context).append(": ");
  }
  message.append(cqlb_error_message(e));
  std::optional<Unavailable> unavailable;
  const char* consistency = nullptr;
  std::int32_t required = 0;
  std::int32_t alive = 0;
  if (cqlb_error_unavailable(e, &consistency, &required, &alive) == 1) {
    unavailable = Unavailable{consistency != nullptr ? consistency : "", required, alive};
  }
  std::optional<ServerTimeout> server_timeout;
  const char* write_type = nullptr;
  std::int32_t received = 0;
  if (cqlb_error_timeout(e, &consistency, &write_type, &received, &required) == 1) {
    server_timeout = ServerTimeout{consistency != nullptr ? consistency : "", write_type != nullptr ? write_type : "",
                                   received, required};
  }
  return Error(kind_of(cqlb_error_kind(e)), cqlb_error_code(e), message, std::move(unavailable),
               std::move(server_timeout));
}

// Takes ownership of a bridge result and throws store::Error when it is an error.
void check(cqlb_error* raw, std::string_view context = {}) {
  if (raw != nullptr) {
    ErrorPtr owned(raw);
    throw to_error(owned.get(), context);
  }
}

[[noreturn]] void moved_from(const char* what) {
  throw Error(ErrorKind::internal, 0, std::string("use of a moved-from store::") + what);
}

// BoundValue is laid out as cqlb_value, field by field, with the same type tags, so an array of
// them is handed to the bridge as it is (the bridge only reads it).
static_assert(std::is_standard_layout_v<BoundValue> && sizeof(BoundValue) == sizeof(cqlb_value));
static_assert(offsetof(BoundValue, type) == offsetof(cqlb_value, type) &&
              sizeof(BoundValue::Type) == sizeof(cqlb_value::type));
static_assert(offsetof(BoundValue, text_data) == offsetof(cqlb_value, text) &&
              offsetof(BoundValue, text_size) == offsetof(cqlb_value, text_len));
static_assert(offsetof(BoundValue, integer) == offsetof(cqlb_value, integer) &&
              offsetof(BoundValue, float64) == offsetof(cqlb_value, float64) &&
              offsetof(BoundValue, uuid) == offsetof(cqlb_value, uuid) && sizeof(Uuid) == sizeof(cqlb_value::uuid));
static_assert(static_cast<int>(BoundValue::Type::null) == CQLB_NULL &&
              static_cast<int>(BoundValue::Type::text) == CQLB_TEXT &&
              static_cast<int>(BoundValue::Type::int32) == CQLB_INT &&
              static_cast<int>(BoundValue::Type::int64) == CQLB_BIGINT &&
              static_cast<int>(BoundValue::Type::timestamp) == CQLB_TIMESTAMP &&
              static_cast<int>(BoundValue::Type::uuid) == CQLB_UUID &&
              static_cast<int>(BoundValue::Type::float64) == CQLB_DOUBLE &&
              static_cast<int>(BoundValue::Type::boolean) == CQLB_BOOLEAN &&
              static_cast<int>(BoundValue::Type::unset) == CQLB_UNSET);

const cqlb_value* to_c(std::span<const BoundValue> values) {
  return reinterpret_cast<const cqlb_value*>(values.data());
}

Value from_c(const cqlb_value& c) {
  switch (c.type) {
    case CQLB_NULL: return std::monostate{};
    case CQLB_TEXT: return std::string(c.text_len == 0 ? "" : c.text, c.text_len);
    case CQLB_INT: return static_cast<std::int32_t>(c.integer);
    case CQLB_BIGINT: return c.integer;
    case CQLB_TIMESTAMP: return Timestamp{c.integer};
    case CQLB_UUID: {
      Uuid u;
      std::memcpy(u.data(), c.uuid, u.size());
      return u;
    }
    case CQLB_DOUBLE: return c.float64;
    case CQLB_BOOLEAN: return c.integer != 0;
    default:
      throw Error(ErrorKind::internal, 0, "cql-bridge returned a value of unknown type " + std::to_string(c.type));
  }
}

std::uint32_t timeout_ms(std::chrono::milliseconds t) {
  if (t.count() <= 0) return 0;  // the bridge's default
  return static_cast<std::uint32_t>(std::min<std::int64_t>(t.count(), std::numeric_limits<std::uint32_t>::max()));
}

constexpr const char* kContactPointHelp = "expected a comma-separated list of host[:port], e.g. 127.0.0.1:9042";

int parse_port(std::string_view port, std::string_view item) {
  int value = 0;
  const auto* end = port.data() + port.size();
  const auto [ptr, ec] = std::from_chars(port.data(), end, value);
  if (port.empty() || ec != std::errc{} || ptr != end || value < 1 || value > 65535) {
    throw InputError("bad port '" + std::string(port) + "' in Cassandra contact point '" + std::string(item) +
                     "': " + kContactPointHelp + " (port 1-65535)");
  }
  return value;
}

// "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address -> "host:port".
std::string normalise_contact_point(std::string_view item) {
  std::string host;
  int port = 9042;
  if (item.front() == '[') {
    const auto close = item.find(']');
    if (close == std::string_view::npos || close == 1) {
      throw InputError("bad Cassandra contact point '" + std::string(item) + "': " + kContactPointHelp);
    }
    host = std::string(item.substr(0, close + 1));
    const auto rest = item.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        throw InputError("bad Cassandra contact point '" + std::string(item) + "': " + kContactPointHelp);
      }
      port = parse_port(rest.substr(1), item);
    }
  } else if (std::count(item.begin(), item.end(), ':') > 1) {
    host = "[" + std::string(item) + "]";  // a bare IPv6 address takes the default port
  } else if (const auto colon = item.find(':'); colon != std::string_view::npos) {
    host = std::string(item.substr(0, colon));
    port = parse_port(item.substr(colon + 1), item);
  } else {
    host = std::string(item);
  }
  if (host.empty()) {
    throw InputError("missing host in Cassandra contact point '" + std::string(item) + "': " + kContactPointHelp);
  }
  return host + ":" + std::to_string(port);
}

// The driver's log to spdlog's default logger (see Session::connect).
void forward_driver_log(std::int32_t level, const char* /*target*/, const char* message, void* /*user*/) noexcept {
  try {
    auto spd = level <= CQLB_LOG_ERROR   ? spdlog::level::err
               : level == CQLB_LOG_WARN  ? spdlog::level::warn
               : level == CQLB_LOG_INFO  ? spdlog::level::info
               : level == CQLB_LOG_DEBUG ? spdlog::level::debug
                                         : spdlog::level::trace;
    const std::string_view text = message != nullptr ? message : "";
    // The pending marks of hourly rollups are deleted as soon as their hour is recomputed: reading
    // past their tombstones is their normal life (docs/data-over-time.md, "Hourly rollups"), not
    // something to warn about on every question.
    if (spd == spdlog::level::warn && text.find("tombstone") != std::string_view::npos &&
        text.find("_hourly_pending") != std::string_view::npos)
      spd = spdlog::level::debug;
    spdlog::log(spd, "Cassandra driver: {}", text);
  } catch (...) {  // a log line that cannot be written is not worth a failure in the driver
  }
}

// Warnings and errors; debug events too when spdlog is at debug or trace. Set again on every
// connect, so a level changed since (a test, another subcommand) is followed.
void install_driver_log() {
  const bool debug = spdlog::default_logger_raw()->level() <= spdlog::level::debug;
  cqlb_set_log_callback(debug ? CQLB_LOG_DEBUG : CQLB_LOG_WARN, &forward_driver_log, nullptr);
}

}  // namespace

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::connection: return "connection";
    case ErrorKind::timeout: return "server timeout";
    case ErrorKind::unavailable: return "unavailable";
    case ErrorKind::overloaded: return "overloaded";
    case ErrorKind::invalid_query: return "invalid query";
    case ErrorKind::unauthorized: return "unauthorized";
    case ErrorKind::server: return "server error";
    case ErrorKind::internal: return "driver error";
    case ErrorKind::client_timeout: return "client timeout";
    case ErrorKind::connection_broken: return "connection broken";
    case ErrorKind::not_started: return "not sent";
    case ErrorKind::abandoned: return "abandoned in flight";
    case ErrorKind::schema_pending: return "schema change pending";
  }
  return "error";
}

const std::vector<std::string_view>& consistency_levels() {
  static const std::vector<std::string_view> levels{"ANY", "ONE",          "TWO",         "THREE",    "QUORUM",
                                                    "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE"};
  return levels;
}

std::string parse_consistency(std::string_view flag, std::string_view name, bool for_reads) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c); });
  const auto& levels = consistency_levels();
  std::string listed;
  for (const auto level : levels) {
    if (for_reads && (level == "ANY" || level == "EACH_QUORUM")) continue;
    listed += (listed.empty() ? "" : ", ") + std::string(level);
  }
  const bool known = std::find(levels.begin(), levels.end(), upper) != levels.end();
  if (!known || (for_reads && (upper == "ANY" || upper == "EACH_QUORUM"))) {
    throw InputError(fmt::format("{} {}: {}; use one of {}", flag, shown_value(name),
                                 known ? "Cassandra takes this level for writes only" : "not a consistency level",
                                 listed));
  }
  return upper;
}

std::vector<std::string> parse_contact_points(std::string_view hosts) {
  std::vector<std::string> points;
  if (trim(hosts).empty()) {
    throw InputError(std::string("no Cassandra contact points given: ") + kContactPointHelp);
  }
  std::size_t start = 0;
  while (start <= hosts.size()) {
    auto comma = hosts.find(',', start);
    if (comma == std::string_view::npos) comma = hosts.size();
    const auto item = trim(hosts.substr(start, comma - start));
    if (item.empty()) {
      throw InputError("empty entry in Cassandra contact points '" + std::string(hosts) + "': " + kContactPointHelp);
    }
    points.push_back(normalise_contact_point(item));
    start = comma + 1;
  }
  return points;
}

// ---- Session ------------------------------------------------------------------------------

struct Session::Impl {
  std::unique_ptr<cqlb_session, SessionFree> handle;
  std::atomic<std::uint64_t> statements_prepared{0};
};

struct PreparedStatement::Impl {
  std::unique_ptr<cqlb_prepared, PreparedFree> handle;
  std::size_t bind_count = 0;
};

struct RowPager::Impl {
  std::unique_ptr<cqlb_pager, PagerFree> handle;
  std::vector<Column> columns;
  std::size_t width = 0;
};

namespace {

RowPager::Impl make_pager_impl(cqlb_pager* raw) {
  RowPager::Impl impl;
  impl.handle.reset(raw);
  impl.width = cqlb_pager_column_count(raw);
  impl.columns.reserve(impl.width);
  for (std::size_t i = 0; i < impl.width; ++i) {
    impl.columns.push_back(Column{cqlb_pager_column_name(raw, i), cqlb_pager_column_type(raw, i)});
  }
  return impl;
}

}  // namespace

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Session Session::connect(const SessionConfig& config) {
  const std::string where = "cannot connect to Cassandra at " +
                            (config.contact_points.empty() ? std::string("(no contact points)")
                                                           : fmt::format("{}", fmt::join(config.contact_points, ",")));
  std::vector<const char*> points;
  points.reserve(config.contact_points.size());
  for (const auto& p : config.contact_points) points.push_back(p.c_str());

  cqlb_connect_options options{};
  options.contact_points = points.data();
  options.contact_point_count = points.size();
  options.keyspace = config.keyspace.empty() ? nullptr : config.keyspace.c_str();
  options.username = config.username.empty() ? nullptr : config.username.c_str();
  options.password = config.password.c_str();
  options.connect_timeout_ms = timeout_ms(config.connect_timeout);
  options.request_timeout_ms = timeout_ms(config.request_timeout);

  options.tls = config.tls.enabled ? 1 : 0;
  options.tls_ca_file = config.tls.ca_file.c_str();
  options.tls_cert_file = config.tls.cert_file.c_str();
  options.tls_key_file = config.tls.key_file.c_str();
  options.consistency = config.consistency.c_str();
  options.local_datacenter = config.local_datacenter.c_str();
  options.metadata_keyspace = config.metadata_keyspace.c_str();

  install_driver_log();
  cqlb_session* raw = nullptr;
  if (cqlb_error* failure = cqlb_session_connect(&options, &raw)) {
    ErrorPtr owned(failure);
    // Before any request: a client-side setting the bridge refused (a TLS file it cannot use, a
    // bad contact point) is bad input, not a server failure.
    if (cqlb_error_kind(failure) == CQLB_ERROR_INVALID_QUERY && cqlb_error_code(failure) == 0) {
      throw InputError(where + ": " + cqlb_error_message(failure));
    }
    // Wrong credentials do not heal by retrying either; the message never holds the password.
    if (cqlb_error_kind(failure) == CQLB_ERROR_UNAUTHORIZED) {
      throw InputError(fmt::format("{}: {} (check the username and password: {}, {})", where,
                                   cqlb_error_message(failure), Setting::cassandra_user, Setting::cassandra_password));
    }
    // Likewise a certificate the client does not trust.
    const std::string_view message = cqlb_error_message(failure);
    if (config.tls.enabled && message.find("certificate verify failed") != std::string_view::npos) {
      // The driver checks the certificate against the node's IP address, never a host name.
      const bool wrong_name = message.find("IP address mismatch") != std::string_view::npos;
      throw InputError(where + ": " + std::string(message) +
                       (wrong_name ? " (the node's certificate must name its IP address in a subjectAltName IP entry, "
                                     "e.g. IP:10.0.0.5: the driver connects by the address the cluster reports and "
                                     "does not compare host names)"
                                   : fmt::format(" (the node's certificate must be signed by a CA of {} and name "
                                                 "the node's IP address in a subjectAltName IP entry)",
                                                 Setting::cassandra_tls_ca)));
    }
    throw to_error(failure, where);
  }
  auto impl = std::make_unique<Impl>();
  impl->handle.reset(raw);
  return Session(std::move(impl));
}

void Session::execute(std::string_view cql, std::span<const BoundValue> values) {
  if (!impl_) moved_from("Session");
  const cqlb_value* bound = to_c(values);
  check(cqlb_session_execute(impl_->handle.get(), cql.data(), cql.size(), bound, values.size()));
}

void Session::await_schema_agreement() {
  if (!impl_) moved_from("Session");
  check(cqlb_session_await_schema_agreement(impl_->handle.get()));
}

PreparedStatement Session::prepare(std::string_view cql, Idempotence idempotence) {
  if (!impl_) moved_from("Session");
  cqlb_prepared* raw = nullptr;
  impl_->statements_prepared.fetch_add(1, std::memory_order_relaxed);
  check(cqlb_session_prepare(impl_->handle.get(), cql.data(), cql.size(),
                             idempotence == Idempotence::idempotent ? 1 : 0, &raw));
  auto impl = std::make_unique<PreparedStatement::Impl>();
  impl->handle.reset(raw);
  impl->bind_count = cqlb_prepared_bind_count(raw);
  return PreparedStatement(std::move(impl));
}

std::string driver_version() {
  return std::string("scylla ") + cqlb_driver_version() + " (cql-bridge " + cqlb_version() + ")";
}

std::size_t Session::keyspaces_known() const {
  if (!impl_) moved_from("Session");
  std::size_t count = 0;
  check(cqlb_session_keyspace_count(impl_->handle.get(), &count));
  return count;
}

std::uint64_t Session::statements_prepared() const {
  if (!impl_) moved_from("Session");
  return impl_->statements_prepared.load(std::memory_order_relaxed);
}

ManyOutcome Session::execute_many(const PreparedStatement& statement, std::span<const BoundValue> values,
                                  std::size_t max_in_flight, std::span<const std::size_t> batch_ends,
                                  const WriteControl& control) {
  if (!impl_) moved_from("Session");
  if (!statement.impl_) moved_from("PreparedStatement");
  const std::size_t width = statement.impl_->bind_count;
  if (width == 0) {
    // Its rows would be empty, so how many there are cannot be told from `values`.
    throw Error(ErrorKind::invalid_query, 0,
                "execute_many: the statement has no bind markers, so it has no rows to write; run it with execute()");
  }
  if (values.size() % width != 0) {
    throw Error(ErrorKind::invalid_query, 0,
                "execute_many: " + std::to_string(values.size()) + " values are not whole rows of " +
                    std::to_string(width) + " bind markers");
  }
  const std::size_t rows = values.size() / width;
  ManyOutcome outcome;
  if (rows == 0) return outcome;

  const cqlb_value* bound = to_c(values);
  std::vector<cqlb_error*> row_errors(rows, nullptr);
  // Owns every per-row error until it has been converted, whatever throws.
  struct FreeRemaining {
    std::vector<cqlb_error*>& errors;
    ~FreeRemaining() {
      for (auto* e : errors) cqlb_error_free(e);
    }
  } free_remaining{row_errors};

  // The bridge reads the flag as one atomic byte (static_assert above).
  const auto* cancel = reinterpret_cast<const std::uint8_t*>(control.cancel);
  check(cqlb_session_execute_many(impl_->handle.get(), statement.impl_->handle.get(), bound, values.size(), rows,
                                  batch_ends.data(), batch_ends.size(), std::max<std::size_t>(max_in_flight, 1), cancel,
                                  timeout_ms(control.cancel_grace), timeout_ms(control.deadline), row_errors.data()));
  for (std::size_t row = 0; row < rows; ++row) {
    if (row_errors[row] == nullptr) {
      ++outcome.succeeded;
      continue;
    }
    ErrorPtr owned(std::exchange(row_errors[row], nullptr));
    outcome.failed.push_back(RowFailure{row, to_error(owned.get())});
  }
  return outcome;
}

std::vector<NodeState> Session::nodes() const {
  if (!impl_) moved_from("Session");
  struct NodesFree {
    void operator()(cqlb_nodes* n) const { cqlb_nodes_free(n); }
  };
  cqlb_nodes* raw = nullptr;
  const cqlb_node_info* infos = nullptr;
  std::size_t count = 0;
  check(cqlb_session_nodes(impl_->handle.get(), &raw, &infos, &count));
  const std::unique_ptr<cqlb_nodes, NodesFree> owned(raw);
  std::vector<NodeState> nodes;
  nodes.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    nodes.push_back(NodeState{infos[i].address, infos[i].datacenter, infos[i].rack, infos[i].connected != 0});
  }
  return nodes;
}

RowPager Session::query(const PreparedStatement& statement, std::span<const BoundValue> values, int page_size) {
  if (!impl_) moved_from("Session");
  if (!statement.impl_) moved_from("PreparedStatement");
  const cqlb_value* bound = to_c(values);
  cqlb_pager* raw = nullptr;
  check(cqlb_session_query_prepared(impl_->handle.get(), statement.impl_->handle.get(), bound, values.size(), page_size,
                                    &raw));
  return RowPager(std::make_unique<RowPager::Impl>(make_pager_impl(raw)));
}

RowPager Session::query(std::string_view cql, std::span<const BoundValue> values, int page_size) {
  if (!impl_) moved_from("Session");
  const cqlb_value* bound = to_c(values);
  cqlb_pager* raw = nullptr;
  check(cqlb_session_query(impl_->handle.get(), cql.data(), cql.size(), bound, values.size(), page_size, &raw));
  return RowPager(std::make_unique<RowPager::Impl>(make_pager_impl(raw)));
}

// ---- PreparedStatement --------------------------------------------------------------------

PreparedStatement::PreparedStatement(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PreparedStatement::PreparedStatement(PreparedStatement&&) noexcept = default;
PreparedStatement& PreparedStatement::operator=(PreparedStatement&&) noexcept = default;
PreparedStatement::~PreparedStatement() = default;

std::size_t PreparedStatement::column_count() const {
  if (!impl_) moved_from("PreparedStatement");
  return impl_->bind_count;
}

// ---- RowPager -----------------------------------------------------------------------------

RowPager::RowPager(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RowPager::RowPager(RowPager&&) noexcept = default;
RowPager& RowPager::operator=(RowPager&&) noexcept = default;
RowPager::~RowPager() = default;

const std::vector<Column>& RowPager::columns() const {
  if (!impl_) moved_from("RowPager");
  return impl_->columns;
}

std::optional<std::vector<Value>> RowPager::next() {
  if (!impl_) moved_from("RowPager");
  const cqlb_value* row = nullptr;
  check(cqlb_pager_next(impl_->handle.get(), &row));
  if (row == nullptr) return std::nullopt;
  std::vector<Value> values;
  values.reserve(impl_->width);
  for (std::size_t i = 0; i < impl_->width; ++i) values.push_back(from_c(row[i]));
  return values;
}

}  // namespace ratingstream::store
