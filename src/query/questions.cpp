#include "query/questions.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/setting.hpp"
#include "query/rollup_window.hpp"

namespace ratingstream::query {
namespace {

std::vector<std::string> all_columns() {
  std::vector<std::string> names;
  for (const auto& c : store::kRatingTableColumns) names.emplace_back(c.name);
  return names;
}

std::string select_list(const std::vector<std::string>& columns) {
  std::vector<std::string> quoted;
  quoted.reserve(columns.size());
  for (const auto& column : columns) quoted.push_back(store::quote_identifier(column));
  return fmt::format("{}", fmt::join(quoted, ", "));
}

const std::vector<std::string>& movie_columns() {
  static const std::vector<std::string> columns{"timestamp", "movie"};
  return columns;
}

// Writes every row of `rows` (a RowPager or WindowRows) to `out`; returns how many.
template <class Rows>
std::size_t copy_rows(Rows& rows, const std::vector<std::string>& columns, ResultWriter& out) {
  out.begin(columns);
  std::size_t count = 0;
  std::vector<Cell> cells;
  while (auto row = rows.next()) {
    cells.clear();
    for (auto& value : *row) cells.push_back(to_cell(std::move(value)));
    out.row(cells);
    ++count;
  }
  out.end();
  return count;
}

std::string_view window_where(const store::TableLayout& layout) {
  return layout.bucketed() ? "WHERE name = ? AND bucket = ? AND timestamp >= ? AND timestamp < ?"
                           : "WHERE name = ? AND timestamp >= ? AND timestamp < ?";
}

}  // namespace

std::string average_duration_cql(const store::TableRef& table, const store::TableLayout& layout) {
  return fmt::format("SELECT duration FROM {} {}", store::qualified_name(table, store::NameQuoting::for_cql),
                     window_where(layout));
}

std::string movies_cql(const store::TableRef& table, const store::TableLayout& layout) {
  return fmt::format("SELECT {} FROM {} {}", select_list(movie_columns()),
                     store::qualified_name(table, store::NameQuoting::for_cql), window_where(layout));
}

std::string ratings_cql(const store::TableRef& table, const store::TableLayout& layout) {
  return fmt::format("SELECT {} FROM {} {}", select_list(all_columns()),
                     store::qualified_name(table, store::NameQuoting::for_cql), window_where(layout));
}

std::string sample_cql(const store::TableRef& table) {
  return fmt::format("SELECT {} FROM {} LIMIT ?", select_list(all_columns()),
                     store::qualified_name(table, store::NameQuoting::for_cql));
}

Questions::Questions(store::Session& session, store::TableRef table, int page_size, RollupUse rollups)
    : session_(session), table_(std::move(table)), page_size_(page_size), rollup_use_(rollups) {}

const store::PreparedStatement& Questions::prepare(const std::string& cql) {
  const std::lock_guard lock(prepared_mutex_);
  if (const auto it = prepared_.find(cql); it != prepared_.end()) return it->second;
  try {
    return prepared_.emplace(cql, session_.prepare(cql, store::Idempotence::idempotent)).first->second;
  } catch (const store::Error& e) {
    // The usual cause is a keyspace or table that is not there (yet): say which, and the fix.
    if (e.kind() != store::ErrorKind::invalid_query) throw;
    throw RuntimeFailure(fmt::format("cannot query {}: {} (is {}/{} right? `ratingstream schema` creates the table)",
                                     store::qualified_name(table_, store::NameQuoting::as_given), e.what(),
                                     Setting::keyspace, Setting::table));
  }
}

const store::TableLayout& Questions::layout() {
  const std::lock_guard lock(prepared_mutex_);
  if (!layout_) layout_ = store::detect_table_layout(session_, table_);
  return *layout_;
}

WindowRows Questions::window_rows(const store::PreparedStatement& statement, std::string_view name,
                                  const TimeWindow& window) {
  return WindowRows(layout(), window, [this, &statement, name](const WindowPart& part) {
    if (!part.bucket) {
      const store::BoundValue values[] = {store::BoundValue::of_text(name),
                                          store::BoundValue::of_timestamp(part.window.from),
                                          store::BoundValue::of_timestamp(part.window.to)};
      return session_.query(statement, values, page_size_);
    }
    const store::BoundValue values[] = {store::BoundValue::of_text(name), store::BoundValue::of_timestamp(*part.bucket),
                                        store::BoundValue::of_timestamp(part.window.from),
                                        store::BoundValue::of_timestamp(part.window.to)};
    return session_.query(statement, values, page_size_);
  });
}

store::HourRollups* Questions::rollups() {
  const auto& table_layout = layout();
  const std::lock_guard lock(prepared_mutex_);
  if (!rollups_read_) {
    if (rollup_use_ == RollupUse::when_complete &&
        store::read_rollup_state(session_, table_) == store::RollupState::complete) {
      retention_ = store::read_retention(session_, table_);
      rollups_ = std::make_unique<store::HourRollups>(session_, table_, table_layout, retention_);
    }
    rollups_read_ = true;
  }
  return rollups_.get();
}

bool Questions::uses_rollups() { return rollups() != nullptr; }

void Questions::add_raw_rows(std::string_view name, const TimeWindow& window, DurationAverage& average) {
  auto rows = window_rows(prepare(average_duration_cql(table_, layout())), name, window);
  while (auto row = rows.next()) {
    const store::Value& duration = row->at(0);
    if (const auto* minutes = std::get_if<std::int32_t>(&duration)) {
      average.add(*minutes);
    } else if (std::holds_alternative<std::monostate>(duration)) {
      average.add(std::nullopt);
    } else {
      throw RuntimeFailure(fmt::format("{}: column duration is not an int; is this the ratings table?",
                                       store::qualified_name(table_, store::NameQuoting::as_given)));
    }
  }
}

DurationAverage Questions::average_duration(std::string_view name, const TimeWindow& window) {
  DurationAverage average;
  store::HourRollups* hourly = rollups();
  if (hourly == nullptr || !(window.from.millis < window.to.millis)) {
    add_raw_rows(name, window, average);
    return average;
  }
  // The whole hours from the rollups, the rest from the raw rows (docs/data-over-time.md).
  const RollupSplit split = split_for_rollups(window);
  std::vector<TimeWindow> raw = split.edges;
  if (split.whole_hours) {
    store::Timestamp from = split.whole_hours->from;
    const store::Timestamp to = split.whole_hours->to;
    if (retention_) {
      // An hour's rollup expires with its first rows, the last ones up to an hour later: the hours
      // near the retention horizon are read raw.
      const std::int64_t now = millis_since_epoch(real_clock().wall_now());
      const std::int64_t horizon =
          store::hour_of(store::Timestamp{now - retention_->count() * 1000}).millis + 2 * store::kMillisPerHour;
      if (from.millis < horizon) {
        const store::Timestamp cut{std::min(horizon, to.millis)};
        raw.push_back({from, cut});
        from = cut;
      }
    }
    if (from.millis < to.millis) {
      // The marks first: a rollup read after them is at least as new as what they describe.
      const auto marked = hourly->marked_hours(name, from, to);
      for (const auto& [hour, summary] : hourly->summaries(name, from, to)) {
        if (marked.count(hour) == 0)
          average.add_counted(summary.ratings, summary.ratings - summary.with_duration, summary.duration_sum);
      }
      // Marked hours, adjacent ones together, from the raw rows.
      for (auto it = marked.begin(); it != marked.end();) {
        const std::int64_t start = *it;
        std::int64_t end = start + store::kMillisPerHour;
        for (++it; it != marked.end() && *it == end; ++it) end += store::kMillisPerHour;
        raw.push_back({store::Timestamp{start}, store::Timestamp{end}});
      }
    }
  }
  for (const auto& part : raw) add_raw_rows(name, part, average);
  return average;
}

std::size_t Questions::movies(std::string_view name, const TimeWindow& window, ResultWriter& out) {
  auto rows = window_rows(prepare(movies_cql(table_, layout())), name, window);
  return copy_rows(rows, movie_columns(), out);
}

std::size_t Questions::ratings(std::string_view name, const TimeWindow& window, ResultWriter& out) {
  auto rows = window_rows(prepare(ratings_cql(table_, layout())), name, window);
  return copy_rows(rows, all_columns(), out);
}

std::size_t Questions::sample(int limit, ResultWriter& out) {
  const auto& statement = prepare(sample_cql(table_));
  const store::BoundValue values[] = {store::BoundValue::of_int32(limit)};
  auto pager = session_.query(statement, values, page_size_);
  return copy_rows(pager, all_columns(), out);
}

ResultTable average_duration_result(std::string_view name, const TimeWindow& window, const DurationAverage& average) {
  ResultTable result;
  result.columns = {"name", "from", "to", "ratings", "without_duration", "avg_duration"};
  const auto avg = average.average();
  result.rows.push_back({Cell(std::string(name)), Cell(window.from), Cell(window.to), Cell(average.rows()),
                         Cell(average.without_duration()), avg ? Cell(*avg) : Cell(std::monostate{})});
  return result;
}

}  // namespace ratingstream::query
