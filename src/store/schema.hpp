#pragma once
// The keyspace and the ratings table, created idempotently, and the check that a table of that
// name is one: `schema` and `process` both refuse any other, with the same words (one place, here).

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/defaults.hpp"
#include "common/setting.hpp"
#include "store/session.hpp"
#include "store/table_layout.hpp"

namespace ratingstream::store {

struct TableRef {
  std::string keyspace{defaults::kKeyspace};
  std::string table{defaults::kTable};
};

// The bucketed layout's partition key column beside `name` (docs/data-over-time.md).
inline constexpr std::string_view kBucketColumn = "bucket";

// A column of the ratings table and its CQL type.
struct ColumnSpec {
  std::string_view name;
  std::string_view type;
};
// The ratings table's columns in its declared order (docs/contract.md, "Columns"): the one list
// that the schema, the processor's INSERT and its bound values, and the query's SELECT follow.
inline constexpr std::array<ColumnSpec, 11> kRatingTableColumns{{
    {"name", "text"},
    {"timestamp", "timestamp"},
    {"id", "uuid"},
    {"country", "text"},
    {"director", "text"},
    {"duration", "int"},
    {"movie", "text"},
    {"rating", "text"},
    {"rating_movie", "int"},
    {"release_year", "int"},
    {"show_id", "text"},
}};

// Throws InputError unless `name` is a valid unquoted CQL identifier (letters, digits, '_',
// 1..48 characters, Cassandra's limit for keyspace and table names); the message names `setting`.
void check_identifier(Setting setting, const std::string& name);

// The name as it must be written in CQL to mean exactly these characters: bare when it is
// already lower case ([a-z_][a-z0-9_]*, not a reserved word), else double-quoted. Keyspace and
// table names are therefore case-sensitive, as in the drivers and the Spark connector.
std::string quote_identifier(std::string_view name);

// How qualified_name writes the two names.
enum class NameQuoting {
  for_cql,   // each as quote_identifier writes it: for a statement
  as_given,  // as the user gave them: for a message
};

// "keyspace.table", here once because statements and messages both name tables.
std::string qualified_name(const TableRef& table, NameQuoting quoting);

// Throws InputError unless keyspace and table are valid names and the table is not the name
// ratingstream keeps for its table settings (table_settings.hpp).
void check_table_ref(const TableRef& table);

// How a keyspace ratingstream creates is replicated: SimpleStrategy with one factor for the
// whole cluster, or NetworkTopologyStrategy with a factor per datacenter (what a production
// cluster uses: the LOCAL_* consistency levels count replicas of one datacenter).
struct KeyspaceReplication {
  int replication_factor = 1;                               // SimpleStrategy, when per_datacenter is empty
  std::vector<std::pair<std::string, int>> per_datacenter;  // NetworkTopologyStrategy
  // "replication factor 3" or "dc1:3,dc2:3".
  std::string describe() const;
};

// Parses "dc1:3[,dc2:3]" (datacenter names as Cassandra spells them: letters, digits, '_', '-',
// '.'; factors 1..100, each datacenter once); throws InputError naming Setting::replication.
KeyspaceReplication parse_datacenter_replication(std::string_view text);

std::string create_keyspace_cql(const std::string& keyspace, const KeyspaceReplication& replication);
// The ratings table in `layout`: the original PRIMARY KEY (name, timestamp, id), or, bucketed,
// PRIMARY KEY ((name, bucket), timestamp, id) with its bucket size in the table's comment; both
// WITH CLUSTERING ORDER BY (timestamp DESC, id ASC).
std::string create_table_cql(const TableRef& table, const TableLayout& layout = {},
                             std::optional<std::chrono::seconds> retention = std::nullopt);

// The table options of a retention (docs/data-over-time.md, "Retention"): its default time to
// live, and TimeWindowCompactionStrategy with windows of the table's bucket (the original layout:
// a thirtieth of the retention in whole days, at least one), so that whole SSTables expire
// together. "default_time_to_live = 34560000 AND compaction = {...}".
std::string retention_options_cql(const TableLayout& layout, std::chrono::seconds retention);
// ALTER TABLE ... WITH retention_options_cql: for a table made without retention, or with another.
std::string alter_retention_cql(const TableRef& table, const TableLayout& layout, std::chrono::seconds retention);
// The table's retention: its default_time_to_live; nullopt when it has none (0) or does not exist.
std::optional<std::chrono::seconds> read_retention(Session& session, const TableRef& table);

// A column a table must have, with its role in the primary key.
struct ExpectedColumn {
  std::string_view name;
  std::string_view type;
  std::string_view kind;   // system_schema.columns.kind: partition_key, clustering or regular
  int position;            // within the partition key or the clustering columns; -1 for regular
  std::string_view order;  // clustering_order: asc, desc, or none
};

// Reads the table's columns back from system_schema and throws InputError naming the table, the
// first difference from `expected` and `fix` (what to do): a missing column, another type,
// another role in the primary key, or a key column `expected` lacks. Other regular columns are
// allowed. `shape` says what the table should be, for the message.
void check_columns(Session& session, const TableRef& table, std::span<const ExpectedColumn> expected,
                   std::string_view shape, std::string_view fix);

// check_columns for the ratings table in `layout`: the columns of kRatingTableColumns (and the
// bucket) and the primary key create_table_cql gives it.
void check_table_columns(Session& session, const TableRef& table, const TableLayout& layout = {});

// The layout of a ratings table as system_schema says it, without checking its other columns:
// bucketed when `bucket` is part of its partition key, else original (also for a table that does
// not exist). Throws InputError as read_table_layout does for a comment without a bucket size.
TableLayout detect_table_layout(Session& session, const TableRef& table);

// The layout of an existing ratings table, read from system_schema (a `bucket` column in the
// partition key, and the bucket size in the table's comment), then checked with
// check_table_columns. Throws InputError naming the table for a bucketed table whose comment
// names no bucket size, or a table that is not a ratings table.
TableLayout read_table_layout(Session& session, const TableRef& table);

// Waits until the nodes agree on the schema, creates the keyspace, the ratings table (in `layout`)
// and the table-settings table when missing, waits for schema agreement again, then checks both
// tables (InputError for a table of the same name created by something else). Returns the
// layout the table has: `layout` unless it existed already. Records no settings row
// (table_settings.hpp does).
TableLayout apply_schema(Session& session, const TableRef& table, const KeyspaceReplication& replication,
                         const TableLayout& layout = {}, std::optional<std::chrono::seconds> retention = std::nullopt);

// InputError unless `actual` (the table's) is `wanted` (what the user asked for), naming the
// table, both layouts and the fix.
void check_layout_is(const TableRef& table, const TableLayout& actual, const TableLayout& wanted);

// A table's CQL comment (system_schema); nullopt when the table does not exist.
std::optional<std::string> read_table_comment(Session& session, const TableRef& table);

// A table kept beside a ratings table and built from its rows (the hourly rollups, the people
// index: docs/data-over-time.md) says in its comment whether it is complete.
enum class DerivedTableState {
  absent,    // no such table: nothing keeps it, readers read the ratings table
  building,  // being built from the rows already there (`schema`): kept, not used yet
  complete,  // kept and used
  foreign,   // a table of that name that ratingstream did not make: neither kept nor used
};
// Whether writers keep a table in `state` (building or complete).
inline bool is_kept(DerivedTableState state) {
  return state == DerivedTableState::building || state == DerivedTableState::complete;
}
// The state of `derived` from its comment: `complete_comment`, `building_comment`, or another.
DerivedTableState read_derived_table_state(Session& session, const TableRef& derived, std::string_view complete_comment,
                                           std::string_view building_comment);

// True when the keyspace exists (read from system_schema).
bool keyspace_exists(Session& session, const std::string& keyspace);

// True when the table exists (read from system_schema) and statements on it are accepted.
// Throws Error of kind schema_pending for a table that is listed but not loaded yet (created a
// moment ago by another process): retry.
bool table_exists(Session& session, const TableRef& table);

}  // namespace ratingstream::store
