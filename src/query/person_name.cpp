#include "query/person_name.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "common/errors.hpp"

namespace ratingstream::query {
namespace {

// The offset of the first byte that does not belong to a well-formed UTF-8 sequence. Only
// called once simdjson's validator said there is one, to tell the user where.
std::size_t first_invalid_byte(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t length = b < 0x80                   ? 1
                         : (b >= 0xc2 && b <= 0xdf) ? 2
                         : (b >= 0xe0 && b <= 0xef) ? 3
                         : (b >= 0xf0 && b <= 0xf4) ? 4
                                                    : 0;
    if (length == 0 || i + length > text.size() || !simdjson::validate_utf8(text.data() + i, length)) {
      return i;
    }
    i += length;
  }
  return text.size();
}

}  // namespace

void check_person_name(std::string_view name) {
  if (name.empty()) throw InputError("is empty: give the name of the person who rated");
  if (name.size() > kMaxNameBytes) {
    throw InputError(
        fmt::format("is {} bytes long; a name in the table is at most {} bytes (Cassandra's limit on "
                    "a partition key)",
                    name.size(), kMaxNameBytes));
  }
  if (!simdjson::validate_utf8(name.data(), name.size())) {
    const auto at = first_invalid_byte(name);
    throw InputError(
        fmt::format("is not valid UTF-8 (byte {} of {} is 0x{:02x}); names in the table are UTF-8 "
                    "text: check the encoding of the terminal or file it came from",
                    at + 1, name.size(), static_cast<unsigned char>(name[at < name.size() ? at : 0])));
  }
}

}  // namespace ratingstream::query
