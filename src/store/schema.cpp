#include "store/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "common/errors.hpp"
#include "common/text.hpp"
#include "store/row_expiry.hpp"
#include "store/table_settings.hpp"

namespace ratingstream::store {

void check_identifier(Setting setting, const std::string& name) {
  const bool valid = !name.empty() && name.size() <= 48 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!valid) {
    throw InputError(fmt::format("{} '{}': use 1 to 48 letters, digits or underscores", setting, name));
  }
}

std::string quote_identifier(std::string_view name) {
  // CQL's reserved words that a user might plausibly pick as a name; any other lower-case
  // identifier is valid bare.
  static constexpr std::string_view kReserved[] = {
      "add",    "allow",        "alter",  "and",          "apply", "asc",      "authorize", "batch",    "begin",
      "by",     "columnfamily", "create", "delete",       "desc",  "describe", "drop",      "entries",  "execute",
      "from",   "full",         "grant",  "if",           "in",    "index",    "infinity",  "insert",   "into",
      "is",     "keyspace",     "limit",  "materialized", "mbean", "mbeans",   "modify",    "nan",      "norecursive",
      "not",    "null",         "of",     "on",           "or",    "order",    "primary",   "rename",   "replace",
      "revoke", "schema",       "select", "set",          "table", "to",       "token",     "truncate", "unlogged",
      "unset",  "update",       "use",    "using",        "view",  "where",    "with"};
  const bool bare = !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
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

std::string qualified_name(const TableRef& t, NameQuoting quoting) {
  if (quoting == NameQuoting::as_given) return t.keyspace + "." + t.table;
  return quote_identifier(t.keyspace) + "." + quote_identifier(t.table);
}

void check_table_ref(const TableRef& t) {
  check_identifier(Setting::keyspace, t.keyspace);
  check_identifier(Setting::table, t.table);
  if (t.table == kSettingsTable) {
    throw InputError(
        fmt::format("{} {}: the name of the table where ratingstream keeps the settings of each "
                    "ratings table; choose another name",
                    Setting::table, t.table));
  }
}

std::string KeyspaceReplication::describe() const {
  if (per_datacenter.empty()) return fmt::format("replication factor {}", replication_factor);
  std::string out;
  for (const auto& [dc, factor] : per_datacenter) out += fmt::format("{}{}:{}", out.empty() ? "" : ",", dc, factor);
  return out;
}

KeyspaceReplication parse_datacenter_replication(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return InputError(fmt::format("{} {}: {}; write datacenter:replicas[,datacenter:replicas], e.g. dc1:3,dc2:3",
                                  Setting::replication, shown_value(text), why));
  };
  KeyspaceReplication replication;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = text.substr(start, comma - start);
    const std::size_t colon = item.rfind(':');
    if (colon == std::string_view::npos || colon == 0) throw bad("each entry is datacenter:replicas");
    const std::string_view dc = item.substr(0, colon);
    const std::string_view digits = item.substr(colon + 1);
    for (const char c : dc) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '-' || c == '.';
      if (!ok) throw bad("a datacenter name has letters, digits, '_', '-' and '.' only");
    }
    int factor = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), factor);
    if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size() || factor < 1 || factor > 100) {
      throw bad("the replicas of a datacenter are a whole number from 1 to 100");
    }
    for (const auto& [seen, unused] : replication.per_datacenter) {
      if (seen == dc) throw bad(fmt::format("datacenter {} is given twice", dc));
    }
    replication.per_datacenter.emplace_back(std::string(dc), factor);
    start = comma + 1;
  }
  return replication;
}

std::string create_keyspace_cql(const std::string& keyspace, const KeyspaceReplication& replication) {
  check_identifier(Setting::keyspace, keyspace);
  if (replication.per_datacenter.empty()) {
    if (replication.replication_factor < 1) {
      throw InputError(
          fmt::format("{} {}: must be at least 1", Setting::replication_factor, replication.replication_factor));
    }
    return fmt::format(
        "CREATE KEYSPACE IF NOT EXISTS {}\n"
        "  WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': '{}'}} AND durable_writes = true;",
        quote_identifier(keyspace), replication.replication_factor);
  }
  std::string factors;
  for (const auto& [dc, factor] : replication.per_datacenter) factors += fmt::format(", '{}': '{}'", dc, factor);
  return fmt::format(
      "CREATE KEYSPACE IF NOT EXISTS {}\n"
      "  WITH replication = {{'class': 'NetworkTopologyStrategy'{}}} AND durable_writes = true;",
      quote_identifier(keyspace), factors);
}

