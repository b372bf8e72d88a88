#include "rating/json_encode.hpp"

#include <array>
#include <charconv>

#include "rating/timestamp.hpp"

namespace ratingstream::rating {
namespace {

// For each byte: 0 = copy as is, otherwise the character after the backslash ('u' = \u00XX).
constexpr std::array<char, 256> make_escape_table() {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}
constexpr std::array<char, 256> kEscape = make_escape_table();

void append_escape(std::string& out, unsigned char c) {
  const char kind = kEscape[c];
  if (kind != 'u') {
    const char pair[2] = {'\\', kind};
    out.append(pair, 2);
    return;
  }
  constexpr char kHex[] = "0123456789abcdef";
  const char seq[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
  out.append(seq, 6);
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  // Copy runs of plain bytes in one append; titles almost never need escaping.
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (kEscape[c] == 0) continue;
    out.append(text.data() + run_start, i - run_start);
    append_escape(out, c);
    run_start = i + 1;
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
}

void append_json(std::string& out, const Rating& rating) {
  out.append(R"({"name":)");
  append_json_string(out, rating.name);
  out.append(R"(,"movie":)");
  append_json_string(out, rating.movie);
  out.append(R"(,"rating":)");
  char digits[12];
  const auto end = std::to_chars(digits, digits + sizeof digits, rating.rating).ptr;
  out.append(digits, static_cast<std::size_t>(end - digits));
  out.append(R"(,"timestamp":")");
  append_utc_micros(out, rating.timestamp_us);
  out.append(R"("})");
}

std::string to_json(const Rating& rating) {
  std::string out;
  append_json(out, rating);
  return out;
}

}  // namespace ratingstream::rating
