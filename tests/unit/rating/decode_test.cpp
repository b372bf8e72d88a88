// The decoder and validator: every rejection reason, hostile input, and no allocation per
// record on the accepted path.

#include "rating/decode.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <variant>

#define RS_DEFINE_ALLOCATION_COUNTER
#include "../allocation_counter.hpp"
#include "rating/rating.hpp"

namespace ratingstream::rating {
namespace {

constexpr const char* kValid =
    R"({"name":"Stelios Giagkos","movie":"Salt, Smoke and Silver","rating":7,"timestamp":"2025-03-13T19:26:50.863211Z"})";
constexpr std::int64_t kValidTimestamp = 1'741'894'010'863'211;

// A message with the four fields given as raw JSON text.
std::string message(const std::string& name, const std::string& movie, const std::string& rating,
                    const std::string& timestamp) {
  return R"({"name":)" + name + R"(,"movie":)" + movie + R"(,"rating":)" + rating + R"(,"timestamp":)" + timestamp +
         "}";
}

std::string with_rating(const std::string& rating) {
  return message(R"("Ann")", R"("Iron Meadow")", rating, R"("2025-03-13T19:26:50Z")");
}

std::string with_timestamp(const std::string& timestamp) {
  return message(R"("Ann")", R"("Iron Meadow")", "5", timestamp);
}

::testing::AssertionResult accepted(const DecodeResult& result) {
  if (const auto* rejection = std::get_if<Rejection>(&result)) {
    return ::testing::AssertionFailure() << "rejected as " << to_string(rejection->reason) << ": " << rejection->detail;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult rejected_as(const DecodeResult& result, RejectReason reason) {
  const auto* rejection = std::get_if<Rejection>(&result);
  if (rejection == nullptr) return ::testing::AssertionFailure() << "accepted";
  if (rejection->reason != reason) {
    return ::testing::AssertionFailure() << "rejected as " << to_string(rejection->reason) << " (" << rejection->detail
                                         << "), not " << to_string(reason);
  }
  if (rejection->detail.empty()) return ::testing::AssertionFailure() << "rejected without a detail";
  return ::testing::AssertionSuccess();
}

const std::string& detail_of(const DecodeResult& result) { return std::get<Rejection>(result).detail; }

TEST(RejectReason, NamesAreTheContracts) {
  EXPECT_EQ(to_string(RejectReason::malformed_json), "malformed_json");
  EXPECT_EQ(to_string(RejectReason::missing_field), "missing_field");
  EXPECT_EQ(to_string(RejectReason::bad_type), "bad_type");
  EXPECT_EQ(to_string(RejectReason::rating_out_of_range), "rating_out_of_range");
  EXPECT_EQ(to_string(RejectReason::bad_timestamp), "bad_timestamp");
  EXPECT_EQ(to_string(RejectReason::too_large), "too_large");
  EXPECT_EQ(kAllRejectReasons.size(), 6u);
}

TEST(Decode, ReadsTheProducersMessage) {
  RatingDecoder decoder;
  const auto result = decoder.decode(kValid);
  ASSERT_TRUE(accepted(result));
  const auto& rating = std::get<DecodedRating>(result);
  EXPECT_EQ(rating.name, "Stelios Giagkos");
  EXPECT_EQ(rating.movie, "Salt, Smoke and Silver");
  EXPECT_EQ(rating.rating, 7);
  EXPECT_EQ(rating.timestamp_us, kValidTimestamp);
}

TEST(Decode, FieldOrderWhitespaceEscapesAndNonAsciiText) {
  RatingDecoder decoder;
  const auto result = decoder.decode(
      " \n{ \"timestamp\" : \"2025-03-13T19:26:50.863211Z\",\t\"rating\":10 ,\r\n"
      R"("movie":"Caf\u00e9 \"Mirabeau\"", "n\u0061me":"Ζωή Σ."} )");
  ASSERT_TRUE(accepted(result));
  const auto& rating = std::get<DecodedRating>(result);
  EXPECT_EQ(rating.name, "Ζωή Σ.");
  EXPECT_EQ(rating.movie, "Café \"Mirabeau\"");
  EXPECT_EQ(rating.rating, 10);
  EXPECT_EQ(rating.timestamp_us, kValidTimestamp);
}

TEST(Decode, UnknownFieldsAreIgnoredWhateverTheirShape) {
  RatingDecoder decoder;
  const auto result =
      decoder.decode(R"({"id":1,"name":"Ann","meta":{"a":[1,2,{"b":null}],"c":"d"},"movie":"Iron Meadow","rating":1,)"
                     R"("timestamp":"2025-03-13T19:26:50Z","flag":true,"none":null,"score":7.5,"meta":"again"})");
  ASSERT_TRUE(accepted(result));
  EXPECT_EQ(std::get<DecodedRating>(result).movie, "Iron Meadow");
  EXPECT_EQ(std::get<DecodedRating>(result).rating, 1);
}

TEST(Decode, ZoneLessTimestampsUseTheDecodersZone) {
  const std::string zone_less = with_timestamp(R"("2025-03-13T21:26:50.863211")");
  EXPECT_EQ(std::get<DecodedRating>(RatingDecoder().decode(zone_less)).timestamp_us,
            kValidTimestamp + 2 * 3'600'000'000LL);
  RatingDecoder athens(TimeZone::named("Europe/Athens"));
  EXPECT_EQ(std::get<DecodedRating>(athens.decode(zone_less)).timestamp_us, kValidTimestamp);
  // An explicit zone wins over the decoder's.
  EXPECT_EQ(std::get<DecodedRating>(athens.decode(kValid)).timestamp_us, kValidTimestamp);
}

TEST(Decode, MalformedJson) {
  RatingDecoder decoder;
  const std::string valid = kValid;
  for (const std::string& value : {
           std::string("not json"),
           std::string("{"),
           std::string(R"({"name":"Ann")"),
           valid.substr(0, valid.size() - 1),             // truncated
           valid + "}",                                   // unbalanced
           valid + R"({"name":"Bob"})",                   // two documents
           valid + " x",                                  // trailing garbage
           std::string(R"({"name":"Ann",})"),             // trailing comma
           std::string(R"({name:"Ann"})"),                // unquoted key
           std::string(R"({'name':'Ann'})"),              // single quotes
           std::string(R"({"name":"Ann" "movie":"x"})"),  // missing comma
           with_rating("07"),                             // leading zero
           with_rating("7x"),
           with_rating("+7"),
           with_rating("NaN"),
           message(R"("Ann")", R"("x")", "5", R"("2025-03-13T19:26:50Z)"),     // unterminated string
           message(R"("A\qnn")", R"("x")", "5", R"("2025-03-13T19:26:50Z")"),  // bad escape
           message(R"("Ann")", R"("x")", "5", R"("2025-03-13T19:26:50Z")").replace(1, 0, R"("extra":[1,tru],)"),
           message(R"("Ann")", R"("x")", "5", R"("2025-03-13T19:26:50Z")").replace(1, 0, R"("extra":nul,)"),
           std::string("[1,2,3]"),
           std::string(R"("a string")"),
           std::string("42"),
           std::string("null"),
       }) {
    EXPECT_TRUE(rejected_as(decoder.decode(value), RejectReason::malformed_json)) << value;
  }
  EXPECT_NE(detail_of(decoder.decode("[1,2,3]")).find("expected a JSON object"), std::string::npos);
}

TEST(Decode, EmptyValueIsMalformed) {
  RatingDecoder decoder;
  EXPECT_TRUE(rejected_as(decoder.decode(""), RejectReason::malformed_json));
  EXPECT_TRUE(rejected_as(decoder.decode("   "), RejectReason::malformed_json));
  EXPECT_EQ(detail_of(decoder.decode("")), "the value is empty");
}

TEST(Decode, InvalidUtf8IsMalformed) {
  RatingDecoder decoder;
  for (const std::string& bad : {std::string("\xff"), std::string("\xc3"), std::string("\xc3\x28"),
                                 std::string("\xed\xa0\x80"),  // a UTF-16 surrogate encoded in UTF-8
                                 std::string("\xc0\xaf")}) {   // an overlong '/'
    EXPECT_TRUE(rejected_as(decoder.decode(message("\"A" + bad + "nn\"", R"("x")", "5", R"("2025-03-13T19:26:50Z")")),
                            RejectReason::malformed_json));
  }
  EXPECT_TRUE(rejected_as(decoder.decode(std::string(kValid) + "\xff"), RejectReason::malformed_json));
}

TEST(Decode, NulBytesAnywhereAreMalformedAndDoNotTruncate) {
  RatingDecoder decoder;
  const std::string valid = kValid;
  EXPECT_TRUE(rejected_as(decoder.decode(valid + std::string(1, '\0')), RejectReason::malformed_json));
  EXPECT_TRUE(rejected_as(decoder.decode(std::string(1, '\0') + valid), RejectReason::malformed_json));
  std::string nul_in_name = valid;
  nul_in_name.insert(nul_in_name.find("Stelios") + 3, 1, '\0');
  EXPECT_TRUE(rejected_as(decoder.decode(nul_in_name), RejectReason::malformed_json));
  // An escaped NUL is valid JSON and kept as a character.
  const auto escaped = decoder.decode(message(R"("A\u0000nn")", R"("x")", "5", R"("2025-03-13T19:26:50Z")"));
  ASSERT_TRUE(accepted(escaped));
  EXPECT_EQ(std::get<DecodedRating>(escaped).name, std::string_view("A\0nn", 4));
}

TEST(Decode, DuplicateKnownFieldsAreMalformed) {
  RatingDecoder decoder;
  const std::string base = kValid;
  for (const std::string& duplicate :
       {std::string(R"("name":"Bob",)"), std::string(R"("movie":"Iron Meadow",)"), std::string(R"("rating":3,)"),
        std::string(R"("timestamp":"2025-03-13T19:26:50Z",)"), std::string(R"("na\u006de":"Bob",)")}) {
    const auto result = decoder.decode(std::string(base).insert(1, duplicate));
    EXPECT_TRUE(rejected_as(result, RejectReason::malformed_json)) << duplicate;
    EXPECT_NE(detail_of(result).find("more than once"), std::string::npos);
  }
}

TEST(Decode, DeepNestingIsRefusedWithoutCrashing) {
  RatingDecoder decoder;
  const auto nested = [](int depth) {
    return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
  };
  const auto with_extra = [](const std::string& extra) {
    return std::string(kValid).insert(1, "\"extra\":" + extra + ",");
  };
  EXPECT_TRUE(accepted(decoder.decode(with_extra(nested(kMaxNesting - 1)))));
  EXPECT_TRUE(rejected_as(decoder.decode(with_extra(nested(kMaxNesting))), RejectReason::malformed_json));
  EXPECT_TRUE(rejected_as(decoder.decode(with_extra(nested(30'000))), RejectReason::malformed_json));
  EXPECT_TRUE(rejected_as(decoder.decode(with_extra(std::string(60'000, '['))), RejectReason::malformed_json));
  EXPECT_TRUE(rejected_as(decoder.decode(nested(30'000)), RejectReason::malformed_json));
  std::string objects;
  for (int i = 0; i < 10'000; ++i) objects += R"({"a":)";
  objects += "1" + std::string(10'000, '}');
  EXPECT_TRUE(rejected_as(decoder.decode(with_extra(objects)), RejectReason::malformed_json));
  EXPECT_TRUE(rejected_as(decoder.decode(with_rating(nested(30'000))), RejectReason::malformed_json));
}

TEST(Decode, MissingField) {
  RatingDecoder decoder;
  const std::string ts = R"("2025-03-13T19:26:50Z")";
  EXPECT_TRUE(
      rejected_as(decoder.decode(R"({"movie":"x","rating":5,"timestamp":)" + ts + "}"), RejectReason::missing_field));
  EXPECT_TRUE(
      rejected_as(decoder.decode(R"({"name":"A","rating":5,"timestamp":)" + ts + "}"), RejectReason::missing_field));
  EXPECT_TRUE(
      rejected_as(decoder.decode(R"({"name":"A","movie":"x","timestamp":)" + ts + "}"), RejectReason::missing_field));
  EXPECT_TRUE(rejected_as(decoder.decode(R"({"name":"A","movie":"x","rating":5})"), RejectReason::missing_field));
  EXPECT_TRUE(rejected_as(decoder.decode("{}"), RejectReason::missing_field));
  EXPECT_TRUE(rejected_as(decoder.decode(R"({"Name":"A","movie":"x","rating":5,"timestamp":)" + ts + "}"),
                          RejectReason::missing_field));  // keys are case-sensitive
  const auto missing_movie = decoder.decode(R"({"name":"A","rating":5,"timestamp":)" + ts + "}");
  EXPECT_EQ(detail_of(missing_movie), "the field \"movie\" is missing");
}

TEST(Decode, NullCountsAsMissing) {
  RatingDecoder decoder;
  EXPECT_TRUE(rejected_as(decoder.decode(message("null", R"("x")", "5", R"("2025-03-13T19:26:50Z")")),
                          RejectReason::missing_field));
  EXPECT_TRUE(rejected_as(decoder.decode(message(R"("A")", "null", "5", R"("2025-03-13T19:26:50Z")")),
                          RejectReason::missing_field));
  EXPECT_TRUE(rejected_as(decoder.decode(with_rating("null")), RejectReason::missing_field));
  const auto null_timestamp = decoder.decode(with_timestamp("null"));
  EXPECT_TRUE(rejected_as(null_timestamp, RejectReason::missing_field));
  EXPECT_EQ(detail_of(null_timestamp), "the field \"timestamp\" is null");
}

TEST(Decode, EmptyNameIsMissingBecauseItIsThePartitionKey) {
  RatingDecoder decoder;
  EXPECT_TRUE(rejected_as(decoder.decode(message(R"("")", R"("x")", "5", R"("2025-03-13T19:26:50Z")")),
                          RejectReason::missing_field));
  // An empty movie is a title like any other (it will not be found in the catalogue).
  EXPECT_TRUE(accepted(decoder.decode(message(R"("A")", R"("")", "5", R"("2025-03-13T19:26:50Z")"))));
}

TEST(Decode, BadTypeForStrings) {
  RatingDecoder decoder;
  const std::string ts = R"("2025-03-13T19:26:50Z")";
  for (const std::string& wrong :
       {std::string("42"), std::string("true"), std::string("[\"Ann\"]"), std::string("{\"a\":1}")}) {
    EXPECT_TRUE(rejected_as(decoder.decode(message(wrong, R"("x")", "5", ts)), RejectReason::bad_type)) << wrong;
    EXPECT_TRUE(rejected_as(decoder.decode(message(R"("A")", wrong, "5", ts)), RejectReason::bad_type)) << wrong;
    EXPECT_TRUE(rejected_as(decoder.decode(with_timestamp(wrong)), RejectReason::bad_type)) << wrong;
  }
  // The producer's epoch seconds would be a number: not a timestamp string.
  const auto epoch = decoder.decode(with_timestamp("1741894010"));
  EXPECT_TRUE(rejected_as(epoch, RejectReason::bad_type));
  EXPECT_EQ(detail_of(epoch), "the field \"timestamp\" must be a string, got a number");
}

TEST(Decode, RatingMustBeAJsonInteger) {
  RatingDecoder decoder;
  for (const char* wrong : {"7.0", "7e0", "7E+0", "0.7e1", "\"7\"", "true", "[7]", "{\"v\":7}"}) {
    EXPECT_TRUE(rejected_as(decoder.decode(with_rating(wrong)), RejectReason::bad_type)) << wrong;
  }
  EXPECT_EQ(detail_of(decoder.decode(with_rating("7.0"))),
            "the field \"rating\" must be an integer 1..10, got the non-integer 7.0");
  EXPECT_EQ(detail_of(decoder.decode(with_rating("\"7\""))),
            "the field \"rating\" must be an integer 1..10, got a string");
}

TEST(Decode, RatingOutOfRange) {
  RatingDecoder decoder;
  for (const char* out :
       {"0", "-0", "11", "-1", "255", "2147483648", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "18446744073709551615", "100000000000000000000", "-9223372036854775809"}) {
    EXPECT_TRUE(rejected_as(decoder.decode(with_rating(out)), RejectReason::rating_out_of_range)) << out;
  }
  EXPECT_EQ(detail_of(decoder.decode(with_rating("11"))), "the rating 11 is not between 1 and 10");
  for (int in = kMinRating; in <= kMaxRating; ++in) {
    const auto result = decoder.decode(with_rating(std::to_string(in)));
    ASSERT_TRUE(accepted(result)) << in;
    EXPECT_EQ(std::get<DecodedRating>(result).rating, in);
  }
}

TEST(Decode, BadTimestamp) {
  RatingDecoder decoder;
  for (const char* bad :
       {R"("")", R"("yesterday")", R"("2025-02-30T10:00:00Z")", R"("2025-03-13")", R"("2025-03-13T25:00:00Z")",
        R"("2025-03-13T19:26:50+25:00")", R"("13/03/2025 19:26")", R"("2025-03-13T19:26:50\u0000")"}) {
    EXPECT_TRUE(rejected_as(decoder.decode(with_timestamp(bad)), RejectReason::bad_timestamp)) << bad;
  }
  const auto result = decoder.decode(with_timestamp(R"("2025-02-30T10:00:00Z")"));
  EXPECT_NE(detail_of(result).find("\"2025-02-30T10:00:00Z\""), std::string::npos) << detail_of(result);
  // Control characters from the value do not reach the one-line detail.
  const auto newline = decoder.decode(with_timestamp(R"("line\nbreak")"));
  EXPECT_EQ(detail_of(newline).find('\n'), std::string::npos);
}

TEST(Decode, TimestampsOutsideYears1To9999InUtcAreBadTimestamps) {
  RatingDecoder decoder;
  for (const char* outside : {R"("0001-01-01T00:00:00+14:00")", R"("9999-12-31T23:59:59-12:00")",
                              R"("0001-01-01T00:00:00+00:01")", R"("9999-12-31T23:59:59.999999-00:01")"}) {
    const auto result = decoder.decode(with_timestamp(outside));
    ASSERT_TRUE(rejected_as(result, RejectReason::bad_timestamp)) << outside;
    EXPECT_NE(detail_of(result).find("0001"), std::string::npos) << detail_of(result);
    EXPECT_NE(detail_of(result).find("9999"), std::string::npos) << detail_of(result);
  }
  // Zone-less times are moved by the decoder's zone first.
  RatingDecoder east(TimeZone::named("Etc/GMT-14"));
  EXPECT_TRUE(rejected_as(east.decode(with_timestamp(R"("0001-01-01T00:00:00")")), RejectReason::bad_timestamp));
  RatingDecoder west(TimeZone::named("Etc/GMT+12"));
  EXPECT_TRUE(rejected_as(west.decode(with_timestamp(R"("9999-12-31T23:59:59")")), RejectReason::bad_timestamp));
  // The first and last instants themselves are ratings.
  for (const char* edge : {R"("0001-01-01T00:00:00Z")", R"("0001-01-01T14:00:00+14:00")",
                           R"("9999-12-31T23:59:59.999999Z")", R"("9999-12-31T11:59:59.999999-12:00")"}) {
    EXPECT_TRUE(accepted(decoder.decode(with_timestamp(edge)))) << edge;
  }
  EXPECT_TRUE(accepted(east.decode(with_timestamp(R"("0001-01-01T14:00:00")"))));
  EXPECT_TRUE(accepted(west.decode(with_timestamp(R"("9999-12-31T11:59:59.999999")"))));
}

TEST(Decode, TooLarge) {
  RatingDecoder decoder;
  EXPECT_EQ(decoder.max_value_bytes(), kDefaultMaxValueBytes);
  EXPECT_EQ(kDefaultMaxValueBytes, 64u * 1024u);
  // Padded with JSON whitespace to exactly the limit: accepted; one byte more: too large.
  std::string at_limit = kValid;
  at_limit.append(kDefaultMaxValueBytes - at_limit.size(), ' ');
  EXPECT_TRUE(accepted(decoder.decode(at_limit)));
  const auto over = decoder.decode(at_limit + " ");
  EXPECT_TRUE(rejected_as(over, RejectReason::too_large));
  EXPECT_EQ(detail_of(over), "the value is 65537 bytes; the limit is 65536");
  // Size is checked before anything else, even for garbage.
  EXPECT_TRUE(rejected_as(decoder.decode(std::string(1'000'000, '\xff')), RejectReason::too_large));

  RatingDecoder small(TimeZone::utc(), 100);
  EXPECT_TRUE(rejected_as(small.decode(with_rating("5") + std::string(100, ' ')), RejectReason::too_large));
  EXPECT_TRUE(accepted(small.decode(with_rating("5"))));
}

TEST(Decode, ReasonsHaveAFixedPrecedence) {
  RatingDecoder decoder;
  // Malformed anywhere beats a missing field.
  EXPECT_TRUE(rejected_as(decoder.decode(R"({"name":"A","x":[1,tru]})"), RejectReason::malformed_json));
  // A missing field beats a wrong type elsewhere.
  EXPECT_TRUE(rejected_as(decoder.decode(R"({"name":1,"rating":5,"timestamp":"2025-03-13T19:26:50Z"})"),
                          RejectReason::missing_field));
  // A wrong type beats an out-of-range rating and a bad timestamp.
  EXPECT_TRUE(rejected_as(decoder.decode(message(R"("A")", "1", "99", R"("never")")), RejectReason::bad_type));
  // An out-of-range rating beats a bad timestamp.
  EXPECT_TRUE(
      rejected_as(decoder.decode(message(R"("A")", R"("x")", "99", R"("never")")), RejectReason::rating_out_of_range));
}

TEST(Decode, TheDecoderIsReusableAfterAnyResult) {
  RatingDecoder decoder;
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE(rejected_as(decoder.decode("{"), RejectReason::malformed_json));
    EXPECT_TRUE(rejected_as(decoder.decode(std::string(100'000, 'x')), RejectReason::too_large));
    EXPECT_TRUE(rejected_as(decoder.decode(with_rating("0")), RejectReason::rating_out_of_range));
    const auto result = decoder.decode(kValid);
    ASSERT_TRUE(accepted(result));
    EXPECT_EQ(std::get<DecodedRating>(result).name, "Stelios Giagkos");
  }
}

TEST(Decode, ViewsPointIntoTheDecoderNotIntoTheInput) {
  RatingDecoder decoder;
  std::string value = kValid;
  const auto result = decoder.decode(value);
  ASSERT_TRUE(accepted(result));
  std::fill(value.begin(), value.end(), 'X');  // the Kafka buffer may go away after decode
  EXPECT_EQ(std::get<DecodedRating>(result).name, "Stelios Giagkos");
  EXPECT_EQ(std::get<DecodedRating>(result).movie, "Salt, Smoke and Silver");
}

TEST(Decode, AcceptedRecordsAllocateNothing) {
  RatingDecoder decoder(TimeZone::named("Europe/Athens"));
  const std::string zone_less = with_timestamp(R"("2025-03-13T21:26:50.863211")");
  const std::string long_text =
      message(R"("A name much longer than any small-string buffer, with escapes \u00e9\n")",
              R"("A title much longer than any small-string buffer: Ñandú en la Niebla \"extended\"")", "9",
              R"("2025-03-13T19:26:50.863211+02:00")");
  ASSERT_TRUE(accepted(decoder.decode(kValid)));  // warm-up
  long allocations = testing::allocations_during([&] {
    for (int i = 0; i < 100; ++i) {
      EXPECT_TRUE(accepted(decoder.decode(kValid)));
      EXPECT_TRUE(accepted(decoder.decode(zone_less)));
      EXPECT_TRUE(accepted(decoder.decode(long_text)));
    }
  });
  EXPECT_EQ(allocations, 0);
}

TEST(Decode, MutatedMessagesNeverCrash) {
  // Random byte flips, insertions and cuts of a valid message: every outcome is a result, never a
  // crash (run under the asan preset to catch memory errors).
  RatingDecoder decoder;
  std::mt19937 random(20250313);
  const std::string valid = kValid;
  const std::string alphabet = "{}[]\",:\\0123456789.eE+-tnrufalsu \x00\xff\xc3\x80";
  std::size_t accepted_count = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string value = valid;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !value.empty(); ++e) {
      const std::size_t pos = random() % value.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0: value[pos] = c; break;
        case 1: value.insert(pos, 1, c); break;
        default: value.erase(pos, 1 + random() % 8); break;
      }
    }
    const auto result = decoder.decode(value);
    if (std::holds_alternative<DecodedRating>(result)) {
      ++accepted_count;
      const auto& r = std::get<DecodedRating>(result);
      EXPECT_GE(r.rating, kMinRating);
      EXPECT_LE(r.rating, kMaxRating);
      EXPECT_FALSE(r.name.empty());
    } else {
      EXPECT_FALSE(std::get<Rejection>(result).detail.empty());
    }
  }
  EXPECT_GT(accepted_count, 0u);  // some edits (inside strings) keep the message valid
}

}  // namespace
}  // namespace ratingstream::rating
