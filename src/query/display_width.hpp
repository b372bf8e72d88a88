#pragma once
// How many terminal columns a UTF-8 text takes, so the table's columns line up whatever the
// titles are written in (cqlsh pads by the same measure, through wcwidth).

#include <cstddef>
#include <string_view>

namespace ratingstream::query {

// The columns of `text`: one per code point, except combining marks and zero-width characters
// (none) and East Asian wide and fullwidth characters and emoji (two). Bytes that are not valid
// UTF-8 count one column each, as the replacement character a terminal shows for them.
std::size_t display_width(std::string_view text);

}  // namespace ratingstream::query
