#include "catalogue/load.hpp"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/errors.hpp"
#include "common/setting.hpp"
#include "common/text.hpp"
#include "csv/csv_reader.hpp"

namespace ratingstream::catalogue {
namespace {

constexpr std::array<std::string_view, 7> kColumns{"show_id",      "title",  "director", "country",
                                                   "release_year", "rating", "duration"};

// A field quoted for a one-line message: at most 40 bytes, cut on a character boundary, with
// line breaks and other control characters (C0, DEL and C1, which terminals act on) as '?'. The
// text is UTF-8 (for_each_record checks it), so nothing else can disturb a terminal.
std::string shown(std::string_view text) {
  return excerpt(text, {.longest = 40, .non_ascii = NonAscii::keep_utf8_but_c1, .quote = '"'});
}

std::optional<std::int32_t> whole_number(std::string_view text) {
  text = trim(text);
  std::int32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string at(std::string_view source, std::size_t line) {
  return std::string(source) + ":" + std::to_string(line) + ": ";
}

// What is wrong with a first line that is not exactly the header, most telling first: columns
// that are missing, one given twice, one in the wrong place, one that is not a catalogue column.
std::string header_problem(const std::vector<std::string>& fields) {
  const auto position = [&](std::string_view name) {
    return static_cast<std::size_t>(std::find(fields.begin(), fields.end(), name) - fields.begin());
  };
  std::vector<std::string_view> missing;
  for (const auto column : kColumns) {
    if (position(column) == fields.size()) missing.push_back(column);
  }
  if (missing.size() == kColumns.size()) {
    return "the first line is " + shown(fmt::format("{}", fmt::join(fields, ","))) + ", not the catalogue header";
  }
  if (!missing.empty()) {
    std::string problem = std::string("the header has no column") + (missing.size() == 1 ? " " : "s ") +
                          fmt::format("{}", fmt::join(missing, ", "));
    const auto first_missing =
        static_cast<std::size_t>(std::find(kColumns.begin(), kColumns.end(), missing.front()) - kColumns.begin());
    if (first_missing < fields.size()) {
      problem += " (column " + std::to_string(first_missing + 1) + " is " + shown(fields[first_missing]) + ")";
    }
    return problem;
  }
  const auto is_column = [](std::string_view name) {
    return std::find(kColumns.begin(), kColumns.end(), name) != kColumns.end();
  };
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (is_column(fields[i]) && position(fields[i]) < i) {
      return "column " + std::to_string(i + 1) + " is " + shown(fields[i]) + " again";
    }
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!is_column(fields[i]))
      return "column " + std::to_string(i + 1) + " " + shown(fields[i]) + " is not a catalogue column";
  }
  // Every column once and nothing else, so only the order is wrong.
  std::size_t i = 0;
  while (fields[i] == kColumns[i]) ++i;
  return "the column " + std::string(kColumns[i]) + " is column " + std::to_string(position(kColumns[i]) + 1) +
         ", where it must be column " + std::to_string(i + 1);
}

void check_header(const csv::Record& record, std::string_view source) {
  bool same = record.fields.size() == kColumns.size();
  for (std::size_t i = 0; same && i < kColumns.size(); ++i) same = record.fields[i] == kColumns[i];
  if (same) return;
  throw InputError(at(source, record.line) + header_problem(record.fields) + "; the file must start with the line " +
                   std::string(kCatalogueHeader));
}

// "<source>[:<line>]: <what the bytes are>; <what the file must be>".
InputError text_error(std::string_view source, const csv::TextError& e) {
  const std::string where = e.line() == 0 ? std::string(source) + ": " : at(source, e.line());
  const std::string must_be =
      "a catalogue is a UTF-8 CSV file that starts with the line " + std::string(kCatalogueHeader);
  if (e.problem() == csv::TextProblem::other_encoding) {
    return InputError(where + e.what() + "; save it as UTF-8 (" + must_be + ")");
  }
  return InputError(where + e.what() + "; " + must_be);
}

Film to_film(const csv::Record& record, std::string_view source) {
  const auto& f = record.fields;
  if (f.size() != kColumns.size()) {
    throw InputError(at(source, record.line) + "expected 7 columns (" + std::string(kCatalogueHeader) + "), found " +
                     std::to_string(f.size()) + "; put double quotes around a field that holds a comma");
  }
  if (f[1].empty()) {
    throw InputError(at(source, record.line) + "the title is empty; every row needs the film's title");
  }
  const auto release_year = whole_number(f[4]);
  if (!release_year) {
    throw InputError(at(source, record.line) + "release_year " + shown(f[4]) +
                     " is not a whole number; write the year in digits, e.g. 2019");
  }
  const auto duration = whole_number(f[6]);
  if (!duration || *duration < 0) {
    throw InputError(at(source, record.line) + "duration " + shown(f[6]) +
                     " is not a whole number of minutes; write the minutes in digits, e.g. 90");
  }
  return Film{f[0], f[1], f[2], f[3], *release_year, f[5], *duration, record.line};
}

}  // namespace

Catalogue parse_catalogue(std::string_view csv_text, std::string_view source) {
  Catalogue catalogue;
  bool header_seen = false;
  try {
    csv::for_each_record(csv_text, [&](const csv::Record& record) {
      if (!header_seen) {
        check_header(record, source);
        header_seen = true;
        return;
      }
      catalogue.add(to_film(record, source));
    });
  } catch (const csv::TextError& e) {
    throw text_error(source, e);
  } catch (const csv::ParseError& e) {
    throw InputError(at(source, e.line()) + "broken CSV (" + e.what() +
                     "); put double quotes around a field that holds a comma or a quote, and "
                     "double every quote inside it");
  }
  if (!header_seen) {
    throw InputError(std::string(source) + ": the catalogue is empty; it needs the header " +
                     std::string(kCatalogueHeader) + " and one row per film");
  }
  if (catalogue.empty()) {
    throw InputError(std::string(source) + ": the catalogue has a header but no films; add one row per film");
  }
  return catalogue;
}

Catalogue load_catalogue(const std::filesystem::path& path) {
  std::string text;
  try {
    text = csv::read_file(path);
  } catch (const csv::FileError& e) {
    throw InputError(
        fmt::format("cannot read the catalogue {}; pass a readable CSV file with {}", e.what(), Setting::catalog));
  } catch (const csv::TextError& e) {
    throw text_error(path.string(), e);
  }
  Catalogue catalogue = parse_catalogue(text, path.string());
  if (!catalogue.duplicate_titles().empty()) {
    spdlog::warn("catalogue {}: {}", path.string(), describe_duplicates(catalogue));
  }
  return catalogue;
}

std::string describe_duplicates(const Catalogue& catalogue) {
  const auto& duplicates = catalogue.duplicate_titles();
  std::string text = std::to_string(duplicates.size()) + (duplicates.size() == 1 ? " title occurs" : " titles occur") +
                     " more than once; the first row of each is used:";
  for (std::size_t i = 0; i < duplicates.size(); ++i) {
    const auto& d = duplicates[i];
    text += (i == 0 ? " " : ", ") + shown(d.title) + " (lines " + std::to_string(d.kept_line);
    for (const auto line : d.ignored_lines) text += ", " + std::to_string(line);
    text += ")";
  }
  return text;
}

}  // namespace ratingstream::catalogue
