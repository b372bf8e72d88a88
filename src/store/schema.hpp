#pragma once
// The keyspace and table of SPEC.md ("Cassandra table"), created idempotently.

#include <string>
#include <string_view>
#include <vector>

#include "store/session.hpp"

namespace ratingstream::store {

struct TableRef {
  std::string keyspace = "netflix";
  std::string table = "movie_ratings";
};

// A column of the ratings table and its CQL type, in the table's declared order.
struct ColumnSpec {
  const char* name;
  const char* type;
};
const std::vector<ColumnSpec>& rating_table_columns();

// Throws InputError unless `name` is a valid unquoted CQL identifier (letters, digits, '_',
// 1..48 characters, Cassandra's limit for keyspace and table names).
void check_identifier(const std::string& what, const std::string& name);

// The name as it must be written in CQL to mean exactly these characters: bare when it is
// already lower case ([a-z_][a-z0-9_]*, not a reserved word), else double-quoted. Keyspace and
// table names are therefore case-sensitive, as in the drivers and the Spark connector.
std::string quote_identifier(std::string_view name);

std::string create_keyspace_cql(const std::string& keyspace, int replication_factor);
std::string create_table_cql(const TableRef& table);

// Creates the keyspace and table when missing, waits for schema agreement, then checks that the
// table has the SPEC's columns and types (throws RuntimeFailure naming the first difference, e.g.
// a table of the same name created by something else).
void apply_schema(Session& session, const TableRef& table, int replication_factor);

// True when the table exists (read from system_schema).
bool table_exists(Session& session, const TableRef& table);

}  // namespace ratingstream::store
