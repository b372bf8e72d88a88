#include "common/text.hpp"

#include <algorithm>

namespace ratingstream {
namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string_view trim(std::string_view text, std::string_view chars) {
  const auto first = text.find_first_not_of(chars);
  if (first == std::string_view::npos) return text.substr(text.size());
  return text.substr(first, text.find_last_not_of(chars) - first + 1);
}

std::string_view trim_right(std::string_view text, std::string_view chars) {
  const auto last = text.find_last_not_of(chars);
  return text.substr(0, last == std::string_view::npos ? 0 : last + 1);
}

std::string excerpt(std::string_view text, const ExcerptStyle& style) {
  std::size_t end = std::min(text.size(), style.longest);
  if (style.non_ascii != NonAscii::hide) {
    while (end < text.size() && end > 0 && is_continuation(text[end])) --end;
  }
  const bool cut = end < text.size();
  std::string out;
  out.reserve(end + 5);
  if (style.quote != '\0') out.push_back(style.quote);
  for (std::size_t i = 0; i < end; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      out.push_back('?');
    } else if (c < 0x80 || style.non_ascii == NonAscii::keep_utf8) {
      out.push_back(static_cast<char>(c));
    } else if (style.non_ascii == NonAscii::hide) {
      out.push_back('?');
    } else if (c == 0xC2 && i + 1 < end && is_continuation(text[i + 1]) &&
               static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      out.push_back('?');  // a C1 control: U+0080..U+009F is C2 80..C2 9F
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (cut && style.ellipsis_inside_quotes) out += "...";
  if (style.quote != '\0') out.push_back(style.quote);
  if (cut && !style.ellipsis_inside_quotes) out += "...";
  return out;
}

std::string shown_value(std::string_view text) { return excerpt(text, {.quote = '\''}); }

}  // namespace ratingstream