std::string retention_options_cql(const TableLayout& layout, std::chrono::seconds retention) {
  if (retention.count() < 1 || retention > kMaxTimeToLive) {
    throw InputError(fmt::format("{} {}s: from 1 s to Cassandra's longest time to live, 20 years (7300d)",
                                 Setting::retention, retention.count()));
  }
  std::string_view unit = "DAYS";
  std::int64_t size = 1;
  if (!layout.bucketed()) {
    size = std::max<std::int64_t>(1, retention.count() / 86'400 / 30);
  } else if (*layout.bucket == BucketSize::hour) {
    unit = "HOURS";
  } else if (*layout.bucket == BucketSize::week) {
    size = 7;
  } else if (*layout.bucket == BucketSize::month) {
    size = 30;
  }
  return fmt::format(
      "default_time_to_live = {} AND compaction = {{'class': 'TimeWindowCompactionStrategy', "
      "'compaction_window_unit': '{}', 'compaction_window_size': '{}'}}",
      retention.count(), unit, size);
}

std::string alter_retention_cql(const TableRef& t, const TableLayout& layout, std::chrono::seconds retention) {
  check_table_ref(t);
  return fmt::format("ALTER TABLE {} WITH {};", qualified_name(t, NameQuoting::for_cql),
                     retention_options_cql(layout, retention));
}

std::string create_table_cql(const TableRef& t, const TableLayout& layout,
                             std::optional<std::chrono::seconds> retention) {
  check_table_ref(t);
  std::string cql = fmt::format("CREATE TABLE IF NOT EXISTS {} (\n", qualified_name(t, NameQuoting::for_cql));
  for (const auto& c : kRatingTableColumns) {
    cql += fmt::format("  {} {},\n", quote_identifier(c.name), c.type);
    if (layout.bucketed() && c.name == "name") cql += fmt::format("  {} timestamp,\n", kBucketColumn);
  }
  if (!layout.bucketed()) {
    // One person's ratings live in one partition, newest first: Q1 and Q2 read a slice of it.
    cql += "  PRIMARY KEY (name, timestamp, id)\n) WITH CLUSTERING ORDER BY (timestamp DESC, id ASC)";
  } else {
    // One partition per person and bucket, newest first within it (docs/data-over-time.md).
    cql += fmt::format(
        "  PRIMARY KEY ((name, {}), timestamp, id)\n) WITH CLUSTERING ORDER BY (timestamp DESC, id ASC)\n"
        "  AND comment = '{}'",
        kBucketColumn, layout_comment(*layout.bucket));
  }
  if (retention) cql += "\n  AND " + retention_options_cql(layout, *retention);
  return cql + ";";
}

bool keyspace_exists(Session& session, const std::string& keyspace) {
  const BoundValue params[] = {BoundValue::of_text(keyspace)};
  auto rows = session.query("SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?", params);
  return rows.next().has_value();
}

bool table_exists(Session& session, const TableRef& t) {
  const std::string_view cql = "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?";
  const BoundValue params[] = {BoundValue::of_text(t.keyspace), BoundValue::of_text(t.table)};
  auto rows = session.query(cql, params);
  if (!rows.next()) return false;
  // Cassandra writes a new table to system_schema before it loads it, so a process that starts
  // while another one's CREATE TABLE is being applied (or was killed during it) can see a table
  // that every statement on it is refused for ("table ... does not exist"). Preparing a read on
  // it tells the two apart; the caller retries the pending one (retryable()).
  try {
    (void)session.prepare(fmt::format("SELECT * FROM {} LIMIT 1", qualified_name(t, NameQuoting::for_cql)),
                          Idempotence::idempotent);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::invalid_query) throw;
    throw Error(ErrorKind::schema_pending, e.code(),
                fmt::format("table {} is in system_schema but not usable yet (a schema change still being applied): {}",
                            qualified_name(t, NameQuoting::as_given), e.what()));
  }
  return true;
}

