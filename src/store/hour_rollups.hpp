#pragma once
// Hourly rollups of a ratings table (docs/data-over-time.md, "Hourly rollups"): per person and
// UTC hour, the figures Q1 needs, kept beside the raw rows in two tables:
//
//   <table>_hourly          name, hour, ratings, with_duration, duration_sum, rating_sum
//                           PRIMARY KEY ((name), hour), newest hour first
//   <table>_hourly_pending  name, hour, mark, marked_at
//                           PRIMARY KEY ((name), hour, mark)
//
// A rollup row is always a sum recomputed from every raw row of its hour and written whole,
// never incremented. A pending mark says "rows of this hour may be missing from its rollup": a
// writer marks the hours of its rows before it writes them and removes its mark only after a
// rollup read after its rows were acknowledged is stored. A reader uses an hour's rollup only
// when the hour has no mark, so it never uses a rollup that lacks rows the table has.
//
// Rollup rows are written `USING TIMESTAMP` the moment their raw rows were read: of two
// recomputations of an hour, the later read wins whatever order the writes arrive in.

#include <chrono>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/schema.hpp"
#include "store/session.hpp"
#include "store/table_layout.hpp"

namespace ratingstream::store {

inline constexpr std::int64_t kMillisPerHour = 3'600'000;

// The start of the UTC hour holding `t`.
Timestamp hour_of(Timestamp t);

// The two tables of a ratings table's rollups, in its keyspace. Throws InputError when a name
// would pass Cassandra's 48 characters (fits_rollups false: a name over 33).
struct RollupTables {
  TableRef hourly;
  TableRef pending;
};
RollupTables rollup_tables_of(const TableRef& ratings);
bool fits_rollups(const TableRef& ratings);

// Whether a ratings table has rollups, read from the rollup table's comment. complete: every hour
// with rows has its rollup or a pending mark, and Q1 uses them.
using RollupState = DerivedTableState;
std::string_view rollup_state_name(RollupState state);
RollupState read_rollup_state(Session& session, const TableRef& ratings);

std::string create_hourly_table_cql(const RollupTables& tables, RollupState state);
std::string create_pending_table_cql(const RollupTables& tables);
// ALTER TABLE ... WITH comment: `state` is building or complete.
std::string set_rollup_state_cql(const RollupTables& tables, RollupState state);

// What Q1 needs of one hour: every rating, those whose film has a duration, the sum of those
// durations (minutes) and the sum of the persons' ratings.
struct HourSummary {
  std::int64_t ratings = 0;
  std::int64_t with_duration = 0;
  std::int64_t duration_sum = 0;
  std::int64_t rating_sum = 0;
  // One raw row: its duration (nullopt: null) and its rating_movie (nullopt: null).
  void add(std::optional<std::int32_t> duration, std::optional<std::int32_t> rating);
  void add(const HourSummary& other);
  friend bool operator==(const HourSummary&, const HourSummary&) = default;
};

// One person's hour.
struct HourKey {
  std::string name;
  Timestamp hour;
  friend auto operator<=>(const HourKey& a, const HourKey& b) {
    if (const auto c = a.name <=> b.name; std::is_neq(c)) return c;
    return a.hour.millis <=> b.hour.millis;
  }
  friend bool operator==(const HourKey&, const HourKey&) = default;
};

// A pending mark as read back.
struct PendingMark {
  HourKey key;
  Uuid mark{};
  Timestamp marked_at;
};

// Hours recomputed from one read of their raw rows, at most.
inline constexpr std::int64_t kMaxHoursPerRead = 24;
// Whether the hour starting at `later` may be read with the one at `first` (first <= later): within
// kMaxHoursPerRead of it and, in a bucketed table, in its bucket.
bool hours_read_together(const TableLayout& layout, Timestamp first, Timestamp later);

// The statements on a ratings table's rollups, prepared once. `session` must outlive this.
class HourRollups {
 public:
  // Prepares the statements (throws Error). `retention`: the ratings table's; rollup rows then
  // expire with the first rows of their hour.
  HourRollups(Session& session, const TableRef& ratings, const TableLayout& layout,
              std::optional<std::chrono::seconds> retention);

  // The summary of every raw row of `key`'s hour, read now (paged).
  HourSummary summarise(const HourKey& key);
  // Stores `summary` as the rollup of `key`, USING TIMESTAMP `read_at_micros` (the moment its
  // rows were read); an hour without rows deletes the rollup row at that time instead. `now` is
  // for the time to live; nothing is written for an hour already past retention.
  void store(const HourKey& key, const HourSummary& summary, std::int64_t read_at_micros, Timestamp now);
  // summarise then store, with the read time taken just before the read.
  void recompute(const HourKey& key);
  // recompute for several hours of one person in one read: `hours` rising, all within
  // kMaxHoursPerRead and, in a bucketed table, one bucket (hours_read_together says which).
  void recompute(const std::string& name, std::span<const Timestamp> hours);

  // The INSERT of one mark, for execute_many: values name, hour, mark, marked_at.
  const PreparedStatement& mark_insert() const { return mark_insert_; }
  // Removes these marks of `key` (one request).
  void remove_marks(const HourKey& key, std::span<const Uuid> marks);
  // Removes marks[i] of `name`'s hours[i], for every i (one request: one partition).
  void remove_marks(const std::string& name, std::span<const Timestamp> hours,
                    std::span<const std::vector<Uuid>> marks);
  // Every mark of the table (the sweep after a processor stopped without removing its own).
  std::vector<PendingMark> all_marks();

  // Q1's reads: `name`'s rollups of the hours starting in [from, to), by hour start; the hours of
  // [from, to) with a mark.
  std::map<std::int64_t, HourSummary> summaries(std::string_view name, Timestamp from, Timestamp to);
  std::set<std::int64_t> marked_hours(std::string_view name, Timestamp from, Timestamp to);

 private:
  PreparedStatement prepare(const std::string& cql);
  // store for several hours of `name` (by hour start), in one batch of each kind.
  void store_all(const std::string& name, const std::map<std::int64_t, HourSummary>& by_hour,
                 std::int64_t read_at_micros, Timestamp now);

  Session& session_;
  TableLayout layout_;
  std::optional<std::chrono::seconds> retention_;
  RollupTables tables_;  // before the statements, which name its tables
  PreparedStatement raw_hour_;
  PreparedStatement rollup_insert_;
  PreparedStatement rollup_delete_;
  PreparedStatement mark_insert_;
  PreparedStatement mark_delete_;
  PreparedStatement marks_all_;
  PreparedStatement rollups_range_;
  PreparedStatement marks_range_;
};

// Gives `ratings` hourly rollups: creates the two tables when missing, and when the ratings
// table already has rows, builds the rollup of every hour that has some (marked "being built"
// meanwhile, so no question uses them half done) before marking them complete. Returns the hours
// built. Processors started before keep writing without marks: they must be restarted.
std::int64_t enable_rollups(Session& session, const TableRef& ratings, const TableLayout& layout,
                            std::optional<std::chrono::seconds> retention);

// The wall clock in microseconds since the epoch: Cassandra's write time.
std::int64_t micros_since_epoch();

}  // namespace ratingstream::store
