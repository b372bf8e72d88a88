#pragma once
// CSV records (RFC 4180 quoting) read with libcsv, each tagged with the line it starts on so
// that a bad row can be reported as "file:line".

#include <cstddef>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ratingstream::csv {

struct Record {
  std::size_t line = 0;             // 1-based physical line where the record starts
  std::vector<std::string> fields;  // unquoted field values
};

// The text is not valid CSV (an unterminated quote, a quote inside an unquoted field).
class ParseError : public std::runtime_error {
 public:
  ParseError(std::size_t line, const std::string& what) : std::runtime_error(what), line_(line) {}
  std::size_t line() const { return line_; }

 private:
  std::size_t line_;
};

// The file could not be read; what() names the path and the reason.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Calls on_record for every record of text, in order. Blank lines are skipped; a leading UTF-8
// byte-order mark is ignored; LF and CRLF line ends are both accepted.
void for_each_record(std::string_view text, const std::function<void(const Record&)>& on_record);

// The whole file as bytes. Throws FileError naming the path when it is missing or unreadable.
std::string read_file(const std::filesystem::path& path);

}  // namespace ratingstream::csv
