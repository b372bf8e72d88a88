#pragma once
// The catalogue in memory: films by exact title, looked up once per rating without allocating.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
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
  // Unicode normalisation); nullptr when there is none.
  const Film* find(std::string_view title) const;

  std::size_t size() const { return films_.size(); }
  bool empty() const { return films_.empty(); }

  // Titles that occurred more than once, in the order their first duplicate was added.
  const std::vector<DuplicateTitle>& duplicate_titles() const { return duplicates_; }

 private:
  // Transparent hashing lets find() take a string_view without building a std::string.
  struct TitleHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view title) const { return std::hash<std::string_view>{}(title); }
  };

  std::unordered_map<std::string, Film, TitleHash, std::equal_to<>> films_;
  std::vector<DuplicateTitle> duplicates_;
};

}  // namespace ratingstream::catalogue
