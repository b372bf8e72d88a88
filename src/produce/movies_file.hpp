#pragma once
// The movies file: one title per line, no header, CSV quoting for titles that hold a comma or a
// quote, UTF-8 (docs/contract.md, "The catalogue and the join"). Read once at start.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ratingstream::produce {

// The titles in file order (a title listed twice is kept twice). Blank lines are skipped.
// Every title must make messages the processor accepts (message_check.hpp) when sent by
// `longest_name`, the longest name that rates (longest_name()); empty checks each title on its
// own, as sent by a one-letter name.
// Throws InputError naming the path (and line) when the file is missing, unreadable, larger than
// csv::kMaxFileBytes, not UTF-8 text (UTF-16, binary: refused from its first bytes), not valid
// CSV, holds a line longer than csv::kMaxRecordBytes or with more than one field, a title the
// processor would refuse, or no titles at all. Messages never hold the file's raw bytes.
std::vector<std::string> load_movies(const std::filesystem::path& path, std::string_view longest_name = {});

}  // namespace ratingstream::produce
