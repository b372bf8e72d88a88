// Fuzz target: the Kafka message decoder (src/rating/decode.hpp).
// Any byte string is a possible Kafka record value. Checked on every input:
// - decode() never throws, and a second decode() of the same bytes gives the same answer (the
//   decoder's reused buffers carry nothing from one record to the next);
// - a DecodedRating has rating 1..10, a non-empty name, name and movie valid UTF-8, an instant
//   in years 0001..9999 in UTC, and message_refusal() (the producer's check) accepts it;
// - a DecodedRating survives the producer's encoding: to_json() of it decodes to the same rating
//   (within the size limit);
// - a Rejection has a reason from the list and a one-line, non-empty detail;
// - a second decoder with a small limit (kSmallLimit bytes) and a named zone answers too_large
//   exactly when the value is longer than its limit, and otherwise agrees on accept/reject and on
//   the reason (the zone changes only timestamp_us, and, within a day of the first or last
//   instant of years 0001..9999, whether a zone-less time is inside them: bad_timestamp).

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "fuzz_support.hpp"
#include "rating/decode.hpp"
#include "rating/json_encode.hpp"
#include "rating/message_rules.hpp"
#include "rating/rating.hpp"
#include "rating/reject_reason.hpp"
#include "rating/time_zone.hpp"
#include "rating/timestamp.hpp"

namespace rs = ratingstream::rating;
using ratingstream::fuzz::valid_utf8;

namespace {

constexpr std::size_t kSmallLimit = 200;

rs::TimeZone zone_or_utc(const char* name) {
  try {
    return rs::TimeZone::named(name);
  } catch (const std::exception&) {
    return rs::TimeZone::utc();  // no tz database on this machine: still a valid run
  }
}

struct Owned {  // a DecodeResult copied out of the decoder's buffers
  bool accepted = false;
  rs::Rating rating;
  rs::RejectReason reason{};
  std::string detail;
};

Owned decode_owned(rs::RatingDecoder& decoder, std::string_view value) {
  rs::DecodeResult result;
  try {
    result = decoder.decode(value);
  } catch (const std::exception& e) {
    ratingstream::fuzz::fail("decode() threw", e.what());
  } catch (...) {
    ratingstream::fuzz::fail("decode() threw a non-std exception");
  }
  Owned out;
  if (const auto* d = std::get_if<rs::DecodedRating>(&result)) {
    out.accepted = true;
    out.rating = rs::Rating{std::string(d->name), std::string(d->movie), d->rating, d->timestamp_us};
  } else {
    const auto& r = std::get<rs::Rejection>(result);
    out.reason = r.reason;
    out.detail = r.detail;
  }
  return out;
}

void check_one(const Owned& o) {
  if (o.accepted) {
    RS_FUZZ_CHECK(o.rating.rating >= rs::kMinRating && o.rating.rating <= rs::kMaxRating, "rating out of 1..10");
    RS_FUZZ_CHECK(!o.rating.name.empty(), "accepted with an empty name");
    RS_FUZZ_CHECK(valid_utf8(o.rating.name), "name not UTF-8");
    RS_FUZZ_CHECK(valid_utf8(o.rating.movie), "movie not UTF-8");
    RS_FUZZ_CHECK(rs::is_representable_timestamp(o.rating.timestamp_us), "an instant outside years 0001..9999");
    // The same message as the producer writes it may be larger (escapes), so no size limit here.
    const auto refusal = rs::message_refusal(o.rating, SIZE_MAX);
    RS_FUZZ_CHECK(!refusal, refusal->detail);
  } else {
    RS_FUZZ_CHECK(rs::to_string(o.reason) != "unknown", "a reason without a name");
    RS_FUZZ_CHECK(!o.detail.empty(), "empty rejection detail");
    RS_FUZZ_CHECK(o.detail.find('\n') == std::string::npos, o.detail);
  }
}

bool same(const Owned& a, const Owned& b) {
  if (a.accepted != b.accepted) return false;
  if (a.accepted) {
    return a.rating.name == b.rating.name && a.rating.movie == b.rating.movie && a.rating.rating == b.rating.rating &&
           a.rating.timestamp_us == b.rating.timestamp_us;
  }
  return a.reason == b.reason && a.detail == b.detail;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static rs::RatingDecoder utc_decoder;  // the processor's default: UTC, 64 KiB
  static rs::RatingDecoder small_decoder(zone_or_utc("Europe/Athens"), kSmallLimit);

  const std::string_view value(reinterpret_cast<const char*>(data), size);
  const Owned first = decode_owned(utc_decoder, value);
  check_one(first);
  RS_FUZZ_CHECK(same(first, decode_owned(utc_decoder, value)), "a second decode of the same bytes differs");

  const Owned small = decode_owned(small_decoder, value);
  check_one(small);
  if (size > kSmallLimit) {
    RS_FUZZ_CHECK(!small.accepted && small.reason == rs::RejectReason::too_large,
                  "longer than the limit, not too_large");
  } else {
    // A zone-less time near the first or last representable instant may leave years 0001..9999
    // in one zone and not in the other: then the one is bad_timestamp and the other's instant
    // lies within a day of that edge (no zone is a day away from UTC). Nothing else may differ.
    const auto near_an_edge = [](const Owned& accepted) {
      constexpr std::int64_t kDayUs = 86'400'000'000LL;
      return !rs::is_representable_timestamp(accepted.rating.timestamp_us - kDayUs) ||
             !rs::is_representable_timestamp(accepted.rating.timestamp_us + kDayUs);
    };
    if (small.accepted != first.accepted) {
      const Owned& refused = small.accepted ? first : small;
      const Owned& taken = small.accepted ? small : first;
      RS_FUZZ_CHECK(refused.reason == rs::RejectReason::bad_timestamp && near_an_edge(taken),
                    "zone/limit changed accept vs reject");
      return 0;
    }
    if (!first.accepted) RS_FUZZ_CHECK(small.reason == first.reason, "zone/limit changed the reason");
    if (first.accepted) {
      RS_FUZZ_CHECK(small.rating.name == first.rating.name && small.rating.movie == first.rating.movie &&
                        small.rating.rating == first.rating.rating,
                    "zone/limit changed name, movie or rating");
    }
  }

  if (first.accepted) {
    const std::string json = rs::to_json(first.rating);
    if (json.size() > utc_decoder.max_value_bytes()) return 0;  // escaping grew it past the limit
    const Owned again = decode_owned(utc_decoder, json);
    RS_FUZZ_CHECK(again.accepted, again.detail + " <- " + json);
    RS_FUZZ_CHECK(same(first, again), json);
  }
  return 0;
}
