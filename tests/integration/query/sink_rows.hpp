#pragma once
// Rows as the processor makes them, for tests that write through its own sink
// (process::CassandraSink): matched to one of 40 films, or (one in seven) left-joined.

#include <string>
#include <vector>

#include "catalogue/film.hpp"
#include "process/row.hpp"

namespace ratingstream::query_test {

inline const std::vector<catalogue::Film>& sink_films() {
  static const std::vector<catalogue::Film> all = [] {
    std::vector<catalogue::Film> f;
    for (int i = 0; i < 40; ++i)
      f.push_back({"s" + std::to_string(i), "Film " + std::to_string(i), "D", "C", 2000, "R", 60 + i * 7, 0});
    return f;
  }();
  return all;
}

// Row `n` of `name`, rated at `at_ms`.
inline process::Row sink_row(const std::string& name, std::int64_t at_ms, int n) {
  process::Row row;
  row.name = name;
  row.timestamp = store::Timestamp{at_ms};
  row.rating_movie = n % 10 + 1;
  if (n % 7 == 0) {
    row.unmatched_movie = "Not A Film " + std::to_string(n);
  } else {
    row.film = &sink_films()[static_cast<std::size_t>(n) % sink_films().size()];
  }
  row.id = process::row_id(row.name, at_ms * 1000, row.movie(), row.rating_movie);
  return row;
}

}  // namespace ratingstream::query_test
