// The one JSON writer off the hot path: escapes, invalid UTF-8, numbers, key order.

#include "common/json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace ratingstream {
namespace {

TEST(JsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_string("plain"), "\"plain\"");
  EXPECT_EQ(json_string("say \"hi\" \\ bye"), "\"say \\\"hi\\\" \\\\ bye\"");
  EXPECT_EQ(json_string("a\nb\tc\r\b\f\x01"), "\"a\\nb\\tc\\r\\b\\f\\u0001\"");
  EXPECT_EQ(json_string("Amélie 千"), "\"Amélie 千\"");  // UTF-8 as is
  EXPECT_EQ(json_string(""), "\"\"");
}

TEST(JsonString, InvalidUtf8BecomesTheReplacementCharacterNotBrokenJson) {
  // A name written by another producer, a truncated multi-byte sequence, a lone continuation.
  EXPECT_EQ(json_string("ab\xff"
                        "c"),
            "\"ab\xEF\xBF\xBD"
            "c\"");
  EXPECT_EQ(json_string("caf\xc3"), "\"caf\xEF\xBF\xBD\"");
  EXPECT_EQ(json_string("\x80"), "\"\xEF\xBF\xBD\"");
  EXPECT_EQ(json_text({{"name", "x\xfe"}}), "{\"name\":\"x\xEF\xBF\xBD\"}");
}

TEST(JsonText, KeepsTheOrderKeysWereSetIn) {
  Json j = {{"zeta", 1}, {"alpha", 2}};
  j["middle"] = true;
  EXPECT_EQ(json_text(j), "{\"zeta\":1,\"alpha\":2,\"middle\":true}");
}

TEST(JsonNumber, NonFiniteIsNullAndRoundingKeepsShortText) {
  EXPECT_EQ(json_text(json_number(std::numeric_limits<double>::quiet_NaN())), "null");
  EXPECT_EQ(json_text(json_number(std::numeric_limits<double>::infinity())), "null");
  EXPECT_EQ(json_text(json_number(0.25)), "0.25");
  EXPECT_EQ(json_text(json_rounded(1234.56, 1)), "1234.6");
  EXPECT_EQ(json_text(json_rounded(2.0 / 3.0, 2)), "0.67");
  EXPECT_EQ(json_text(json_rounded(0.0198, 6)), "0.0198");
  EXPECT_EQ(json_text(json_rounded(-std::numeric_limits<double>::infinity(), 2)), "null");
  EXPECT_EQ(json_text(json_or_null(std::optional<int>{})), "null");
  EXPECT_EQ(json_text(json_or_null(std::optional<int>{7})), "7");
}

}  // namespace
}  // namespace ratingstream
