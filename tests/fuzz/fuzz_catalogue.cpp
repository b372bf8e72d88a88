// Fuzz target: the catalogue loader (src/catalogue/load.hpp), and through it the CSV reader.
// Any bytes are a possible catalogue file. parse_catalogue() either returns a catalogue or throws
// InputError (a bad file is the user's to fix); any other exception, a crash or UB is a finding.
// Checked besides: an InputError message is one non-empty line that names the source, and shows
// nothing a terminal acts on (valid UTF-8, no control characters: no raw bytes of the input); a returned
// catalogue holds at least one film, each title found again by find(), and describe_duplicates()
// (the warning load_catalogue logs) works on it.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "catalogue/load.hpp"
#include "common/errors.hpp"
#include "fuzz_support.hpp"

namespace cat = ratingstream::catalogue;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::string_view kSource = "fuzz/catalogue.csv";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const cat::Catalogue catalogue = cat::parse_catalogue(text, kSource);
    RS_FUZZ_CHECK(!catalogue.empty(), "a catalogue without films was returned");
    for (const auto& d : catalogue.duplicate_titles()) {
      const cat::Film* film = catalogue.find(d.title);
      RS_FUZZ_CHECK(film != nullptr, d.title);
      RS_FUZZ_CHECK(film->line == d.kept_line, d.title);
      RS_FUZZ_CHECK(!d.ignored_lines.empty(), d.title);
      // >=, not >: libcsv also ends a record at a bare CR, which does not count as a line.
      for (const auto line : d.ignored_lines) RS_FUZZ_CHECK(line >= d.kept_line, d.title);
    }
    if (!catalogue.duplicate_titles().empty()) {
      RS_FUZZ_CHECK(!cat::describe_duplicates(catalogue).empty(), "empty duplicate description");
    }
  } catch (const ratingstream::InputError& e) {
    const std::string_view message = e.what();
    RS_FUZZ_CHECK(!message.empty(), "empty InputError");
    RS_FUZZ_CHECK(message.find('\n') == std::string_view::npos, message);
    RS_FUZZ_CHECK(message.starts_with(kSource), message);
    RS_FUZZ_CHECK(ratingstream::fuzz::printable(message), message);
  } catch (const std::exception& e) {
    ratingstream::fuzz::fail("parse_catalogue threw something other than InputError:", e.what());
  }
  return 0;
}
