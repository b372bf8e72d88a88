#include "csv/text_check.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

namespace ratingstream::csv {
namespace {

// How much of the start of a file is looked at to tell UTF-16 from binary data.
constexpr std::size_t kSampleBytes = 4096;

std::size_t line_at(std::string_view text, std::size_t offset) {
  return 1 +
         static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

void check_byte_order_mark(std::string_view text) {
  // UTF-32 first: its little-endian mark begins with UTF-16's.
  if (text.starts_with(std::string_view("\xFF\xFE\0\0", 4)) || text.starts_with(std::string_view("\0\0\xFE\xFF", 4))) {
    throw TextError(TextProblem::other_encoding, 1, "UTF-32 text (it starts with a UTF-32 byte-order mark), not UTF-8");
  }
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    throw TextError(TextProblem::other_encoding, 1, "UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8");
  }
}

bool is_ascii_text(char c) { return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F); }

// A NUL byte is never in a text file written as UTF-8. Text saved as UTF-16 without a
// byte-order mark shows as pairs of an ASCII character and a NUL (in that order when
// little-endian) wherever the text is ASCII, which a catalogue or a movies file mostly is;
// anything else with NUL bytes is binary data.
void check_nul_bytes(std::string_view text) {
  const void* nul = std::memchr(text.data(), '\0', text.size());
  if (nul == nullptr) return;
  const std::string_view sample = text.substr(0, kSampleBytes);
  const std::size_t pairs = sample.size() / 2;
  std::size_t little = 0, big = 0;
  for (std::size_t i = 0; i + 1 < sample.size(); i += 2) {
    if (sample[i + 1] == '\0' && is_ascii_text(sample[i])) ++little;
    if (sample[i] == '\0' && is_ascii_text(sample[i + 1])) ++big;
  }
  if (pairs > 0 && std::max(little, big) * 2 >= pairs) {
    throw TextError(TextProblem::other_encoding, 1,
                    std::string("UTF-16 text (") + (little >= big ? "little" : "big") +
                        "-endian, without a byte-order mark), not UTF-8");
  }
  const auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
  throw TextError(TextProblem::binary, line_at(text, offset), "binary data, not text (a NUL byte)");
}

void check_utf8(std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) return;
  // Off the good path: find the line, validating line by line ('\n' never splits a sequence).
  std::size_t line = 1, start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (!simdjson::validate_utf8(text.data() + start, end - start)) break;
    ++line;
    start = end + 1;
  }
  throw TextError(TextProblem::other_encoding, line, "not valid UTF-8 text");
}

// `start` without a UTF-8 sequence that its end may have cut short: up to three continuation
// bytes and the lead byte before them.
std::string_view without_cut_sequence(std::string_view start) {
  std::size_t end = start.size();
  std::size_t continuation = 0;
  while (end > 0 && continuation < 3 && (static_cast<unsigned char>(start[end - 1]) & 0xC0) == 0x80) {
    --end;
    ++continuation;
  }
  if (end > 0 && static_cast<unsigned char>(start[end - 1]) >= 0xC0)
    --end;
  else
    end = start.size();  // ends on a whole character (or on bytes that are wrong anyway)
  return start.substr(0, end);
}

}  // namespace

void check_text(std::string_view text) {
  check_byte_order_mark(text);
  check_nul_bytes(text);
  check_utf8(text);
}

void check_text_start(std::string_view start) {
  check_byte_order_mark(start);
  check_nul_bytes(start);
  check_utf8(without_cut_sequence(start));
}

std::string describe_size(std::size_t bytes) {
  constexpr std::size_t kKiB = 1024, kMiB = 1024 * 1024;
  if (bytes != 0 && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (bytes != 0 && bytes % kKiB == 0) return std::to_string(bytes / kKiB) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

}  // namespace ratingstream::csv
