#include "store/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "common/errors.hpp"

namespace ratingstream::store {

const std::vector<ColumnSpec>& rating_table_columns() {
  static const std::vector<ColumnSpec> columns = {
      {"name", "text"},         {"timestamp", "timestamp"}, {"id", "uuid"},
      {"country", "text"},      {"director", "text"},       {"duration", "int"},
      {"movie", "text"},        {"rating", "text"},         {"rating_movie", "int"},
      {"release_year", "int"},  {"show_id", "text"},
  };
  return columns;
}

void check_identifier(const std::string& what, const std::string& name) {
  const bool valid = !name.empty() && name.size() <= 48 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!valid) {
    throw InputError(fmt::format("{} '{}': use 1 to 48 letters, digits or underscores", what, name));
  }
}

std::string quote_identifier(std::string_view name) {
  // CQL's reserved words that a user might plausibly pick as a name; any other lower-case
  // identifier is valid bare.
  static constexpr std::string_view kReserved[] = {
      "add", "allow", "alter", "and", "apply", "asc", "authorize", "batch", "begin", "by", "columnfamily",
      "create", "delete", "desc", "describe", "drop", "entries", "execute", "from", "full", "grant", "if",
      "in", "index", "infinity", "insert", "into", "is", "keyspace", "limit", "materialized", "mbean",
      "mbeans", "modify", "nan", "norecursive", "not", "null", "of", "on", "or", "order", "primary",
      "rename", "replace", "revoke", "schema", "select", "set", "table", "to", "token", "truncate",
      "unlogged", "unset", "update", "use", "using", "view", "where", "with"};
  const bool bare =
      !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
      std::all_of(name.begin(), name.end(),
                  [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }) &&
      std::find(std::begin(kReserved), std::end(kReserved), name) == std::end(kReserved);
  if (bare) return std::string(name);
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string create_keyspace_cql(const std::string& keyspace, int replication_factor) {
  check_identifier("--keyspace", keyspace);
  if (replication_factor < 1) {
    throw InputError(fmt::format("--replication-factor {}: must be at least 1", replication_factor));
  }
  return fmt::format(
      "CREATE KEYSPACE IF NOT EXISTS {}\n"
      "  WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': '{}'}} AND durable_writes = true;",
      quote_identifier(keyspace), replication_factor);
}

std::string create_table_cql(const TableRef& t) {
  check_identifier("--keyspace", t.keyspace);
  check_identifier("--table", t.table);
  std::string cql = fmt::format("CREATE TABLE IF NOT EXISTS {}.{} (\n", quote_identifier(t.keyspace),
                                quote_identifier(t.table));
  for (const auto& c : rating_table_columns()) cql += fmt::format("  {} {},\n", quote_identifier(c.name), c.type);
  // One person's ratings live in one partition, newest first: Q1 and Q2 read a slice of it.
  cql += "  PRIMARY KEY (name, timestamp, id)\n) WITH CLUSTERING ORDER BY (timestamp DESC, id ASC);";
  return cql;
}

bool table_exists(Session& session, const TableRef& t) {
  const std::string_view cql = "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?";
  const BoundValue params[] = {BoundValue::of_text(t.keyspace), BoundValue::of_text(t.table)};
  auto rows = session.query(cql, params);
  return rows.next().has_value();
}

namespace {

// Reads the table's columns back from system_schema and compares them with the SPEC.
void check_table_columns(Session& session, const TableRef& t) {
  const BoundValue params[] = {BoundValue::of_text(t.keyspace), BoundValue::of_text(t.table)};
  auto rows = session.query(
      "SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?", params);
  std::map<std::string, std::string> actual;
  while (auto row = rows.next()) {
    const auto* name = std::get_if<std::string>(&(*row)[0]);
    const auto* type = std::get_if<std::string>(&(*row)[1]);
    if (name && type) actual[*name] = *type;
  }
  for (const auto& c : rating_table_columns()) {
    const auto it = actual.find(c.name);
    if (it == actual.end()) {
      throw RuntimeFailure(fmt::format("table {}.{} exists but has no column {}: drop it or choose another --table",
                                       t.keyspace, t.table, c.name));
    }
    if (it->second != c.type) {
      throw RuntimeFailure(fmt::format("table {}.{} exists but column {} is {}, not {}: drop it or choose another --table",
                                       t.keyspace, t.table, c.name, it->second, c.type));
    }
  }
}

}  // namespace

void apply_schema(Session& session, const TableRef& t, int replication_factor) {
  session.execute(create_keyspace_cql(t.keyspace, replication_factor));
  session.execute(create_table_cql(t));
  session.await_schema_agreement();
  check_table_columns(session, t);
}

}  // namespace ratingstream::store
