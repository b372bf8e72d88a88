#include "catalogue/catalogue.hpp"

#include <absl/strings/string_view.h>

#include <algorithm>

namespace ratingstream::catalogue {
namespace {

// Debian's Abseil has its own string_view (it was built before C++17), which its string hash takes.
absl::string_view key(std::string_view title) { return {title.data(), title.size()}; }

}  // namespace

bool Catalogue::add(Film film) {
  const auto existing = films_.find(key(film.title));
  if (existing == films_.end()) {
    std::string title = film.title;
    films_.emplace(std::move(title), std::move(film));
    return true;
  }
  auto duplicate = std::find_if(duplicates_.begin(), duplicates_.end(),
                                [&](const DuplicateTitle& d) { return d.title == film.title; });
  if (duplicate == duplicates_.end()) {
    duplicates_.push_back({film.title, existing->second.line, {}});
    duplicate = std::prev(duplicates_.end());
  }
  duplicate->ignored_lines.push_back(film.line);
  return false;
}

const Film* Catalogue::find(std::string_view title) const {
  const auto it = films_.find(key(title));
  return it == films_.end() ? nullptr : &it->second;
}

}  // namespace ratingstream::catalogue
