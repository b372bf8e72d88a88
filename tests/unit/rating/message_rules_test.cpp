// The rules of a rating message the producer checks its input against: they must say exactly
// what the decoder says about the message the producer would send.

#include "rating/message_rules.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "rating/decode.hpp"
#include "rating/json_encode.hpp"
#include "rating/timestamp.hpp"

namespace ratingstream::rating {
namespace {

constexpr std::int64_t kExample = 1'741'894'010'863'211;  // 2025-03-13T19:26:50.863211Z

std::string decoder_verdict(RatingDecoder& decoder, const Rating& rating) {
  const auto result = decoder.decode(to_json(rating));
  if (const auto* rejection = std::get_if<Rejection>(&result)) return std::string(to_string(rejection->reason));
  return "accepted";
}

std::string rules_verdict(const Rating& rating, std::size_t max_value_bytes = kDefaultMaxValueBytes) {
  const auto refusal = message_refusal(rating, max_value_bytes);
  return refusal ? std::string(to_string(refusal->reason)) : "accepted";
}

TEST(MessageRules, AgreeWithTheDecoderOnEveryKindOfField) {
  const std::string overhead_probe = to_json(Rating{"N", "", 10, kExample});
  const std::size_t room = kDefaultMaxValueBytes - overhead_probe.size();  // bytes left for the title
  std::vector<Rating> ratings = {
      {"Stelios Giagkos", "Salt, Smoke and Silver", 7, kExample},
      {"N", std::string(room, 'x'), 10, kExample},          // exactly the limit
      {"N", std::string(room + 1, 'x'), 10, kExample},      // one byte over
      {"N", std::string(room / 2, '"'), 10, kExample},      // escaping doubles the size: fits
      {"N", std::string(room / 2 + 1, '"'), 10, kExample},  // ... and no longer fits
      {"N", std::string(70'000, 'x'), 1, kExample},
      {"", "Jeans", 5, kExample},
      {"Ann", "caf\xE9", 5, kExample},       // Latin-1, not UTF-8
      {"\xC3\x28", "Jeans", 5, kExample},    // a broken two-byte sequence
      {"Ann", "\xED\xA0\x80", 5, kExample},  // a UTF-16 surrogate written as UTF-8
      {"Ann", "Naruto Shippûden 千と千尋 🎬", 5, kExample},
      {"Ann", std::string("nul\0inside", 10), 5, kExample},
      {"Ann", "Jeans", 0, kExample},
      {"Ann", "Jeans", 11, kExample},
      {"Ann", "Jeans", 5, kFirstTimestampMicros},
      {"Ann", "Jeans", 5, kLastTimestampMicros},
  };
  RatingDecoder decoder;
  for (const auto& rating : ratings) {
    EXPECT_EQ(rules_verdict(rating), decoder_verdict(decoder, rating))
        << "name " << rating.name.size() << " bytes, movie " << rating.movie.size() << " bytes, rating "
        << rating.rating;
  }
  EXPECT_EQ(rules_verdict(ratings[1]), "accepted");
  EXPECT_EQ(rules_verdict(ratings[2]), "too_large");
  EXPECT_EQ(rules_verdict(ratings[6]), "missing_field");
  EXPECT_EQ(rules_verdict(ratings[7]), "malformed_json");
}

TEST(MessageRules, TheLimitIsTheDecodersLimit) {
  const Rating rating{"Ann", std::string(500, 'x'), 5, kExample};
  const std::size_t size = to_json(rating).size();
  EXPECT_EQ(rules_verdict(rating, size), "accepted");
  EXPECT_EQ(rules_verdict(rating, size - 1), "too_large");
  RatingDecoder small(TimeZone::utc(), size - 1);
  EXPECT_EQ(decoder_verdict(small, rating), "too_large");
}

TEST(MessageRules, InstantsOutsideTheYearsAreRefused) {
  EXPECT_FALSE(timestamp_refusal(kFirstTimestampMicros));
  EXPECT_FALSE(timestamp_refusal(kLastTimestampMicros));
  EXPECT_EQ(timestamp_refusal(kFirstTimestampMicros - 1)->reason, RejectReason::bad_timestamp);
  EXPECT_EQ(timestamp_refusal(kLastTimestampMicros + 1)->reason, RejectReason::bad_timestamp);
}

TEST(MessageRules, DetailsAreOneLine) {
  for (const auto& refusal : {value_size_refusal(70'000, kDefaultMaxValueBytes), text_refusal("movie", "\xFF"),
                              name_refusal(""), rating_refusal(11), timestamp_refusal(kLastTimestampMicros + 1)}) {
    ASSERT_TRUE(refusal.has_value());
    EXPECT_FALSE(refusal->detail.empty());
    EXPECT_EQ(refusal->detail.find('\n'), std::string::npos) << refusal->detail;
  }
  EXPECT_EQ(value_size_refusal(70'000, kDefaultMaxValueBytes)->detail, "the value is 70000 bytes; the limit is 65536");
}

}  // namespace
}  // namespace ratingstream::rating
