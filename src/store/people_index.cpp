#include "store/people_index.hpp"

#include <fmt/format.h>

#include <map>

#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/setting.hpp"
#include "store/row_expiry.hpp"
#include "store/time_bucket.hpp"

namespace ratingstream::store {
namespace {

constexpr std::string_view kBuildingComment = "ratingstream: people index, being built";
constexpr std::string_view kCompleteComment = "ratingstream: people index";
constexpr std::string_view kSuffix = "_people";

std::string cql_name(const TableRef& t) { return qualified_name(t, NameQuoting::for_cql); }

std::int64_t micros_of(Timestamp t) { return t.millis * 1000; }

}  // namespace

bool fits_people_index(const TableRef& ratings) { return ratings.table.size() + kSuffix.size() <= 48; }

TableRef people_table_of(const TableRef& ratings) {
  TableRef people{ratings.keyspace, ratings.table + std::string(kSuffix)};
  if (!fits_people_index(ratings)) {
    throw InputError(
        fmt::format("{} {}: too long for a bucketed table, whose people index adds \"{}\" to it (Cassandra allows 48 "
                    "characters); use a name of at most {}",
                    Setting::table, ratings.table, kSuffix, 48 - kSuffix.size()));
  }
  return people;
}

std::string create_people_table_cql(const TableRef& ratings, DerivedTableState state) {
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (\n  name text PRIMARY KEY,\n  latest_bucket timestamp\n) WITH comment = '{}';",
      cql_name(people_table_of(ratings)), state == DerivedTableState::complete ? kCompleteComment : kBuildingComment);
}

DerivedTableState read_people_index_state(Session& session, const TableRef& ratings) {
  // A name too long for an index (a table made before there were indexes) has none.
  if (!fits_people_index(ratings)) return DerivedTableState::absent;
  return read_derived_table_state(session, people_table_of(ratings), kCompleteComment, kBuildingComment);
}

std::optional<std::int32_t> people_entry_time_to_live(BucketSize size, std::optional<std::chrono::seconds> retention,
                                                      Timestamp bucket, Timestamp now) {
  if (!retention) return 0;
  // The bucket's last rows are rated just before its end.
  return row_time_to_live(*retention, next_bucket_start(size, bucket), now);
}

PeopleIndex::PeopleIndex(Session& session, const TableRef& ratings, const TableLayout& layout,
                         std::optional<std::chrono::seconds> retention)
    : session_(session),
      layout_(layout),
      retention_(retention),
      insert_(session.prepare(fmt::format("INSERT INTO {} (name, latest_bucket) VALUES (?, ?) USING TIMESTAMP ? AND "
                                          "TTL ?",
                                          cql_name(people_table_of(ratings))),
                              Idempotence::idempotent)),
      latest_(session.prepare(
          fmt::format("SELECT latest_bucket FROM {} WHERE name = ?", cql_name(people_table_of(ratings))),
          Idempotence::idempotent)),
      names_(session.prepare(fmt::format("SELECT name FROM {} LIMIT ?", cql_name(people_table_of(ratings))),
                             Idempotence::idempotent)) {}

bool PeopleIndex::bind(std::string_view name, Timestamp bucket, Timestamp now, std::vector<BoundValue>& values) const {
  const auto ttl = people_entry_time_to_live(*layout_.bucket, retention_, bucket, now);
  if (!ttl) return false;
  values.insert(values.end(), {BoundValue::of_text(name), BoundValue::of_timestamp(bucket),
                               BoundValue::of_int64(micros_of(bucket)), BoundValue::of_int32(*ttl)});
  return true;
}

std::optional<Timestamp> PeopleIndex::latest_bucket(const std::string& name) {
  const BoundValue values[] = {BoundValue::of_text(name)};
  auto rows = session_.query(latest_, values);
  const auto row = rows.next();
  if (!row) return std::nullopt;
  if (const auto* bucket = std::get_if<Timestamp>(&row->at(0))) return *bucket;
  return std::nullopt;
}

std::vector<std::string> PeopleIndex::names(std::size_t limit) {
  const BoundValue values[] = {BoundValue::of_int32(static_cast<std::int32_t>(limit))};
  auto rows = session_.query(names_, values, 1000);
  std::vector<std::string> names;
  while (auto row = rows.next()) {
    if (auto* name = std::get_if<std::string>(&row->at(0))) names.push_back(std::move(*name));
  }
  return names;
}

std::int64_t enable_people_index(Session& session, const TableRef& ratings, const TableLayout& layout,
                                 std::optional<std::chrono::seconds> retention) {
  const TableRef people = people_table_of(ratings);
  const DerivedTableState state = read_people_index_state(session, ratings);
  if (state == DerivedTableState::complete) return 0;
  if (state == DerivedTableState::foreign) {
    throw InputError(fmt::format(
        "{} exists and is not ratingstream's people index of {}: rename that table, or give the ratings table "
        "another {}",
        qualified_name(people, NameQuoting::as_given), qualified_name(ratings, NameQuoting::as_given), Setting::table));
  }
  session.await_schema_agreement();
  const bool empty = !session.query(fmt::format("SELECT name FROM {} LIMIT 1", cql_name(ratings))).next();
  if (state == DerivedTableState::absent) {
    session.execute(
        create_people_table_cql(ratings, empty ? DerivedTableState::complete : DerivedTableState::building));
    session.await_schema_agreement();
  }
  std::int64_t built = 0;
  if (!empty) {
    // Every person's newest bucket, from the partition keys alone.
    std::map<std::string, Timestamp> newest;
    auto keys = session.query(fmt::format("SELECT DISTINCT name, {} FROM {}", kBucketColumn, cql_name(ratings)));
    while (auto key = keys.next()) {
      const auto* name = std::get_if<std::string>(&key->at(0));
      const auto* bucket = std::get_if<Timestamp>(&key->at(1));
      if (name == nullptr || bucket == nullptr) continue;
      auto [at, added] = newest.try_emplace(*name, *bucket);
      if (!added && at->second.millis < bucket->millis) at->second = *bucket;
    }
    PeopleIndex index(session, ratings, layout, retention);
    std::vector<BoundValue> values;
    const Timestamp now{millis_since_epoch(real_clock().wall_now())};
    for (const auto& [name, bucket] : newest) {
      if (index.bind(name, bucket, now, values)) ++built;
    }
    const auto outcome = session.execute_many(index.insert(), values, 32);
    if (!outcome.failed.empty()) throw outcome.failed.front().error;
  }
  if (!empty || state == DerivedTableState::building) {
    session.execute(fmt::format("ALTER TABLE {} WITH comment = '{}';", cql_name(people), kCompleteComment));
    session.await_schema_agreement();
  }
  return built;
}

}  // namespace ratingstream::store
