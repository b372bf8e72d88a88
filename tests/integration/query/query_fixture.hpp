#pragma once
// Shared by the `query` integration tests: a keyspace of their own with the ratings table, rows of
// known values written straight to Cassandra, and `ratingstream query` run against it.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "process/row.hpp"
#include "store/schema.hpp"
#include "store/session.hpp"
#include "test_support.hpp"

namespace ratingstream::query_test {

namespace rs_testing = ratingstream::testing;  // not gtest's ::testing

// Milliseconds since the epoch of a UTC wall-clock time.
inline std::int64_t utc_ms(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
  using namespace std::chrono;
  const sys_days day{year{y} / month{mo} / d};
  return duration_cast<milliseconds>(day.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms})
      .count();
}

// One row of the table; a film nullopt is a left-join row (catalogue columns null).
struct KnownRow {
  std::string name;
  std::int64_t timestamp_ms = 0;
  std::string movie;
  std::int32_t rating_movie = 0;
  struct Film {
    std::string show_id, director, country, rating;
    std::int32_t release_year = 0;
    std::int32_t duration = 0;
  };
  std::optional<Film> film;
};

// A row id that differs per row and reads back as a known text.
inline store::Uuid row_uuid(std::uint32_t n) {
  store::Uuid u{};
  for (int k = 0; k < 4; ++k) u[12 + k] = static_cast<std::uint8_t>(n >> (24 - 8 * k));
  u[0] = 0xab;
  u[6] = 0x40;  // version 4
  u[8] = 0x80;  // RFC 4122 variant
  return u;
}

inline void insert_rows(store::Session& session, const store::TableRef& table, const std::vector<KnownRow>& rows,
                        std::uint32_t first_id, const store::TableLayout& layout = {}) {
  // The processor's own statement: the values below follow the table's declared order.
  auto statement = session.prepare(process::insert_statement(table.keyspace, table.table, layout));
  std::vector<store::BoundValue> values;
  values.reserve(rows.size() * process::kRowColumnCount);
  std::uint32_t id = first_id;
  for (const auto& r : rows) {
    using store::BoundValue;
    values.push_back(BoundValue::of_text(r.name));
    if (layout.bucketed()) {
      values.push_back(BoundValue::of_timestamp(store::bucket_start(*layout.bucket, store::Timestamp{r.timestamp_ms})));
    }
    values.push_back(BoundValue::of_timestamp(store::Timestamp{r.timestamp_ms}));
    values.push_back(BoundValue::of_uuid(row_uuid(id++)));
    values.push_back(r.film ? BoundValue::of_text(r.film->country) : BoundValue::null());
    values.push_back(r.film ? BoundValue::of_text(r.film->director) : BoundValue::null());
    values.push_back(r.film ? BoundValue::of_int32(r.film->duration) : BoundValue::null());
    values.push_back(BoundValue::of_text(r.movie));
    values.push_back(r.film ? BoundValue::of_text(r.film->rating) : BoundValue::null());
    values.push_back(BoundValue::of_int32(r.rating_movie));
    values.push_back(r.film ? BoundValue::of_int32(r.film->release_year) : BoundValue::null());
    values.push_back(r.film ? BoundValue::of_text(r.film->show_id) : BoundValue::null());
  }
  const auto outcome = session.execute_many(statement, values, 64);
  ASSERT_TRUE(outcome.failed.empty()) << outcome.failed.front().error.what();
  ASSERT_EQ(outcome.succeeded, rows.size());
}

// `ratingstream query <args> --keyspace <keyspace>`.
inline rs_testing::CommandResult run_query(const std::string& keyspace, std::vector<std::string> args) {
  args.insert(args.begin(), "query");
  args.push_back("--keyspace");
  args.push_back(keyspace);
  return rs_testing::run_ratingstream(args);
}

// The lines of a text, without their '\n'.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    auto line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CSV records end in CRLF
    lines.push_back(std::move(line));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

}  // namespace ratingstream::query_test
