#include "query/display_width.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace ratingstream::query {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Combining marks, and the zero-width space, joiners and marks: drawn over or between their
// neighbours, no column of their own (the common blocks; wcwidth's full list is longer).
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0670, 0x0670}, {0x06D6, 0x06DC}, {0x06DF, 0x06E4}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A},
    {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x202A, 0x202E},
    {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

// East Asian Wide and Fullwidth (Unicode's EastAsianWidth W and F) and the emoji blocks.
constexpr Range kDoubleWidth[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},
    {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

template <std::size_t N>
bool in(const Range (&ranges)[N], char32_t c) {
  // Sorted and disjoint: the first range ending at or after c is the only candidate.
  const auto* it = std::lower_bound(std::begin(ranges), std::end(ranges), c,
                                    [](const Range& r, char32_t v) { return r.last < v; });
  return it != std::end(ranges) && it->first <= c;
}

// The code point starting at text[i] and its length in bytes; length 1 and U+FFFD for a byte
// that does not start a valid sequence.
std::pair<char32_t, std::size_t> decode_at(std::string_view text, std::size_t i) {
  const auto byte = [&text](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  std::size_t length = 0;
  char32_t c = 0;
  if (lead < 0x80) return {lead, 1};
  if ((lead & 0xE0) == 0xC0) { length = 2; c = lead & 0x1F; }
  else if ((lead & 0xF0) == 0xE0) { length = 3; c = lead & 0x0F; }
  else if ((lead & 0xF8) == 0xF0) { length = 4; c = lead & 0x07; }
  else return {0xFFFD, 1};
  if (i + length > text.size()) return {0xFFFD, 1};
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {0xFFFD, 1};
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  return {c, length};
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto [c, length] = decode_at(text, i);
    i += length;
    if (in(kZeroWidth, c)) continue;
    width += in(kDoubleWidth, c) ? 2 : 1;
  }
  return width;
}

}  // namespace ratingstream::query
