#pragma once
// Whether the bytes of an input file are UTF-8 text, told before they are parsed: a file in
// another encoding or a binary file gets one line saying what it is, and never its raw bytes.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ratingstream::csv {

enum class TextProblem : std::uint8_t {
  other_encoding,  // text, but not UTF-8: UTF-16 or UTF-32 (by byte-order mark or NUL pattern), Latin-1, ...
  binary,          // NUL bytes that are not UTF-16 text: not a text file at all
  too_large,       // the file is longer than the limit of one input file
  too_long,        // one record is longer than the limit of one record
};

// The file's bytes are not acceptable text. what() says what they are, without quoting them;
// line() is where (1-based), 0 when it is the file as a whole.
class TextError : public std::runtime_error {
 public:
  TextError(TextProblem problem, std::size_t line, const std::string& what)
      : std::runtime_error(what), problem_(problem), line_(line) {}
  TextProblem problem() const { return problem_; }
  std::size_t line() const { return line_; }

 private:
  TextProblem problem_;
  std::size_t line_;
};

// Throws TextError when `text` holds a UTF-16 or UTF-32 byte-order mark, a NUL byte, or is not
// valid UTF-8. A UTF-8 byte-order mark is fine.
void check_text(std::string_view text);

// The same for the first bytes of a file whose rest is still unread: a UTF-8 sequence cut off at
// the end of `start` is not an error (its remaining bytes have not arrived yet).
void check_text_start(std::string_view start);

// "64 MiB", "1 KiB", "100 bytes": a limit as people read it.
std::string describe_size(std::size_t bytes);

}  // namespace ratingstream::csv
