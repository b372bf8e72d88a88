#include "query/time_window.hpp"

#include <fmt/format.h>

#include <chrono>

#include "common/errors.hpp"
#include "common/setting.hpp"
#include "common/text.hpp"

namespace ratingstream::query {
namespace {

constexpr std::int64_t kMicrosPerHour = 3'600'000'000LL;

// A flag's text in a message: in double quotes, without its raw bytes.
std::string quoted(std::string_view text) { return excerpt(text, {.quote = '"'}); }

// A real date and time that its zone or offset (or the query's zone) moves out of the years
// timestamps have.
std::string outside_the_years() {
  return fmt::format(
      "is outside the years 0001 to 9999 once in UTC (its zone or offset, or {}, moves it there); no rating can "
      "have such a time, so give one from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z",
      Setting::query_time_zone);
}

bool is_date_time_separator(char c) { return c == 'T' || c == 't' || c == ' '; }

// What may follow the minutes (or the hour) of a shortened time: nothing, or a zone. Anything
// else (a fraction after minutes, say) is not a time we complete.
bool is_zone_or_end(std::string_view rest) {
  return rest.empty() || rest[0] == 'Z' || rest[0] == 'z' || rest[0] == '+' || rest[0] == '-';
}

}  // namespace

store::Timestamp ceil_to_millis(std::int64_t micros) {
  return store::Timestamp{std::chrono::ceil<std::chrono::milliseconds>(std::chrono::microseconds{micros}).count()};
}

std::optional<std::int64_t> parse_query_time_micros(std::string_view text, const rating::TimeZone& zone_for_local) {
  const auto read = read_query_time_micros(text, zone_for_local);
  if (const auto* micros = std::get_if<std::int64_t>(&read)) return *micros;
  return std::nullopt;
}

std::variant<std::int64_t, rating::TimestampError> read_query_time_micros(std::string_view text,
                                                                          const rating::TimeZone& zone_for_local) {
  text = trim(text, " ");
  constexpr std::size_t kDate = 10;            // YYYY-MM-DD
  constexpr std::size_t kDateHourMinute = 16;  // YYYY-MM-DDTHH:MM
  if (text.size() == kDate) {
    return rating::read_timestamp_micros(std::string(text) + "T00:00:00", zone_for_local);
  }
  if (text.size() >= kDateHourMinute && is_date_time_separator(text[kDate]) && text[13] == ':' &&
      is_zone_or_end(text.substr(kDateHourMinute))) {
    std::string completed(text.substr(0, kDateHourMinute));
    completed += ":00";
    completed += text.substr(kDateHourMinute);
    return rating::read_timestamp_micros(completed, zone_for_local);
  }
  return rating::read_timestamp_micros(text, zone_for_local);
}

std::optional<TimeWindow> parse_hour(std::string_view text, const rating::TimeZone& zone_for_local) {
  const auto read = read_hour(text, zone_for_local);
  if (const auto* window = std::get_if<TimeWindow>(&read)) return *window;
  return std::nullopt;
}

std::variant<TimeWindow, rating::TimestampError> read_hour(std::string_view text,
                                                           const rating::TimeZone& zone_for_local) {
  text = trim(text, " ");
  constexpr std::size_t kDateHour = 13;  // YYYY-MM-DD HH
  if (text.size() < kDateHour || !is_date_time_separator(text[10]) || !is_zone_or_end(text.substr(kDateHour))) {
    return rating::TimestampError::not_a_timestamp;
  }
  std::string completed(text.substr(0, kDateHour));
  completed += ":00:00";
  completed += text.substr(kDateHour);
  const auto read = rating::read_timestamp_micros(completed, zone_for_local);
  if (const auto* error = std::get_if<rating::TimestampError>(&read)) return *error;
  const std::int64_t* start = std::get_if<std::int64_t>(&read);
  // Sixty minutes from the start, even across a change of the clocks: "the hour of 02:00" on the
  // night they are set back is the first 02:00 (java.time's rule) and lasts an hour.
  return TimeWindow{ceil_to_millis(*start), ceil_to_millis(*start + kMicrosPerHour)};
}

TimeWindow resolve_window(const WindowFlags& flags, const rating::TimeZone& zone_for_local) {
  if (flags.hour) {
    if (flags.from || flags.to)
      throw InputError(fmt::format("{} cannot be combined with {} or {}: give one or the other", Setting::hour,
                                   Setting::from, Setting::to));
    const auto read = read_hour(*flags.hour, zone_for_local);
    if (const auto* error = std::get_if<rating::TimestampError>(&read)) {
      if (*error == rating::TimestampError::not_representable) {
        throw InputError(fmt::format("{}: {} {}", Setting::hour, quoted(*flags.hour), outside_the_years()));
      }
      throw InputError(fmt::format("{}: {} is not an hour; write YYYY-MM-DD HH, e.g. {} \"2025-03-13 19\"",
                                   Setting::hour, quoted(*flags.hour), Setting::hour));
    }
    return std::get<TimeWindow>(read);
  }
  if (!flags.from && !flags.to) {
    throw InputError(fmt::format("no time window: give {} and {} (the window is [from, to)), or {}", Setting::from,
                                 Setting::to, Setting::hour));
  }
  if (!flags.from || !flags.to) {
    throw InputError(fmt::format("{} is missing: give {} and {} (the window is [from, to))",
                                 flags.from ? Setting::to : Setting::from, Setting::from, Setting::to));
  }

  const auto read = [&zone_for_local](Setting setting, const std::string& text) {
    const auto micros = read_query_time_micros(text, zone_for_local);
    if (const auto* error = std::get_if<rating::TimestampError>(&micros)) {
      if (*error == rating::TimestampError::not_representable) {
        throw InputError(fmt::format("{}: {} {}", setting, quoted(text), outside_the_years()));
      }
      throw InputError(fmt::format(
          "{}: {} is not a time; write ISO-8601, e.g. 2025-03-13T19:26:50Z, \"2025-03-13 19:26\" or 2025-03-13 "
          "(times without a zone are read in {}, UTC by default)",
          setting, quoted(text), Setting::query_time_zone));
    }
    return std::get<std::int64_t>(micros);
  };
  const std::int64_t from = read(Setting::from, *flags.from);
  const std::int64_t to = read(Setting::to, *flags.to);
  if (from >= to) {
    throw InputError(fmt::format("{} {} is not before {} {}: the window is [from, to), so {} must be later",
                                 Setting::from, quoted(*flags.from), Setting::to, quoted(*flags.to), Setting::to));
  }
  return TimeWindow{ceil_to_millis(from), ceil_to_millis(to)};
}

}  // namespace ratingstream::query
