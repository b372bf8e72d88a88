// The JSON value of a Kafka message: exact shape, and correct escaping for any title.

#include "rating/json_encode.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "rating/timestamp.hpp"

namespace ratingstream::rating {
namespace {

constexpr std::int64_t kSomeTime = 1'741'894'010'863'211;  // 2025-03-13T19:26:50.863211Z

Rating rating_of(std::string movie) { return Rating{"Stelios Giagkos", std::move(movie), 7, kSomeTime}; }

// Parses `json` as an object with exactly the message's four fields, in order, and returns it as a
// Rating.
Rating parse_back(const std::string& json) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::object object;
  const auto error = parser.parse(padded).get(object);
  EXPECT_EQ(error, simdjson::SUCCESS) << json;
  if (error) return {};
  std::vector<std::string> keys;
  Rating back;
  std::string timestamp;
  for (auto field : object) {
    keys.emplace_back(field.key);
    if (field.key == "name") back.name = std::string(field.value.get_string().value());
    if (field.key == "movie") back.movie = std::string(field.value.get_string().value());
    if (field.key == "rating") back.rating = static_cast<int>(field.value.get_int64().value());
    if (field.key == "timestamp") timestamp = std::string(field.value.get_string().value());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "movie", "rating", "timestamp"}));
  EXPECT_EQ(timestamp, format_utc_micros(kSomeTime));
  back.timestamp_us = kSomeTime;
  return back;
}

TEST(JsonEncode, WritesExactlyTheSpecFieldsCompactly) {
  EXPECT_EQ(to_json(rating_of("Sankofa")),
            R"({"name":"Stelios Giagkos","movie":"Sankofa","rating":7,"timestamp":"2025-03-13T19:26:50.863211Z"})");
}

TEST(JsonEncode, WritesRatingAsAnInteger) {
  Rating ten = rating_of("x");
  ten.rating = 10;
  EXPECT_NE(to_json(ten).find(R"("rating":10,)"), std::string::npos);
}

TEST(JsonEncode, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  append_json_string(out, "a\"b\\c\nd\re\tf\bg\fh");
  EXPECT_EQ(out, R"("a\"b\\c\nd\re\tf\bg\fh")");
  out.clear();
  append_json_string(out, std::string("\x00\x01\x1f\x7f", 4));
  EXPECT_EQ(out, "\"\\u0000\\u0001\\u001f\x7f\"");
}

TEST(JsonEncode, PassesNonAsciiThroughAsUtf8) {
  std::string out;
  append_json_string(out, "Naruto Shippûden 千と千尋 🎬");
  EXPECT_EQ(out, "\"Naruto Shippûden 千と千尋 🎬\"");
}

TEST(JsonEncode, HostileTitlesRoundTrip) {
  std::string every_control_character;
  for (char c = 0; c < 0x20; ++c) every_control_character.push_back(c);
  const std::vector<std::string> titles = {
      "",
      "\"",
      "\\",
      "ends with a backslash\\",
      R"(She said "hi", \ then left)",
      R"(\u0041 is not an escape here)",
      "El patrón, radiografía de un crimen",
      "Dügün Dernek 2: Sünnet",
      "Line\nbreak\r\nand\ttab",
      every_control_character,
      "</script><script>alert(1)</script>",
      "U+2028 \xE2\x80\xA8 and U+2029 \xE2\x80\xA9",
      "emoji 😀 and 中文 and العربية",
      "{\"name\":\"injected\"}",
  };
  for (const auto& title : titles) {
    const Rating original = rating_of(title);
    const Rating back = parse_back(to_json(original));
    EXPECT_EQ(back.movie, original.movie) << to_json(original);
    EXPECT_EQ(back.name, original.name);
    EXPECT_EQ(back.rating, original.rating);
  }
}

TEST(JsonEncode, NamesAreEscapedToo) {
  Rating r = rating_of("x");
  r.name = "O\"Brien \\ Ødegaard";
  EXPECT_EQ(parse_back(to_json(r)).name, r.name);
}

TEST(JsonEncode, AppendsToTheBufferAndReusesItsCapacity) {
  std::string buffer = "Sent: ";
  append_json(buffer, rating_of("Sankofa"));
  EXPECT_TRUE(buffer.starts_with("Sent: {\"name\":"));

  buffer.clear();
  append_json(buffer, rating_of(std::string(200, 'x')));
  const auto capacity = buffer.capacity();
  const char* data = buffer.data();
  buffer.clear();
  append_json(buffer, rating_of("Short"));
  EXPECT_EQ(buffer.capacity(), capacity);
  EXPECT_EQ(buffer.data(), data);  // no reallocation for a message that fits
}

}  // namespace
}  // namespace ratingstream::rating
