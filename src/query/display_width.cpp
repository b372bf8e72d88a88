#include "query/display_width.hpp"

#include <utf8proc.h>

#include <algorithm>

namespace ratingstream::query {
namespace {

// utf8proc's width of one code point, except a control character: utf8proc gives it none, but
// the table prints it as it is and a terminal shows something for it.
std::size_t code_point_width(utf8proc_int32_t c) {
  const int width = utf8proc_charwidth(c);
  if (width == 0 && utf8proc_category(c) == UTF8PROC_CATEGORY_CC) return 1;
  return static_cast<std::size_t>(std::max(width, 0));
}

}  // namespace

std::size_t display_width(std::string_view text) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  std::size_t width = 0;
  std::size_t cluster = 0;  // the widest code point of the grapheme cluster being read
  utf8proc_int32_t previous = -1;
  utf8proc_int32_t state = 0;
  for (std::size_t i = 0; i < text.size();) {
    utf8proc_int32_t c = 0;
    const auto length = utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(text.size() - i), &c);
    if (length < 1) {
      // Not UTF-8: one replacement character per byte, a cluster of its own.
      width += cluster + 1;
      cluster = 0;
      previous = -1;
      state = 0;
      ++i;
      continue;
    }
    i += static_cast<std::size_t>(length);
    if (previous >= 0 && utf8proc_grapheme_break_stateful(previous, c, &state)) {
      width += cluster;
      cluster = 0;
    }
    previous = c;
    cluster = std::max(cluster, code_point_width(c));
  }
  return width + cluster;
}

}  // namespace ratingstream::query
