#pragma once
// Untrusted text (a flag's value, a line of a file) as it may appear in a message: its bytes must
// not reach the terminal as they are (an escape sequence would be run, a control character
// garble the line), and a huge value must not flood it.

#include <cstddef>
#include <string>
#include <string_view>

namespace ratingstream {

// `text` with each byte that is not printable ASCII shown as '?', at most its first `longest`
// bytes ("..." after them when there are more).
std::string printable(std::string_view text, std::size_t longest = 40);

// printable(text) in single quotes: 'value'.
std::string shown_value(std::string_view text);

}  // namespace ratingstream