namespace {

struct ActualColumn {
  std::string type;
  std::string kind;
  int position = -1;
  std::string order;
};

std::string text_of(const Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s != nullptr ? *s : std::string();
}

// "the partition key", "clustering column 2 (DESC)", "a regular column".
std::string role(std::string_view kind, int position, std::string_view order) {
  if (kind == "partition_key") {
    return position == 0 ? std::string("the partition key") : fmt::format("partition key part {}", position + 1);
  }
  if (kind == "clustering") {
    std::string upper(order);
    for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    return fmt::format("clustering column {} ({})", position + 1, upper);
  }
  return fmt::format("a {} column", kind);
}

}  // namespace

void check_columns(Session& session, const TableRef& t, std::span<const ExpectedColumn> expected,
                   std::string_view shape, std::string_view fix) {
  const BoundValue params[] = {BoundValue::of_text(t.keyspace), BoundValue::of_text(t.table)};
  auto rows = session.query(
      "SELECT column_name, type, kind, position, clustering_order FROM system_schema.columns "
      "WHERE keyspace_name = ? AND table_name = ?",
      params);
  std::map<std::string, ActualColumn, std::less<>> actual;
  while (auto row = rows.next()) {
    const auto* position = std::get_if<std::int32_t>(&(*row)[3]);
    actual[text_of((*row)[0])] = {text_of((*row)[1]), text_of((*row)[2]), position != nullptr ? *position : -1,
                                  text_of((*row)[4])};
  }
  const auto refuse = [&](const std::string& difference) {
    throw InputError(fmt::format("table {} exists but {}, so it is not a table ratingstream writes ({}): {}",
                                 qualified_name(t, NameQuoting::as_given), difference, shape, fix));
  };
  for (const auto& c : expected) {
    const auto it = actual.find(c.name);
    if (it == actual.end()) refuse(fmt::format("has no column {}", c.name));
    const ActualColumn& a = it->second;
    if (a.type != c.type) refuse(fmt::format("column {} is {}, not {}", c.name, a.type, c.type));
    const int position = c.kind == "regular" ? -1 : c.position;
    if (a.kind != c.kind || (position >= 0 && (a.position != position || a.order != c.order))) {
      refuse(fmt::format("column {} is {}, not {}", c.name, role(a.kind, a.position, a.order),
                         role(c.kind, position, c.order)));
    }
  }
  // A key column we do not know would make every write incomplete.
  for (const auto& column : actual) {
    const std::string& name = column.first;
    const auto& a = column.second;
    if (a.kind != "partition_key" && a.kind != "clustering") continue;
    const bool known =
        std::any_of(expected.begin(), expected.end(), [&](const ExpectedColumn& c) { return name == c.name; });
    if (!known) {
      refuse(
          fmt::format("column {} is {}, which ratingstream does not write", name, role(a.kind, a.position, a.order)));
    }
  }
}

void check_table_columns(Session& session, const TableRef& t, const TableLayout& layout) {
  std::vector<ExpectedColumn> expected;
  for (const auto& c : kRatingTableColumns) {
    const std::string_view name = c.name;
    if (name == "name") {
      expected.push_back({c.name, c.type, "partition_key", 0, "none"});
      if (layout.bucketed()) expected.push_back({kBucketColumn, "timestamp", "partition_key", 1, "none"});
    } else if (name == "timestamp") {
      expected.push_back({c.name, c.type, "clustering", 0, "desc"});
    } else if (name == "id") {
      expected.push_back({c.name, c.type, "clustering", 1, "asc"});
    } else {
      expected.push_back({c.name, c.type, "regular", -1, "none"});
    }
  }
  const std::string_view key =
      layout.bucketed() ? "PRIMARY KEY ((name, bucket), timestamp, id)" : "PRIMARY KEY (name, timestamp, id)";
  check_columns(session, t, expected,
                fmt::format("{} WITH CLUSTERING ORDER BY (timestamp DESC, id ASC), {} columns", key, expected.size()),
                fmt::format("choose another {}, or drop it", Setting::table));
}

