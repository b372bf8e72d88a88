#pragma once
// Shared by the fuzz targets: an independent UTF-8 check and a loud way to report a broken
// invariant (libFuzzer saves the input on abort()).

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace ratingstream::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "FUZZ INVARIANT BROKEN: %s %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

#define RS_FUZZ_CHECK(cond, detail)                           \
  do {                                                        \
    if (!(cond)) ::ratingstream::fuzz::fail(#cond, (detail)); \
  } while (0)

// Well-formed UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF. Written
// here rather than taken from simdjson so the check does not trust the code it checks.
inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF)
      n = 1;
    else if (c == 0xE0) {
      n = 2;
      lo = 0xA0;
    } else if (c == 0xED) {
      n = 2;
      hi = 0x9F;
    } else if (c >= 0xE1 && c <= 0xEF)
      n = 2;
    else if (c == 0xF0) {
      n = 3;
      lo = 0x90;
    } else if (c == 0xF4) {
      n = 3;
      hi = 0x8F;
    } else if (c >= 0xF1 && c <= 0xF3)
      n = 3;
    else
      return false;
    if (i + n >= s.size()) return false;  // the sequence runs past the end
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      const unsigned min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
      if (b < min || b > max) return false;
    }
    i += n + 1;
  }
  return true;
}

// Safe to show on a terminal: valid UTF-8 without C0 controls, DEL or C1 controls (U+0080..U+009F).
inline bool printable(std::string_view s) {
  if (!valid_utf8(s)) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return false;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return false;
  }
  return true;
}

}  // namespace ratingstream::fuzz
