// The name of a question: UTF-8 and within Cassandra's partition-key limit, or bad input that
// says which and where, without repeating the name.

#include "query/person_name.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/errors.hpp"

using ratingstream::InputError;
using ratingstream::query::check_person_name;
using ratingstream::query::kMaxNameBytes;

namespace {

std::string refusal(const std::string& name) {
  try {
    check_person_name(name);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST(PersonName, UnicodeNamesUpToTheKeyLimitAreAccepted) {
  for (const std::string name : {"Stelios Giagkos", "Amélie Poulain", "千尋", "Zoë 🎬", "a"}) {
    EXPECT_NO_THROW(check_person_name(name)) << name;
  }
  EXPECT_NO_THROW(check_person_name(std::string(kMaxNameBytes, 'a')));
  EXPECT_EQ(kMaxNameBytes, 65535u);
}

TEST(PersonName, BytesThatAreNotUtf8AreRefusedSayingWhere) {
  EXPECT_EQ(refusal("\xff\xfe"),
            "is not valid UTF-8 (byte 1 of 2 is 0xff); names in the table are UTF-8 text: check the encoding of "
            "the terminal or file it came from");
  EXPECT_EQ(refusal("Ann\x80").rfind("is not valid UTF-8 (byte 4 of 4 is 0x80)", 0), 0u);
  // A surrogate half, an overlong "/", a code point past U+10FFFF, a cut sequence, Latin-1.
  for (const std::string name : {"\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "Zo\xc3",
                                 "Jos\xe9 Garc\xed"
                                 "a"}) {
    EXPECT_EQ(refusal(name).rfind("is not valid UTF-8", 0), 0u) << refusal(name);
  }
}

TEST(PersonName, EmptyAndTooLongAreRefused) {
  EXPECT_EQ(refusal(""), "is empty: give the name of the person who rated");
  EXPECT_EQ(refusal(std::string(70'000, 'a')),
            "is 70000 bytes long; a name in the table is at most 65535 bytes (Cassandra's limit on a partition key)");
  EXPECT_EQ(refusal(std::string(kMaxNameBytes + 1, 'a')).rfind("is 65536 bytes long", 0), 0u);
}
