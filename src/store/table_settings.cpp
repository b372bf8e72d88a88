#include "store/table_settings.hpp"

#include <fmt/format.h>

#include <chrono>

#include "common/errors.hpp"
#include "common/setting.hpp"
#include "rating/time_zone.hpp"

namespace ratingstream::store {
namespace {

const std::vector<ExpectedColumn>& settings_columns() {
  static const std::vector<ExpectedColumn> columns = {
      {"table_name", "text", "partition_key", 0, "none"}, {"table_id", "uuid", "regular", -1, "none"},
      {"local_time_zone", "text", "regular", -1, "none"}, {"recorded_at", "timestamp", "regular", -1, "none"},
      {"recorded_by", "text", "regular", -1, "none"},
  };
  return columns;
}

std::string settings_table(const std::string& keyspace) {
  return qualified_name({keyspace, std::string(kSettingsTable)}, NameQuoting::for_cql);
}

std::string text_of(const Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s != nullptr ? *s : std::string();
}

Timestamp now() {
  return Timestamp{
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count()};
}

}  // namespace

std::string create_settings_table_cql(const std::string& keyspace) {
  check_identifier(Setting::keyspace, keyspace);
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (\n"
      "  table_name text PRIMARY KEY,\n"
      "  table_id uuid,\n"
      "  local_time_zone text,\n"
      "  recorded_at timestamp,\n"
      "  recorded_by text\n"
      ");",
      settings_table(keyspace));
}

void check_settings_table(Session& session, const std::string& keyspace) {
  check_columns(session, {keyspace, std::string(kSettingsTable)}, settings_columns(),
                "the settings of each ratings table: table_name text PRIMARY KEY, table_id uuid, local_time_zone "
                "text, recorded_at timestamp, recorded_by text",
                fmt::format("drop it, or use another {}", Setting::keyspace));
}

void ensure_settings_table(Session& session, const std::string& keyspace, bool may_create) {
  const TableRef ref{keyspace, std::string(kSettingsTable)};
  if (!table_exists(session, ref)) {
    if (!may_create) {
      throw RuntimeFailure(fmt::format(
          "table {} (the settings of each ratings table, such as its time zone) does not exist; create it with "
          "`ratingstream schema` or run without {}",
          qualified_name(ref, NameQuoting::as_given), Setting::no_create_schema));
    }
    session.execute(create_settings_table_cql(keyspace));
    session.await_schema_agreement();
  }
  check_settings_table(session, keyspace);
}

std::string canonical_recorded_zone(const TableRef& table, const std::string& recorded) {
  try {
    return rating::TimeZone::named(recorded).name();
  } catch (const InputError& e) {
    throw InputError(
        fmt::format("table {} records the time zone \"{}\" for timestamps without one, but {} "
                    "(install the tzdata package, or set TZDIR)",
                    qualified_name(table, NameQuoting::as_given), recorded, e.what()));
  }
}

ZonePlan plan_zone(const TableRef& table, const Uuid& id, const std::optional<RecordedSettings>& recorded,
                   const ZoneRequest& request, bool record_default) {
  const bool stale = recorded && recorded->table_id && *recorded->table_id != id;
  if (recorded && !stale && !recorded->local_time_zone.empty()) {
    const std::string zone = canonical_recorded_zone(table, recorded->local_time_zone);
    if (request.given && request.zone != zone) {
      throw InputError(fmt::format(
          "{} {} differs from {}, the time zone recorded for table {}: its timestamps without a zone "
          "were converted in {}, and a replay in another zone would store those ratings a second time; leave "
          "{} out (the table's zone is used) or give {} {}, or write to another {}",
          Setting::time_zone, request.zone, zone, qualified_name(table, NameQuoting::as_given), zone,
          Setting::time_zone, Setting::time_zone, zone, Setting::table));
    }
    return {ZoneStep::use_recorded, zone};
  }
  if (!request.given && !record_default) return {ZoneStep::leave_unrecorded, {}};
  if (stale) return {ZoneStep::replace_stale, request.zone};
  return {recorded ? ZoneStep::fill : ZoneStep::record, request.zone};
}

std::optional<Uuid> table_id(Session& session, const TableRef& table) {
  const BoundValue params[] = {BoundValue::of_text(table.keyspace), BoundValue::of_text(table.table)};
  auto rows = session.query("SELECT id FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", params);
  const auto row = rows.next();
  if (!row) return std::nullopt;
  const auto* id = std::get_if<Uuid>(&(*row)[0]);
  return id != nullptr ? std::optional<Uuid>(*id) : std::nullopt;
}

std::optional<RecordedSettings> read_settings(Session& session, const TableRef& table) {
  const BoundValue params[] = {BoundValue::of_text(table.table)};
  auto rows = session.query(
      "SELECT table_id, local_time_zone, recorded_by FROM " + settings_table(table.keyspace) + " WHERE table_name = ?",
      params);
  const auto row = rows.next();
  if (!row) return std::nullopt;
  RecordedSettings settings;
  if (const auto* id = std::get_if<Uuid>(&(*row)[0])) settings.table_id = *id;
  settings.local_time_zone = text_of((*row)[1]);
  settings.recorded_by = text_of((*row)[2]);
  return settings;
}

std::optional<std::string> settle_time_zone(Session& session, const TableRef& table, const ZoneRequest& request,
                                            bool record_default, std::string_view recorded_by) {
  const auto id = table_id(session, table);
  if (!id) {
    throw RuntimeFailure(fmt::format("table {} was dropped while its settings were read; try again",
                                     qualified_name(table, NameQuoting::as_given)));
  }
  // Each round reads the row and, when it records one, reads it again: after a lightweight
  // transaction, applied or not, the row holds the winner's zone, ours or another process's.
  for (int round = 0; round < 3; ++round) {
    const auto recorded = read_settings(session, table);
    const ZonePlan plan = plan_zone(table, *id, recorded, request, record_default);
    const Timestamp at = now();
    switch (plan.step) {
      case ZoneStep::use_recorded: return plan.zone;
      case ZoneStep::leave_unrecorded: return std::nullopt;
      case ZoneStep::record: {
        const BoundValue values[] = {BoundValue::of_text(table.table), BoundValue::of_uuid(*id),
                                     BoundValue::of_text(plan.zone), BoundValue::of_timestamp(at),
                                     BoundValue::of_text(recorded_by)};
        session.execute("INSERT INTO " + settings_table(table.keyspace) +
                            " (table_name, table_id, local_time_zone, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?) "
                            "IF NOT EXISTS",
                        values);
        break;
      }
      case ZoneStep::fill: {
        const BoundValue values[] = {BoundValue::of_uuid(*id), BoundValue::of_text(plan.zone),
                                     BoundValue::of_timestamp(at), BoundValue::of_text(recorded_by),
                                     BoundValue::of_text(table.table)};
        session.execute("UPDATE " + settings_table(table.keyspace) +
                            " SET table_id = ?, local_time_zone = ?, recorded_at = ?, recorded_by = ? "
                            "WHERE table_name = ? IF local_time_zone = null",
                        values);
        break;
      }
      case ZoneStep::replace_stale: {
        const BoundValue values[] = {BoundValue::of_uuid(*id),         BoundValue::of_text(plan.zone),
                                     BoundValue::of_timestamp(at),     BoundValue::of_text(recorded_by),
                                     BoundValue::of_text(table.table), BoundValue::of_uuid(*recorded->table_id)};
        session.execute("UPDATE " + settings_table(table.keyspace) +
                            " SET table_id = ?, local_time_zone = ?, recorded_at = ?, recorded_by = ? "
                            "WHERE table_name = ? IF table_id = ?",
                        values);
        break;
      }
    }
  }
  const TableRef settings{table.keyspace, std::string(kSettingsTable)};
  throw RuntimeFailure(fmt::format("the settings row of table {} in {} kept changing while it was recorded; try again",
                                   qualified_name(table, NameQuoting::as_given),
                                   qualified_name(settings, NameQuoting::as_given)));
}

}  // namespace ratingstream::store
