#pragma once
// Q1's figure: the exact average of the `duration` values of a window, in hundredths.
//
// CQL's AVG over an `int` column averages in `int` arithmetic and truncates (AVG of 90 and 91
// is 90), and it needs the whole window in one request. This sums the values one by one as the
// pages arrive, in 64-bit integers (exact for any number of rows a window can hold), and
// rounds once, at the end.

#include <cstdint>
#include <optional>

#include "query/cell.hpp"

namespace ratingstream::query {

class DurationAverage {
 public:
  // One row of the window; nullopt is a null duration (a left-join row, whose movie is not in
  // the catalogue): counted in rows() and without_duration(), not in the average.
  void add(std::optional<std::int32_t> duration);
  // Rows counted elsewhere (an hour's rollup): `rows` rows, `without_duration` of them with a
  // null duration, the others' durations summing to `sum`.
  void add_counted(std::int64_t rows, std::int64_t without_duration, std::int64_t sum);

  std::int64_t rows() const { return rows_; }
  std::int64_t without_duration() const { return without_duration_; }
  std::int64_t sum() const { return sum_; }

  // sum / (rows with a duration), rounded half away from zero to two decimals; nullopt when no
  // row has a duration (an average of nothing is not 0).
  std::optional<Hundredths> average() const;

 private:
  std::int64_t rows_ = 0;
  std::int64_t without_duration_ = 0;
  std::int64_t sum_ = 0;
};

}  // namespace ratingstream::query
