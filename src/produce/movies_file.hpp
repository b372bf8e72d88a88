#pragma once
// The movies file: one title per line, no header, CSV quoting for titles that hold a comma or a
// quote, UTF-8 (SPEC: Input files). Read once at start.

#include <filesystem>
#include <string>
#include <vector>

namespace ratingstream::produce {

// The titles in file order (a title listed twice is kept twice). Blank lines are skipped. Throws
// InputError naming the path (and line) when the file is missing, unreadable, not valid CSV, holds
// a line with more than one field, is not UTF-8, or has no titles at all.
std::vector<std::string> load_movies(const std::filesystem::path& path);

}  // namespace ratingstream::produce
