#pragma once
// How many terminal columns a UTF-8 text takes, so the table's columns line up whatever the
// titles are written in (cqlsh pads by the same measure, through wcwidth).

#include <cstddef>
#include <string_view>

namespace ratingstream::query {

// The columns of `text`, by grapheme cluster (what a terminal draws as one character) and
// utf8proc's widths: a cluster takes the width of its widest code point, so a letter with
// combining marks takes one column and an East Asian wide or fullwidth character or an emoji
// two; zero-width characters take none. Bytes that are not valid UTF-8 count one column each,
// as the replacement character a terminal shows for them.
std::size_t display_width(std::string_view text);

}  // namespace ratingstream::query
