#include "store/hour_rollups.hpp"

#include <fmt/format.h>

#include <future>
#include <tuple>

#include "common/clock.hpp"
#include "common/errors.hpp"
#include "store/row_expiry.hpp"
#include "store/time_bucket.hpp"

namespace ratingstream::store {
namespace {

constexpr std::string_view kBuildingComment = "ratingstream: hourly rollups, being built";
constexpr std::string_view kCompleteComment = "ratingstream: hourly rollups";
constexpr std::string_view kPendingSuffix = "_hourly_pending";

std::string cql_name(const TableRef& t) { return qualified_name(t, NameQuoting::for_cql); }

std::optional<std::int32_t> int32_of(const Value& v) {
  if (const auto* i = std::get_if<std::int32_t>(&v)) return *i;
  return std::nullopt;
}

std::int64_t int64_of(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  return 0;
}

std::int64_t millis_of(const Value& v) {
  if (const auto* t = std::get_if<Timestamp>(&v)) return t->millis;
  return 0;
}

HourSummary summary_of(const std::vector<Value>& row, std::size_t first) {
  return HourSummary{int64_of(row.at(first)), int64_of(row.at(first + 1)), int64_of(row.at(first + 2)),
                     int64_of(row.at(first + 3))};
}

}  // namespace

Timestamp hour_of(Timestamp t) { return bucket_start(BucketSize::hour, t); }

std::int64_t micros_since_epoch() { return ratingstream::micros_since_epoch(real_clock().wall_now()); }

bool fits_rollups(const TableRef& ratings) { return ratings.table.size() + kPendingSuffix.size() <= 48; }

RollupTables rollup_tables_of(const TableRef& ratings) {
  RollupTables tables{{ratings.keyspace, ratings.table + "_hourly"},
                      {ratings.keyspace, ratings.table + std::string(kPendingSuffix)}};
  if (!fits_rollups(ratings)) {
    throw InputError(fmt::format(
        "{} {}: too long for rollups, whose tables add \"_hourly_pending\" to it (Cassandra allows 48 characters); "
        "use a name of at most 33",
        Setting::table, ratings.table));
  }
  return tables;
}

std::string_view rollup_state_name(RollupState state) {
  switch (state) {
    case RollupState::absent: return "absent";
    case RollupState::building: return "being built";
    case RollupState::complete: return "complete";
    case RollupState::foreign: return "another table";
  }
  return "absent";
}

RollupState read_rollup_state(Session& session, const TableRef& ratings) {
  // A name too long for rollups (the longest a ratings table may have) has none.
  if (!fits_rollups(ratings)) return RollupState::absent;
  return read_derived_table_state(session, rollup_tables_of(ratings).hourly, kCompleteComment, kBuildingComment);
}

std::string create_hourly_table_cql(const RollupTables& tables, RollupState state) {
  // One partition per person: 8,760 rows a year, under Cassandra's guidance for 11 years.
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (\n"
      "  name text,\n  hour timestamp,\n  ratings bigint,\n  with_duration bigint,\n  duration_sum bigint,\n"
      "  rating_sum bigint,\n  PRIMARY KEY (name, hour)\n) WITH CLUSTERING ORDER BY (hour DESC)\n"
      "  AND comment = '{}';",
      cql_name(tables.hourly), state == RollupState::complete ? kCompleteComment : kBuildingComment);
}

std::string create_pending_table_cql(const RollupTables& tables) {
  // Marks live seconds to minutes: their tombstones may go after an hour (a mark brought back by
  // a replica that missed its deletion only makes a reader read raw rows, and the next sweep
  // removes it again).
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (\n"
      "  name text,\n  hour timestamp,\n  mark uuid,\n  marked_at timestamp,\n  PRIMARY KEY (name, hour, mark)\n"
      ") WITH gc_grace_seconds = 3600;",
      cql_name(tables.pending));
}

std::string set_rollup_state_cql(const RollupTables& tables, RollupState state) {
  return fmt::format("ALTER TABLE {} WITH comment = '{}';", cql_name(tables.hourly),
                     state == RollupState::complete ? kCompleteComment : kBuildingComment);
}

void HourSummary::add(std::optional<std::int32_t> duration, std::optional<std::int32_t> rating) {
  ++ratings;
  if (duration) {
    ++with_duration;
    duration_sum += *duration;
  }
  if (rating) rating_sum += *rating;
}

void HourSummary::add(const HourSummary& other) {
  ratings += other.ratings;
  with_duration += other.with_duration;
  duration_sum += other.duration_sum;
  rating_sum += other.rating_sum;
}

HourRollups::HourRollups(Session& session, const TableRef& ratings, const TableLayout& layout,
                         std::optional<std::chrono::seconds> retention)
    : session_(session),
      layout_(layout),
      retention_(retention),
      tables_(rollup_tables_of(ratings)),
      raw_hour_(prepare(fmt::format(
          "SELECT duration, rating_movie, timestamp FROM {} WHERE name = ?{} AND timestamp >= ? AND timestamp < ?",
          cql_name(ratings), layout.bucketed() ? " AND bucket = ?" : ""))),
      rollup_insert_(prepare(
          fmt::format("INSERT INTO {} (name, hour, ratings, with_duration, duration_sum, rating_sum) VALUES (?, ?, ?, "
                      "?, ?, ?) USING TIMESTAMP ? AND TTL ?",
                      cql_name(tables_.hourly)))),
      rollup_delete_(prepare(
          fmt::format("DELETE FROM {} USING TIMESTAMP ? WHERE name = ? AND hour = ?", cql_name(tables_.hourly)))),
      mark_insert_(prepare(
          fmt::format("INSERT INTO {} (name, hour, mark, marked_at) VALUES (?, ?, ?, ?)", cql_name(tables_.pending)))),
      mark_delete_(
          prepare(fmt::format("DELETE FROM {} WHERE name = ? AND hour = ? AND mark = ?", cql_name(tables_.pending)))),
      marks_all_(prepare(fmt::format("SELECT name, hour, mark, marked_at FROM {}", cql_name(tables_.pending)))),
      rollups_range_(prepare(
          fmt::format("SELECT hour, ratings, with_duration, duration_sum, rating_sum FROM {} WHERE name = ? AND hour "
                      ">= ? AND hour < ?",
                      cql_name(tables_.hourly)))),
      marks_range_(prepare(
          fmt::format("SELECT hour FROM {} WHERE name = ? AND hour >= ? AND hour < ?", cql_name(tables_.pending)))) {}

PreparedStatement HourRollups::prepare(const std::string& cql) {
  // Every statement here reads, or writes whole rows or deletions at a given time: idempotent.
  return session_.prepare(cql, Idempotence::idempotent);
}

HourSummary HourRollups::summarise(const HourKey& key) {
  const Timestamp end{key.hour.millis + kMillisPerHour};
  std::vector<BoundValue> values{BoundValue::of_text(key.name)};
  // An hour lies inside one bucket of any size: buckets start on whole hours.
  if (layout_.bucketed()) values.push_back(BoundValue::of_timestamp(bucket_start(*layout_.bucket, key.hour)));
  values.push_back(BoundValue::of_timestamp(key.hour));
  values.push_back(BoundValue::of_timestamp(end));
  auto rows = session_.query(raw_hour_, values);
  HourSummary summary;
  while (auto row = rows.next()) summary.add(int32_of(row->at(0)), int32_of(row->at(1)));
  return summary;
}

void HourRollups::store(const HourKey& key, const HourSummary& summary, std::int64_t read_at_micros, Timestamp now) {
  store_all(key.name, {{key.hour.millis, summary}}, read_at_micros, now);
}

void HourRollups::store_all(const std::string& name, const std::map<std::int64_t, HourSummary>& by_hour,
                            std::int64_t read_at_micros, Timestamp now) {
  // The rollups of one person are one partition: one batch of inserts, one of deletions.
  std::vector<BoundValue> inserts;
  std::vector<BoundValue> deletions;
  for (const auto& [hour, summary] : by_hour) {
    if (summary.ratings == 0) {
      deletions.insert(deletions.end(), {BoundValue::of_int64(read_at_micros), BoundValue::of_text(name),
                                         BoundValue::of_timestamp(Timestamp{hour})});
      continue;
    }
    std::int32_t ttl = 0;
    if (retention_) {
      // The rollup goes with the first rows of its hour; readers read raw rows near the horizon.
      const auto left = row_time_to_live(*retention_, Timestamp{hour}, now);
      if (!left) continue;  // past retention: read raw, never from a rollup
      ttl = *left;
    }
    inserts.insert(inserts.end(), {BoundValue::of_text(name), BoundValue::of_timestamp(Timestamp{hour}),
                                   BoundValue::of_int64(summary.ratings), BoundValue::of_int64(summary.with_duration),
                                   BoundValue::of_int64(summary.duration_sum), BoundValue::of_int64(summary.rating_sum),
                                   BoundValue::of_int64(read_at_micros), BoundValue::of_int32(ttl)});
  }
  for (const auto& [statement, values, width] : {std::tuple{&rollup_insert_, &inserts, std::size_t{8}},
                                                 std::tuple{&rollup_delete_, &deletions, std::size_t{3}}}) {
    if (values->empty()) continue;
    const std::size_t ends[] = {values->size() / width};
    const auto outcome = session_.execute_many(*statement, *values, 1, ends);
    if (!outcome.failed.empty()) throw outcome.failed.front().error;
  }
}

bool hours_read_together(const TableLayout& layout, Timestamp first, Timestamp later) {
  if (later.millis - first.millis >= kMaxHoursPerRead * kMillisPerHour) return false;
  return !layout.bucketed() || bucket_start(*layout.bucket, first) == bucket_start(*layout.bucket, later);
}

void HourRollups::recompute(const HourKey& key) { recompute(key.name, std::span(&key.hour, 1)); }

void HourRollups::recompute(const std::string& name, std::span<const Timestamp> hours) {
  if (hours.empty()) return;
  const std::int64_t read_at = micros_since_epoch();
  const Timestamp from = hours.front();
  const Timestamp to{hours.back().millis + kMillisPerHour};
  std::vector<BoundValue> values{BoundValue::of_text(name)};
  if (layout_.bucketed()) values.push_back(BoundValue::of_timestamp(bucket_start(*layout_.bucket, from)));
  values.push_back(BoundValue::of_timestamp(from));
  values.push_back(BoundValue::of_timestamp(to));
  std::map<std::int64_t, HourSummary> by_hour;
  for (const auto& hour : hours) by_hour[hour.millis];
  auto rows = session_.query(raw_hour_, values);
  while (auto row = rows.next()) {
    // The raw statement selects duration, rating_movie and timestamp, which gives the hour.
    const auto it = by_hour.find(hour_of(Timestamp{millis_of(row->at(2))}).millis);
    if (it != by_hour.end()) it->second.add(int32_of(row->at(0)), int32_of(row->at(1)));
  }
  store_all(name, by_hour, read_at, Timestamp{read_at / 1000});
}

void HourRollups::remove_marks(const HourKey& key, std::span<const Uuid> marks) {
  const std::vector<Uuid> all(marks.begin(), marks.end());
  remove_marks(key.name, std::span(&key.hour, 1), std::span(&all, 1));
}

void HourRollups::remove_marks(const std::string& name, std::span<const Timestamp> hours,
                               std::span<const std::vector<Uuid>> marks) {
  std::vector<BoundValue> values;
  for (std::size_t i = 0; i < hours.size() && i < marks.size(); ++i) {
    for (const auto& mark : marks[i]) {
      values.insert(values.end(),
                    {BoundValue::of_text(name), BoundValue::of_timestamp(hours[i]), BoundValue::of_uuid(mark)});
    }
  }
  if (values.empty()) return;
  const std::size_t ends[] = {values.size() / 3};
  const auto outcome = session_.execute_many(mark_delete_, values, 1, ends);
  if (!outcome.failed.empty()) throw outcome.failed.front().error;
}

std::vector<PendingMark> HourRollups::all_marks() {
  std::vector<PendingMark> marks;
  auto rows = session_.query(marks_all_);
  while (auto row = rows.next()) {
    PendingMark mark;
    if (const auto* name = std::get_if<std::string>(&row->at(0))) mark.key.name = *name;
    mark.key.hour = Timestamp{millis_of(row->at(1))};
    if (const auto* id = std::get_if<Uuid>(&row->at(2))) mark.mark = *id;
    mark.marked_at = Timestamp{millis_of(row->at(3))};
    marks.push_back(std::move(mark));
  }
  return marks;
}

std::map<std::int64_t, HourSummary> HourRollups::summaries(std::string_view name, Timestamp from, Timestamp to) {
  const BoundValue values[] = {BoundValue::of_text(name), BoundValue::of_timestamp(from), BoundValue::of_timestamp(to)};
  std::map<std::int64_t, HourSummary> result;
  auto rows = session_.query(rollups_range_, values);
  while (auto row = rows.next()) result.emplace(millis_of(row->at(0)), summary_of(*row, 1));
  return result;
}

std::set<std::int64_t> HourRollups::marked_hours(std::string_view name, Timestamp from, Timestamp to) {
  const BoundValue values[] = {BoundValue::of_text(name), BoundValue::of_timestamp(from), BoundValue::of_timestamp(to)};
  std::set<std::int64_t> hours;
  auto rows = session_.query(marks_range_, values);
  while (auto row = rows.next()) hours.insert(millis_of(row->at(0)));
  return hours;
}

std::int64_t enable_rollups(Session& session, const TableRef& ratings, const TableLayout& layout,
                            std::optional<std::chrono::seconds> retention) {
  const RollupTables tables = rollup_tables_of(ratings);
  const RollupState state = read_rollup_state(session, ratings);
  if (state == RollupState::complete) return 0;
  if (state == RollupState::foreign) {
    throw InputError(fmt::format(
        "{} exists and is not ratingstream's hourly rollups of {}: rename that table, or give the ratings table "
        "another {}",
        qualified_name(tables.hourly, NameQuoting::as_given), qualified_name(ratings, NameQuoting::as_given),
        Setting::table));
  }
  session.await_schema_agreement();
  session.execute(create_pending_table_cql(tables));
  const bool empty = !session.query(fmt::format("SELECT name FROM {} LIMIT 1", cql_name(ratings))).next();
  if (state == RollupState::absent) {
    session.execute(create_hourly_table_cql(tables, empty ? RollupState::complete : RollupState::building));
  }
  session.await_schema_agreement();
  std::int64_t built = 0;
  if (!empty) {
    // Every hour with rows, from one scan of the table; then each hour's rollup as the processor
    // computes it (read time first), several at once.
    std::set<HourKey> keys;
    auto rows = session.query(fmt::format("SELECT name, timestamp FROM {}", cql_name(ratings)));
    while (auto row = rows.next()) {
      const auto* name = std::get_if<std::string>(&row->at(0));
      if (name != nullptr) keys.insert({*name, hour_of(Timestamp{millis_of(row->at(1))})});
    }
    HourRollups rollups(session, ratings, layout, retention);
    const std::vector<HourKey> all(keys.begin(), keys.end());
    constexpr std::size_t kAtOnce = 8;
    std::vector<std::future<void>> running;
    for (std::size_t first = 0; first < kAtOnce && first < all.size(); ++first) {
      running.push_back(std::async(std::launch::async, [&rollups, &all, first] {
        for (std::size_t i = first; i < all.size(); i += kAtOnce) rollups.recompute(all[i]);
      }));
    }
    for (auto& r : running) r.get();
    built = static_cast<std::int64_t>(all.size());
  }
  if (!empty || state == RollupState::building) {
    session.execute(set_rollup_state_cql(tables, RollupState::complete));
    session.await_schema_agreement();
  }
  return built;
}

}  // namespace ratingstream::store
