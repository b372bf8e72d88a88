#include "produce/movies_file.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "common/errors.hpp"
#include "csv/csv_reader.hpp"

namespace ratingstream::produce {
namespace {

bool is_blank(const std::string& text) { return text.find_first_not_of(" \t\r") == std::string::npos; }

}  // namespace

std::vector<std::string> load_movies(const std::filesystem::path& path) {
  std::string text;
  try {
    text = csv::read_file(path);
  } catch (const csv::FileError& e) {
    throw InputError(fmt::format("movies file {}; pass --movies FILE", e.what()));
  }

  std::vector<std::string> titles;
  try {
    csv::for_each_record(text, [&](const csv::Record& record) {
      if (record.fields.size() != 1) {
        throw InputError(fmt::format(
            "movies file {}:{}: {} fields where one title is expected; quote a title that holds a "
            "comma, e.g. \"Love, Death & Robots\"",
            path.string(), record.line, record.fields.size()));
      }
      const std::string& title = record.fields.front();
      // Whitespace-only lines count as blank lines: a title made of spaces is not a title.
      if (is_blank(title)) return;
      // Every title goes into JSON verbatim, and JSON text must be UTF-8.
      if (!simdjson::validate_utf8(title.data(), title.size())) {
        throw InputError(fmt::format("movies file {}:{}: the title is not valid UTF-8; save the file as UTF-8",
                                     path.string(), record.line));
      }
      titles.push_back(title);
    });
  } catch (const csv::ParseError& e) {
    throw InputError(fmt::format("movies file {}:{}: {}", path.string(), e.line(), e.what()));
  }
  if (titles.empty()) {
    throw InputError(fmt::format("movies file {}: no titles; expected one title per line", path.string()));
  }
  return titles;
}

}  // namespace ratingstream::produce
