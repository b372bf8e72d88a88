#pragma once
// Text helpers every stage needs, here once so their rules cannot drift apart: trimming, and
// untrusted text (a flag's value, a field of a file, a record's value) as it may appear in a
// message: its bytes must not reach the terminal as they are (an escape sequence would be run, a
// control character garble the line), and a huge value must not flood it.

#include <cstddef>
#include <string>
#include <string_view>

namespace ratingstream {

// `text` without the bytes of `chars` at its start and end (all of it when it has only those).
std::string_view trim(std::string_view text, std::string_view chars = " \t");

// `text` without the bytes of `chars` at its end.
std::string_view trim_right(std::string_view text, std::string_view chars = " \t");

// What an excerpt keeps of the bytes that are not printable ASCII (0x20..0x7E). C0 controls and
// DEL are always '?'.
enum class NonAscii {
  hide,              // each such byte as '?': text that need not be UTF-8
  keep_utf8,         // kept: text known to be UTF-8; the cut falls on a character boundary
  keep_utf8_but_c1,  // as keep_utf8, but each C1 control (U+0080..U+009F, which terminals act on) as '?'
};

struct ExcerptStyle {
  std::size_t longest = 40;  // bytes of `text` kept at most; "..." says more were cut
  NonAscii non_ascii = NonAscii::hide;
  char quote = '\0';                   // written around the text; '\0': none
  bool ellipsis_inside_quotes = true;  // "abc..." rather than "abc"...
};

// A short, printable copy of untrusted text for a one-line message.
std::string excerpt(std::string_view text, const ExcerptStyle& style = {});

// A flag's value in a message: excerpt(text) in single quotes, 'value'.
std::string shown_value(std::string_view text);

}  // namespace ratingstream
