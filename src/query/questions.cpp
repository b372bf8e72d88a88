#include "query/questions.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.hpp"
#include "common/setting.hpp"

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

Questions::Questions(store::Session& session, store::TableRef table, int page_size)
    : session_(session), table_(std::move(table)), page_size_(page_size) {}

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

DurationAverage Questions::average_duration(std::string_view name, const TimeWindow& window) {
  auto rows = window_rows(prepare(average_duration_cql(table_, layout())), name, window);
  DurationAverage average;
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
