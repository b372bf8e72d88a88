#include "common/text.hpp"

#include <gtest/gtest.h>

#include <string>

using ratingstream::excerpt;
using ratingstream::ExcerptStyle;
using ratingstream::NonAscii;
using ratingstream::shown_value;
using ratingstream::trim;
using ratingstream::trim_right;

TEST(Trim, RemovesSpacesAndTabsAtBothEndsOnly) {
  EXPECT_EQ(trim("  a b\t"), "a b");
  EXPECT_EQ(trim("\t host:9042 \t"), "host:9042");
  EXPECT_EQ(trim("a"), "a");
  EXPECT_EQ(trim(" a\tb "), "a\tb");  // inside: kept
  EXPECT_EQ(trim("\na\n"), "\na\n");  // not in the default set
}

TEST(Trim, EmptyAndAllWhitespaceGiveEmpty) {
  EXPECT_EQ(trim(""), "");
  EXPECT_TRUE(trim(" ").empty());
  EXPECT_TRUE(trim(" \t \t").empty());
  EXPECT_TRUE(trim_right("").empty());
  EXPECT_TRUE(trim_right(" \t\r\n", " \t\r\n").empty());
}

TEST(Trim, TakesTheSetOfCharacters) {
  EXPECT_EQ(trim("\t a \t", " "), "\t a \t");
  EXPECT_EQ(trim("  2025-03-13 ", " "), "2025-03-13");
  EXPECT_EQ(trim_right(" 7.5 \r\n\t", " \t\n\r"), " 7.5");
  EXPECT_EQ(trim_right("7.5", " \t\n\r"), "7.5");
}

TEST(Excerpt, ByDefaultShowsPrintableAsciiAndCutsAt40Bytes) {
  EXPECT_EQ(excerpt("abc"), "abc");
  EXPECT_EQ(excerpt(""), "");
  EXPECT_EQ(excerpt(std::string(40, 'x')), std::string(40, 'x'));  // exactly the limit: not cut
  EXPECT_EQ(excerpt(std::string(41, 'x')), std::string(40, 'x') + "...");
  EXPECT_EQ(excerpt("a\nb\x1b[2J\x7f"), "a?b?[2J?");
  EXPECT_EQ(excerpt("caf\xc3\xa9"), "caf??");  // each byte beyond ASCII
  EXPECT_EQ(excerpt("abcdef", {.longest = 3}), "abc...");
  EXPECT_EQ(excerpt("abcdef", {.longest = 0}), "...");
}

TEST(Excerpt, QuotesWithTheEllipsisInsideOrAfter) {
  EXPECT_EQ(excerpt("", {.quote = '"'}), "\"\"");
  EXPECT_EQ(excerpt("abc", {.quote = '"'}), "\"abc\"");
  EXPECT_EQ(excerpt("abcdef", {.longest = 3, .quote = '"'}), "\"abc...\"");
  EXPECT_EQ(excerpt("abcdef", {.longest = 3, .quote = '"', .ellipsis_inside_quotes = false}), "\"abc\"...");
  EXPECT_EQ(excerpt("abc", {.longest = 3, .quote = '"', .ellipsis_inside_quotes = false}), "\"abc\"");
  EXPECT_EQ(shown_value("it's"), "'it's'");
  EXPECT_EQ(shown_value(std::string(50, 'v')), "'" + std::string(40, 'v') + "...'");
}

TEST(Excerpt, KeepingUtf8CutsOnACharacterBoundary) {
  const ExcerptStyle utf8{.longest = 4, .non_ascii = NonAscii::keep_utf8};
  EXPECT_EQ(excerpt("caf\xc3\xa9", utf8), "caf...");  // é (2 bytes) would end past byte 4
  EXPECT_EQ(excerpt("caf\xc3\xa9", {.longest = 5, .non_ascii = NonAscii::keep_utf8}), "caf\xc3\xa9");
  EXPECT_EQ(excerpt("\xe6\x9d\xb1\xe4\xba\xac", utf8), "\xe6\x9d\xb1...");  // 東京: 3 + 3 bytes
  EXPECT_EQ(excerpt("\xf0\x9f\x8e\xac!", {.longest = 3, .non_ascii = NonAscii::keep_utf8}), "...");  // 🎬: nothing fits
  EXPECT_EQ(excerpt("a\tb\x7f", utf8), "a?b?");  // controls still hidden
}

TEST(Excerpt, C1ControlsCanBeHiddenToo) {
  const std::string next_line = "a\xc2\x85z";  // U+0085, a C1 control
  EXPECT_EQ(excerpt(next_line, {.non_ascii = NonAscii::keep_utf8}), next_line);
  EXPECT_EQ(excerpt(next_line, {.non_ascii = NonAscii::keep_utf8_but_c1}), "a?z");
  EXPECT_EQ(excerpt("\xc2\x9f\xc2\xa0", {.non_ascii = NonAscii::keep_utf8_but_c1}), "?\xc2\xa0");  // U+00A0: not C1
  EXPECT_EQ(excerpt("\xc3\xa9", {.non_ascii = NonAscii::keep_utf8_but_c1}), "\xc3\xa9");
}