std::optional<std::string> read_table_comment(Session& session, const TableRef& t) {
  const BoundValue params[] = {BoundValue::of_text(t.keyspace), BoundValue::of_text(t.table)};
  auto tables =
      session.query("SELECT comment FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", params);
  const auto table = tables.next();
  if (!table) return std::nullopt;
  return text_of((*table)[0]);
}

DerivedTableState read_derived_table_state(Session& session, const TableRef& derived, std::string_view complete_comment,
                                           std::string_view building_comment) {
  const auto comment = read_table_comment(session, derived);
  if (!comment) return DerivedTableState::absent;
  if (*comment == complete_comment) return DerivedTableState::complete;
  return *comment == building_comment ? DerivedTableState::building : DerivedTableState::foreign;
}

TableLayout detect_table_layout(Session& session, const TableRef& t) {
  const BoundValue params[] = {BoundValue::of_text(t.keyspace), BoundValue::of_text(t.table),
                               BoundValue::of_text(kBucketColumn)};
  auto rows = session.query(
      "SELECT kind FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ? AND column_name = ?", params);
  const auto bucket_column = rows.next();
  TableLayout layout;
  if (bucket_column && text_of((*bucket_column)[0]) == "partition_key") {
    const std::string comment = read_table_comment(session, t).value_or("");
    layout.bucket = bucket_of_comment(comment);
    if (!layout.bucket) {
      throw InputError(fmt::format(
          "table {} is bucketed but its comment {} names no bucket size; set it with ALTER TABLE {} WITH comment = "
          "'{}' (hour, day, week or month: the size its rows were written with)",
          qualified_name(t, NameQuoting::as_given), shown_value(comment), qualified_name(t, NameQuoting::for_cql),
          layout_comment(BucketSize::day)));
    }
  }
  return layout;
}

TableLayout read_table_layout(Session& session, const TableRef& t) {
  const TableLayout layout = detect_table_layout(session, t);
  check_table_columns(session, t, layout);
  return layout;
}

void check_layout_is(const TableRef& t, const TableLayout& actual, const TableLayout& wanted) {
  if (actual == wanted) return;
  throw InputError(fmt::format(
      "table {} exists {}, not {} as asked; keep its layout (leave out {} and {}), or "
      "choose another {}",
      qualified_name(t, NameQuoting::as_given), actual.bucketed() ? actual.describe() : "in " + actual.describe(),
      wanted.bucketed() ? wanted.describe() : "in " + wanted.describe(), Setting::layout, Setting::bucket,
      Setting::table));
}

std::optional<std::chrono::seconds> read_retention(Session& session, const TableRef& t) {
  const BoundValue params[] = {BoundValue::of_text(t.keyspace), BoundValue::of_text(t.table)};
  auto rows = session.query(
      "SELECT default_time_to_live FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", params);
  const auto row = rows.next();
  if (!row) return std::nullopt;
  const auto* seconds = std::get_if<std::int32_t>(&(*row)[0]);
  if (seconds == nullptr || *seconds <= 0) return std::nullopt;
  return std::chrono::seconds{*seconds};
}

TableLayout apply_schema(Session& session, const TableRef& t, const KeyspaceReplication& replication,
                         const TableLayout& layout, std::optional<std::chrono::seconds> retention) {
  // Never change the schema while the nodes disagree on it (a node that restarted and has not
  // caught up yet): the change can then race with that node's own schema pull.
  session.await_schema_agreement();
  session.execute(create_keyspace_cql(t.keyspace, replication));
  session.execute(create_table_cql(t, layout, retention));
  session.execute(create_settings_table_cql(t.keyspace));
  session.await_schema_agreement();
  const TableLayout actual = read_table_layout(session, t);
  check_settings_table(session, t.keyspace);
  return actual;
}

}  // namespace ratingstream::store
