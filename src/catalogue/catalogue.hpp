#pragma once
// The catalogue in memory: films by exact title, looked up once per rating without allocating.

#include <absl/container/flat_hash_map.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue/film.hpp"

namespace ratingstream::catalogue {

// A title found on more than one row: the first row is used, the others are ignored.
struct DuplicateTitle {
  std::string title;
  std::size_t kept_line = 0;
  std::vector<std::size_t> ignored_lines;
};

class Catalogue {
 public:
  // Adds `film` under its title. When the title is already there the earlier film stays (the
  // first row wins: docs/contract.md, "The catalogue and the join"), the duplicate is recorded and
  // false is returned.
  bool add(Film film);

  // The film whose title is exactly `title` (byte for byte: no trimming, no case folding, no
  // Unicode normalisation); nullptr when there is none. The pointer stays valid until the next
  // add(): films live in the table itself.
  const Film* find(std::string_view title) const;

  std::size_t size() const { return films_.size(); }
  bool empty() const { return films_.empty(); }

  // Titles that occurred more than once, in the order their first duplicate was added.
  const std::vector<DuplicateTitle>& duplicate_titles() const { return duplicates_; }

 private:
  // An open-addressing table: a lookup probes one group of slots, where std::unordered_map walked
  // a bucket's linked nodes (a tenth of the hot path's time under perf); BM_lookup halves. It hashes a
  // string_view without building a std::string.
  absl::flat_hash_map<std::string, Film> films_;
  std::vector<DuplicateTitle> duplicates_;
};

}  // namespace ratingstream::catalogue
