#include "rating/decode.hpp"

#include <simdjson.h>

#include <cstring>
#include <new>

#include "common/errors.hpp"
#include "common/text.hpp"
#include "rating/rating.hpp"
#include "rating/timestamp.hpp"

namespace ratingstream::rating {

namespace od = simdjson::ondemand;

struct RatingDecoder::Parser {
  od::parser json;
  // The value is copied here because simdjson reads SIMDJSON_PADDING bytes past the end of its
  // input, which a Kafka buffer does not promise. Allocated once, for the largest value.
  std::unique_ptr<char[]> padded;
  std::size_t capacity = 0;

  explicit Parser(std::size_t max_value_bytes)
      : json(max_value_bytes),
        padded(new char[max_value_bytes + simdjson::SIMDJSON_PADDING]()),
        capacity(max_value_bytes + simdjson::SIMDJSON_PADDING) {
    if (json.allocate(max_value_bytes) != simdjson::SUCCESS) throw std::bad_alloc();
  }
};

namespace {

using simdjson::error_code;

enum class Slot : std::uint8_t { absent, null, present, wrong_type };

struct StringField {
  Slot slot = Slot::absent;
  std::string_view text;
  od::json_type type{};  // when wrong_type
};

struct RatingField {
  Slot slot = Slot::absent;
  std::int64_t value = 0;
  bool beyond_64_bits = false;
  od::json_type type{};  // when wrong_type
  std::string_view raw;  // the number as written, when it is not an integer
};

std::string_view type_name(od::json_type type) {
  switch (type) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "an unknown type";
}

// Untrusted text in a detail line: at most 64 bytes (cut on a UTF-8 boundary), control characters
// shown as '?', in double quotes with "..." after them when cut.
constexpr ExcerptStyle kDetailExcerpt{
    .longest = 64, .non_ascii = NonAscii::keep_utf8, .quote = '"', .ellipsis_inside_quotes = false};

Rejection malformed(std::string detail) { return {RejectReason::malformed_json, std::move(detail)}; }

Rejection malformed(error_code error) {
  return malformed(std::string("not valid JSON: ") + simdjson::error_message(error));
}

// simdjson On Demand reads lazily and only skims what is skipped; an ignored field must still be
// valid JSON, so it is walked here. Recursion is bounded by kMaxNesting.
error_code validate(od::value value, int depth) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case od::json_type::array: {
      if (depth >= kMaxNesting) return simdjson::DEPTH_ERROR;
      od::array array;
      if (auto error = value.get_array().get(array)) return error;
      for (auto element_result : array) {
        od::value element;
        // get() is for an rvalue only, though the result is trivially copyable.
        // NOLINTNEXTLINE(performance-move-const-arg)
        if (auto error = std::move(element_result).get(element)) return error;
        if (auto error = validate(element, depth + 1)) return error;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::object: {
      if (depth >= kMaxNesting) return simdjson::DEPTH_ERROR;
      od::object object;
      if (auto error = value.get_object().get(object)) return error;
      for (auto field_result : object) {
        od::field field;
        if (auto error = std::move(field_result).get(field)) return error;
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return error;
        if (auto error = validate(field.value(), depth + 1)) return error;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      double number;
      return value.get_double().get(number);
    }
    case od::json_type::string: {
      std::string_view text;
      return value.get_string().get(text);
    }
    case od::json_type::boolean: {
      bool flag;
      return value.get_bool().get(flag);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) return error;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

error_code read_string(od::value value, StringField& out) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == od::json_type::string) {
    out.slot = Slot::present;
    return value.get_string().get(out.text);
  }
  if (auto error = validate(value, 1)) return error;
  out.slot = type == od::json_type::null ? Slot::null : Slot::wrong_type;
  out.type = type;
  return simdjson::SUCCESS;
}

error_code read_rating(od::value value, RatingField& out) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != od::json_type::number) {
    if (auto error = validate(value, 1)) return error;
    out.slot = type == od::json_type::null ? Slot::null : Slot::wrong_type;
    out.type = type;
    return simdjson::SUCCESS;
  }
  od::number_type number_type;
  if (auto error = value.get_number_type().get(number_type)) return error;
  // Every number is also read as a double: that is what validates its syntax.
  double as_double;
  if (auto error = value.get_double().get(as_double)) return error;
  if (number_type == od::number_type::floating_point_number) {
    out.slot = Slot::wrong_type;
    out.type = type;
    out.raw = trim_right(value.raw_json_token(), " \t\n\r");  // JSON's whitespace
    return simdjson::SUCCESS;
  }
  out.slot = Slot::present;
  if (value.get_int64().get(out.value) != simdjson::SUCCESS) out.beyond_64_bits = true;
  return simdjson::SUCCESS;
}

}  // namespace

RatingDecoder::RatingDecoder(TimeZone zone_for_local, std::size_t max_value_bytes)
    : zone_for_local_(std::move(zone_for_local)), max_value_bytes_(max_value_bytes) {
  if (max_value_bytes_ == 0) throw InputError("the largest accepted record value must be at least 1 byte");
  parser_ = std::make_unique<Parser>(max_value_bytes_);
}

