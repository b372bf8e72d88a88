#include "rating/timestamp.hpp"

#include <chrono>

namespace ratingstream::rating {
namespace {

void append_digits(std::string& out, std::int64_t value, int width) {
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

}  // namespace

void append_utc_micros(std::string& out, std::int64_t micros_since_epoch) {
  using namespace std::chrono;
  const sys_time<microseconds> tp{microseconds{micros_since_epoch}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const auto in_day = tp - day;  // non-negative: floor rounds towards the past
  const std::int64_t us = in_day.count();
  append_digits(out, static_cast<int>(ymd.year()), 4);
  out.push_back('-');
  append_digits(out, static_cast<unsigned>(ymd.month()), 2);
  out.push_back('-');
  append_digits(out, static_cast<unsigned>(ymd.day()), 2);
  out.push_back('T');
  append_digits(out, us / 3'600'000'000LL, 2);
  out.push_back(':');
  append_digits(out, us / 60'000'000LL % 60, 2);
  out.push_back(':');
  append_digits(out, us / 1'000'000LL % 60, 2);
  out.push_back('.');
  append_digits(out, us % 1'000'000LL, 6);
  out.push_back('Z');
}

std::string format_utc_micros(std::int64_t micros_since_epoch) {
  std::string out;
  out.reserve(27);
  append_utc_micros(out, micros_since_epoch);
  return out;
}

// ---- reading ---------------------------------------------------------------------------------

namespace {

constexpr int kMaxOffsetMinutes = 18 * 60;

// `count` ASCII digits at text[pos...] as a number; nullopt when any is not a digit.
std::optional<int> digits_at(std::string_view text, std::size_t pos, std::size_t count) {
  if (text.size() < pos + count) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// A zone suffix (everything after the seconds and fraction) as minutes east of UTC.
std::optional<int> parse_zone_minutes(std::string_view zone) {
  if (zone == "Z" || zone == "z") return 0;
  if (zone.size() < 3 || (zone[0] != '+' && zone[0] != '-')) return std::nullopt;
  const int sign = zone[0] == '-' ? -1 : 1;
  const auto hours = digits_at(zone, 1, 2);
  std::optional<int> minutes;
  if (zone.size() == 3) {
    minutes = 0;
  } else if (zone.size() == 5) {
    minutes = digits_at(zone, 3, 2);
  } else if (zone.size() == 6 && zone[3] == ':') {
    minutes = digits_at(zone, 4, 2);
  }
  if (!hours || !minutes || *minutes > 59) return std::nullopt;
  const int total = *hours * 60 + *minutes;
  if (total > kMaxOffsetMinutes) return std::nullopt;
  return sign * total;
}

}  // namespace

std::variant<std::int64_t, TimestampError> read_timestamp_micros(std::string_view text,
                                                                 const TimeZone& zone_for_local) {
  using namespace std::chrono;
  constexpr auto kNotATimestamp = TimestampError::not_a_timestamp;
  // Fixed positions: YYYY-MM-DDTHH:MM:SS is 19 characters.
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':') {
    return kNotATimestamp;
  }
  const char separator = text[10];
  if (separator != 'T' && separator != 't' && separator != ' ') return kNotATimestamp;
  const auto y = digits_at(text, 0, 4);
  const auto mo = digits_at(text, 5, 2);
  const auto d = digits_at(text, 8, 2);
  const auto h = digits_at(text, 11, 2);
  const auto mi = digits_at(text, 14, 2);
  const auto s = digits_at(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s || *y == 0 || *h > 23 || *mi > 59 || *s > 59) {
    return kNotATimestamp;
  }
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return kNotATimestamp;

  std::size_t pos = 19;
  std::int64_t micros_in_second = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int fraction_digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++fraction_digits > 9) return kNotATimestamp;
      if (fraction_digits <= 6) micros_in_second = micros_in_second * 10 + (text[pos] - '0');
      ++pos;
    }
    if (fraction_digits == 0) return kNotATimestamp;
    for (int i = fraction_digits; i < 6; ++i) micros_in_second *= 10;
  }

  const std::int64_t local_seconds =
      static_cast<std::int64_t>(sys_days{date}.time_since_epoch().count()) * 86'400 + *h * 3'600LL + *mi * 60LL + *s;
  std::int64_t utc_seconds = 0;
  if (pos == text.size()) {
    utc_seconds = zone_for_local.to_utc(local_seconds);
  } else {
    const auto offset_minutes = parse_zone_minutes(text.substr(pos));
    if (!offset_minutes) return kNotATimestamp;
    utc_seconds = local_seconds - *offset_minutes * 60LL;
  }
  const std::int64_t micros = utc_seconds * 1'000'000 + micros_in_second;
  if (!is_representable_timestamp(micros)) return TimestampError::not_representable;
  return micros;
}

std::optional<std::int64_t> parse_timestamp_micros(std::string_view text, const TimeZone& zone_for_local) {
  const auto read = read_timestamp_micros(text, zone_for_local);
  if (const auto* micros = std::get_if<std::int64_t>(&read)) return *micros;
  return std::nullopt;
}

}  // namespace ratingstream::rating
