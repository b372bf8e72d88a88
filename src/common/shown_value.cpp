#include "common/shown_value.hpp"

namespace ratingstream {

std::string printable(std::string_view text, std::size_t longest) {
  std::string out;
  for (const char c : text.substr(0, longest)) out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
  if (text.size() > longest) out += "...";
  return out;
}

std::string shown_value(std::string_view text) { return "'" + printable(text) + "'"; }

}  // namespace ratingstream
