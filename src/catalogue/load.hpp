#pragma once
// Reading the catalogue CSV (docs/contract.md, "The catalogue and the join").

#include <filesystem>
#include <string>
#include <string_view>

#include "catalogue/catalogue.hpp"

namespace ratingstream::catalogue {

// The header a catalogue file must start with, column for column.
inline constexpr std::string_view kCatalogueHeader = "show_id,title,director,country,release_year,rating,duration";

// Reads the catalogue from CSV text; `source` names it in messages (the file's path).
// Throws InputError with "<source>:<line>: <what is wrong>; <how to fix it>" for text that is not
// UTF-8 (UTF-16, UTF-32, Latin-1...) or is binary, a record longer than csv::kMaxRecordBytes, a
// header that is not exactly kCatalogueHeader (naming the column that is missing, repeated,
// unknown or out of place), a row without exactly 7 columns, a release_year or duration that is
// not a whole number (duration also not negative), an empty title or broken CSV quoting; and
// "<source>: ..." when there is no film at all. Messages never hold the file's raw bytes:
// fields are quoted short, with control characters as '?'.
Catalogue parse_catalogue(std::string_view csv_text, std::string_view source);

// Reads the catalogue file at `path` with parse_catalogue, and logs one warning listing the
// titles found more than once (the first row of each is used). Throws InputError naming the
// path when the file is missing, unreadable, empty, larger than csv::kMaxFileBytes, or starts
// with bytes that are not UTF-8 text (refused as soon as they are read).
Catalogue load_catalogue(const std::filesystem::path& path);

// "2 titles occur more than once; the first row of each is used: "15-Aug" (lines 3, 9), ..."
std::string describe_duplicates(const Catalogue& catalogue);

}  // namespace ratingstream::catalogue