RatingDecoder::~RatingDecoder() = default;
RatingDecoder::RatingDecoder(RatingDecoder&&) noexcept = default;
RatingDecoder& RatingDecoder::operator=(RatingDecoder&&) noexcept = default;

DecodeResult RatingDecoder::decode(std::string_view value) {
  if (auto refusal = value_size_refusal(value.size(), max_value_bytes_)) return std::move(*refusal);
  if (value.empty()) return malformed("the value is empty");

  Parser& p = *parser_;
  std::memcpy(p.padded.get(), value.data(), value.size());
  od::document document;
  if (auto error = p.json.iterate(p.padded.get(), value.size(), p.capacity).get(document)) {
    return malformed(error);
  }
  od::object object;
  if (auto error = document.get_object().get(object)) {
    od::json_type type;
    if (error == simdjson::INCORRECT_TYPE && document.type().get(type) == simdjson::SUCCESS) {
      return malformed("expected a JSON object, got " + std::string(type_name(type)));
    }
    return malformed(error);
  }

  StringField name, movie, timestamp;
  RatingField rating;
  for (auto field_result : object) {
    od::field field;
    if (auto error = std::move(field_result).get(field)) return malformed(error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return malformed(error);
    const auto once = [&](Slot slot) { return slot == Slot::absent; };
    error_code error = simdjson::SUCCESS;
    if (key == "name") {
      if (!once(name.slot)) return malformed("the field \"name\" appears more than once");
      error = read_string(field.value(), name);
    } else if (key == "movie") {
      if (!once(movie.slot)) return malformed("the field \"movie\" appears more than once");
      error = read_string(field.value(), movie);
    } else if (key == "rating") {
      if (!once(rating.slot)) return malformed("the field \"rating\" appears more than once");
      error = read_rating(field.value(), rating);
    } else if (key == "timestamp") {
      if (!once(timestamp.slot)) return malformed("the field \"timestamp\" appears more than once");
      error = read_string(field.value(), timestamp);
    } else {
      error = validate(field.value(), 1);
    }
    if (error == simdjson::DEPTH_ERROR) {
      return malformed("nested deeper than " + std::to_string(kMaxNesting) + " levels");
    }
    if (error) return malformed(error);
  }
  // A second document after the object ("{...}{...}") leaves the iterator inside the input.
  if (document.current_location().error() == simdjson::SUCCESS) {
    return malformed("unexpected content after the JSON object");
  }

  const auto missing = [](Slot slot) { return slot == Slot::absent || slot == Slot::null; };
  for (const auto& [field, slot] : {std::pair{"name", name.slot}, std::pair{"movie", movie.slot},
                                    std::pair{"rating", rating.slot}, std::pair{"timestamp", timestamp.slot}}) {
    if (missing(slot)) {
      return Rejection{RejectReason::missing_field,
                       std::string("the field \"") + field + "\" is " + (slot == Slot::null ? "null" : "missing")};
    }
  }
  if (name.slot == Slot::present) {
    if (auto refusal = name_refusal(name.text)) return std::move(*refusal);
  }

  for (const auto& [field, string] :
       {std::pair{"name", &name}, std::pair{"movie", &movie}, std::pair{"timestamp", &timestamp}}) {
    if (string->slot == Slot::wrong_type) {
      return Rejection{RejectReason::bad_type, std::string("the field \"") + field + "\" must be a string, got " +
                                                   std::string(type_name(string->type))};
    }
  }
  if (rating.slot == Slot::wrong_type) {
    std::string detail = "the field \"rating\" must be an integer 1..10, got ";
    detail += rating.type == od::json_type::number ? "the non-integer " + std::string(rating.raw)
                                                   : std::string(type_name(rating.type));
    return Rejection{RejectReason::bad_type, std::move(detail)};
  }
  if (rating.beyond_64_bits) {
    return Rejection{RejectReason::rating_out_of_range, "the rating (beyond 64 bits) is not between 1 and 10"};
  }
  if (auto refusal = rating_refusal(rating.value)) return std::move(*refusal);

  const auto timestamp_us = read_timestamp_micros(timestamp.text, zone_for_local_);
  if (const auto* error = std::get_if<TimestampError>(&timestamp_us)) {
    if (*error == TimestampError::not_representable) {
      return Rejection{RejectReason::bad_timestamp,
                       "the timestamp " + excerpt(timestamp.text, kDetailExcerpt) +
                           " is outside years 0001 to 9999 once in UTC; only 0001-01-01T00:00:00Z to "
                           "9999-12-31T23:59:59.999999Z can be stored and queried"};
    }
    return Rejection{RejectReason::bad_timestamp,
                     "the timestamp " + excerpt(timestamp.text, kDetailExcerpt) +
                         " is not an ISO-8601 date and time such as 2025-03-13T19:26:50.863211Z"};
  }
  return DecodedRating{name.text, movie.text, static_cast<int>(rating.value), std::get<std::int64_t>(timestamp_us)};
}

}  // namespace ratingstream::rating
