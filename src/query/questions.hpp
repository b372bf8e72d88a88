#pragma once
// The questions the table answers (docs/contract.md, "Questions the table answers"), as
// prepared, paged CQL: one person's slice of the partition for Q1, Q2 and `ratings`, any rows for
// the sample.
// Every row of any size of result is read, page by page.

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "query/duration_average.hpp"
#include "query/output.hpp"
#include "query/time_window.hpp"
#include "query/window_rows.hpp"
#include "store/hour_rollups.hpp"
#include "store/schema.hpp"
#include "store/session.hpp"

namespace ratingstream::query {

// Cassandra's own default page size (and cqlsh's), rows per request.
inline constexpr int kDefaultPageSize = 5000;

// The statements, with the table's names quoted as CQL needs them. The window is always
// `timestamp >= ? AND timestamp < ?`: [from, to); in a bucketed table after `bucket = ?`.
std::string average_duration_cql(const store::TableRef& table,
                                 const store::TableLayout& layout = {});  // Q1, without AVG (see DurationAverage)
std::string movies_cql(const store::TableRef& table, const store::TableLayout& layout = {});   // Q2
std::string ratings_cql(const store::TableRef& table, const store::TableLayout& layout = {});  // every column
std::string sample_cql(const store::TableRef& table);                                          // every column, LIMIT ?

// Whether Q1 reads the whole hours of its window from the table's hourly rollups when it has
// complete ones (docs/data-over-time.md, "Hourly rollups"), or always scans the raw rows.
enum class RollupUse { when_complete, never };

class Questions {
 public:
  // `session` must outlive this object. The table's layout, retention and rollups are read from
  // it at the first question (store::detect_table_layout).
  Questions(store::Session& session, store::TableRef table, int page_size = kDefaultPageSize,
            RollupUse rollups = RollupUse::when_complete);

  // Q1: the durations of `name`'s ratings in `window`, averaged exactly: the same figures from
  // the rollups as from the raw rows.
  DurationAverage average_duration(std::string_view name, const TimeWindow& window);
  // Whether Q1 reads rollups on this table (reads the table's state at the first call).
  bool uses_rollups();

  // Q2: `timestamp` and `movie` of `name`'s ratings in `window`, newest first (the table's
  // clustering order). Returns the number of rows written.
  std::size_t movies(std::string_view name, const TimeWindow& window, ResultWriter& out);

  // Every column of `name`'s ratings in `window`, newest first.
  std::size_t ratings(std::string_view name, const TimeWindow& window, ResultWriter& out);

  // Every column of at most `limit` rows (limit >= 1), in the order Cassandra returns them
  // (token order of the names, then each person's newest first).
  std::size_t sample(int limit, ResultWriter& out);

 private:
  // Each statement is prepared once per Questions (the dashboard asks the same ones again and
  // again) and kept; safe from several threads.
  const store::PreparedStatement& prepare(const std::string& cql);
  const store::TableLayout& layout();
  // The rollups Q1 reads, nullptr when it scans (read once, like the layout).
  store::HourRollups* rollups();
  // Adds `name`'s raw rows of `window` to `average`.
  void add_raw_rows(std::string_view name, const TimeWindow& window, DurationAverage& average);
  // `name`'s rows of `window` by `statement` (the window's CQL for this layout), newest first.
  WindowRows window_rows(const store::PreparedStatement& statement, std::string_view name, const TimeWindow& window);

  store::Session& session_;
  store::TableRef table_;
  int page_size_;
  std::mutex prepared_mutex_;
  std::map<std::string, store::PreparedStatement> prepared_;  // by CQL text; nodes never move
  std::optional<store::TableLayout> layout_;                  // guarded by prepared_mutex_
  RollupUse rollup_use_;
  bool rollups_read_ = false;  // guarded by prepared_mutex_, as the two below
  std::unique_ptr<store::HourRollups> rollups_;
  std::optional<std::chrono::seconds> retention_;
};

// Q1's answer as a one-row result: name, from, to, ratings (rows in the window),
// without_duration (rows whose duration is null, left out of the average), avg_duration
// (two decimals, null when no row has a duration).
ResultTable average_duration_result(std::string_view name, const TimeWindow& window, const DurationAverage& average);

}  // namespace ratingstream::query
