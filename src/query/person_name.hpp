#pragma once
// The name a question is asked for (the table's partition key), checked before any read: the
// driver refuses text that is not UTF-8 only when it serialises the request, and Cassandra a
// key longer than 65535 bytes only with its raw key-length error; both are bad input.

#include <cstddef>
#include <string_view>

namespace ratingstream::query {

// Cassandra's limit on a partition key (its length is an unsigned 16-bit number): no longer
// name can be in the table, and every shorter one may be (the processor accepts values up to
// 64 KiB), so this is the limit, not something smaller.
inline constexpr std::size_t kMaxNameBytes = 65535;

// Throws InputError when `name` is empty, not valid UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF), or longer than kMaxNameBytes. The message does not
// repeat the name and names no flag: "is not valid UTF-8 (byte 1 of 2 is 0xff); ...". The
// caller puts the flag or parameter in front.
void check_person_name(std::string_view name);

}  // namespace ratingstream::query
