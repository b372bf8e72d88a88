#include "produce/movies_file.hpp"

#include <fmt/format.h>

#include "common/errors.hpp"
#include "common/setting.hpp"
#include "csv/csv_reader.hpp"
#include "produce/message_check.hpp"

namespace ratingstream::produce {
namespace {

bool is_blank(const std::string& text) { return text.find_first_not_of(" \t\r") == std::string::npos; }

constexpr std::string_view kWhatItIs = "a movies file is UTF-8 text with one title per line";

InputError text_error(const std::filesystem::path& path, const csv::TextError& e) {
  const std::string where = e.line() == 0 ? path.string() : fmt::format("{}:{}", path.string(), e.line());
  if (e.problem() == csv::TextProblem::other_encoding) {
    return InputError(fmt::format("movies file {}: {}; save it as UTF-8 ({})", where, e.what(), kWhatItIs));
  }
  return InputError(fmt::format("movies file {}: {}; {}", where, e.what(), kWhatItIs));
}

}  // namespace

std::vector<std::string> load_movies(const std::filesystem::path& path, std::string_view longest_name) {
  std::string text;
  try {
    text = csv::read_file(path);
  } catch (const csv::FileError& e) {
    throw InputError(fmt::format("movies file {}; pass {} FILE", e.what(), Setting::movies));
  } catch (const csv::TextError& e) {
    throw text_error(path, e);
  }

  const std::string_view sender = longest_name.empty() ? std::string_view("x") : longest_name;
  std::vector<std::string> titles;
  try {
    csv::for_each_record(text, [&](const csv::Record& record) {
      if (record.fields.size() != 1) {
        throw InputError(
            fmt::format("movies file {}:{}: {} fields where one title is expected; quote a title that holds a "
                        "comma, e.g. \"Love, Death & Robots\"",
                        path.string(), record.line, record.fields.size()));
      }
      const std::string& title = record.fields.front();
      // Whitespace-only lines count as blank lines: a title made of spaces is not a title.
      if (is_blank(title)) return;
      // The processor's own rules (size, UTF-8): what it would refuse is not sent at all.
      if (const auto refusal = refusal_of_messages(sender, title)) {
        throw InputError(
            fmt::format("movies file {}:{}: the processor would refuse messages with this title ({}: {}); "
                        "shorten the title",
                        path.string(), record.line, rating::to_string(refusal->reason), refusal->detail));
      }
      titles.push_back(title);
    });
  } catch (const csv::TextError& e) {
    throw text_error(path, e);
  } catch (const csv::ParseError& e) {
    throw InputError(fmt::format("movies file {}:{}: {}", path.string(), e.line(), e.what()));
  }
  if (titles.empty()) {
    throw InputError(fmt::format("movies file {}: no titles; expected one title per line", path.string()));
  }
  return titles;
}

}  // namespace ratingstream::produce
