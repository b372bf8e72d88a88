#pragma once
// The settings a ratings table is written under, recorded with the table and fixed for its life
// (docs/table-settings.md). One row per ratings table in <keyspace>.ratingstream_tables:
//
//   table_name text PRIMARY KEY, table_id uuid, local_time_zone text, recorded_at timestamp,
//   recorded_by text
//
// Why: a row's clustering column is its timestamp after conversion, and a timestamp written
// without a zone (as the original producer wrote them) is converted in a time zone. A replay in
// another zone would keep the record but move its timestamp (and so its id): a second row. So the
// zone is a property of the table, not of each process: recorded once, by `schema` or by the
// first processor (a lightweight transaction: the first writer wins), and a process asking for
// another zone is refused.
//
// table_id is system_schema's id of the table the row was recorded for: a table dropped and
// created again under the same name gets a new id, so its old row is seen as stale and replaced.
// A row recorded by hand without table_id applies to whichever table has the name.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/schema.hpp"
#include "store/session.hpp"

namespace ratingstream::store {

inline constexpr std::string_view kSettingsTable = "ratingstream_tables";

std::string create_settings_table_cql(const std::string& keyspace);

// check_columns for <keyspace>.ratingstream_tables (InputError for a table of that name that is
// not ours; columns added later are allowed).
void check_settings_table(Session& session, const std::string& keyspace);

// Creates <keyspace>.ratingstream_tables when it is missing and `may_create` (else
// RuntimeFailure saying how to create it), then checks it.
void ensure_settings_table(Session& session, const std::string& keyspace, bool may_create);

// A table's row, as read.
struct RecordedSettings {
  std::optional<Uuid> table_id;  // nullopt: recorded by hand, for whichever table has the name
  std::string local_time_zone;   // as written; empty: the row records no zone (yet)
  std::string recorded_by;
};

// The zone the user asks for. `zone` is the canonical name (rating::TimeZone::name(): "UTC"
// for every alias of UTC); `given` is true when it came from a flag, the environment or the
// config file, false for the default.
struct ZoneRequest {
  std::string zone = "UTC";
  bool given = false;
};

enum class ZoneStep {
  use_recorded,      // the table has a zone: use it
  record,            // no row yet: record `zone` (if nobody else does first)
  fill,              // a row without a zone: record `zone` in it (if nobody else does first)
  replace_stale,     // the row belongs to a dropped table of the same name: replace it
  leave_unrecorded,  // no row, and nothing to record (schema on an existing table, no zone given)
};

struct ZonePlan {
  ZoneStep step = ZoneStep::use_recorded;
  std::string zone;  // the zone to use or to record; empty for leave_unrecorded
};

// The canonical name of a recorded zone. Throws InputError naming the table when this host's tz
// database does not know the zone.
std::string canonical_recorded_zone(const TableRef& table, const std::string& recorded);

// What to do with the table's zone, given its row (nullopt: none) and the request. A recorded
// zone wins over the default; a zone given that differs from the recorded one is InputError
// naming both and how to fix it. `record_default`: record the default zone when none is recorded
// and none given (the processor; `schema` only for a table it has just created).
ZonePlan plan_zone(const TableRef& table, const Uuid& table_id, const std::optional<RecordedSettings>& recorded,
                   const ZoneRequest& request, bool record_default);

// system_schema's id of the table; nullopt when it does not exist.
std::optional<Uuid> table_id(Session& session, const TableRef& table);

// The table's row of <keyspace>.ratingstream_tables; nullopt when there is none.
std::optional<RecordedSettings> read_settings(Session& session, const TableRef& table);

// Reads the table's zone and records one where plan_zone says so, with lightweight transactions
// (INSERT ... IF NOT EXISTS, UPDATE ... IF table_id = ...), so that of processes starting at once
// the first writer wins and the others then see its zone. Returns the zone the table's rows are
// converted in, or nullopt when it was left unrecorded. `recorded_by` says who recorded it
// ("ratingstream schema"). The settings table must exist. Throws InputError (plan_zone), Error
// (Cassandra: e.g. unavailable when too few replicas are alive for the transaction).
std::optional<std::string> settle_time_zone(Session& session, const TableRef& table, const ZoneRequest& request,
                                            bool record_default, std::string_view recorded_by);

}  // namespace ratingstream::store
