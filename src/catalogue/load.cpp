#include "catalogue/load.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>

#include "common/errors.hpp"
#include "csv/csv_reader.hpp"

namespace ratingstream::catalogue {
namespace {

constexpr std::array<std::string_view, 7> kColumns{"show_id", "title",  "director", "country",
                                                   "release_year", "rating", "duration"};

// A field quoted for a one-line message: at most 40 bytes, line breaks and controls as '?'.
std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::size_t end = std::min(text.size(), kMax);
  while (end < text.size() && end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  std::string out = "\"";
  for (std::size_t i = 0; i < end; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.push_back(c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c));
  }
  out += end < text.size() ? "...\"" : "\"";
  return out;
}

std::optional<std::int32_t> whole_number(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::int32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string at(std::string_view source, std::size_t line) {
  return std::string(source) + ":" + std::to_string(line) + ": ";
}

void check_header(const csv::Record& record, std::string_view source) {
  bool same = record.fields.size() == kColumns.size();
  for (std::size_t i = 0; same && i < kColumns.size(); ++i) same = record.fields[i] == kColumns[i];
  if (same) return;
  std::string found;
  for (const auto& field : record.fields) found += (found.empty() ? "" : ",") + field;
  throw InputError(at(source, record.line) + "the first line is " + shown(found) +
                   ", not the catalogue header; the file must start with the line " +
                   std::string(kCatalogueHeader));
}

Film to_film(const csv::Record& record, std::string_view source) {
  const auto& f = record.fields;
  if (f.size() != kColumns.size()) {
    throw InputError(at(source, record.line) + "expected 7 columns (" + std::string(kCatalogueHeader) +
                     "), found " + std::to_string(f.size()) +
                     "; put double quotes around a field that holds a comma");
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
    throw InputError(std::string("cannot read the catalogue ") + e.what() +
                     "; pass a readable CSV file with --catalog");
  }
  Catalogue catalogue = parse_catalogue(text, path.string());
  if (!catalogue.duplicate_titles().empty()) {
    spdlog::warn("catalogue {}: {}", path.string(), describe_duplicates(catalogue));
  }
  return catalogue;
}

std::string describe_duplicates(const Catalogue& catalogue) {
  const auto& duplicates = catalogue.duplicate_titles();
  std::string text = std::to_string(duplicates.size()) +
                     (duplicates.size() == 1 ? " title occurs" : " titles occur") +
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
