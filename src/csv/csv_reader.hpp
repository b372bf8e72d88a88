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

#include "csv/text_check.hpp"

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

// Bounds on what is read, so that a wrong file (a device such as /dev/zero, a disk image, a
// pipe that never ends) is refused instead of filling memory. The full Netflix catalogue is
// 3.4 MB (8,800 rows) and its movies file smaller: 64 MiB leaves room for twenty times as
// much. No record of either file is longer than a few kilobytes, and a title longer than a
// message the processor takes (64 KiB) is of no use, so 1 MiB is a generous record.
inline constexpr std::size_t kMaxFileBytes = 64 * 1024 * 1024;
inline constexpr std::size_t kMaxRecordBytes = 1024 * 1024;

// Calls on_record for every record of text, in order. Blank lines are skipped; a leading UTF-8
// byte-order mark is ignored; LF and CRLF line ends are both accepted. The text must be UTF-8
// (check_text in text_check.hpp: TextError otherwise, before any record), and a record at most
// max_record_bytes long (TextError too_long naming the line where it starts, before it is
// parsed).
void for_each_record(std::string_view text, const std::function<void(const Record&)>& on_record,
                     std::size_t max_record_bytes = kMaxRecordBytes);

// The whole file as bytes. Throws FileError naming the path when it is missing or unreadable,
// and TextError (text_check.hpp) when it is longer than max_file_bytes (without reading a
// regular file of that size at all, and stopping at the limit for a device or a pipe) or when its
// first bytes are not UTF-8 text (so a binary file is refused once its start has arrived).
std::string read_file(const std::filesystem::path& path, std::size_t max_file_bytes = kMaxFileBytes);

}  // namespace ratingstream::csv
