#pragma once
// The time window of a question (Q1, Q2; docs/contract.md, "Questions the table answers"):
// `[from, to)` in the milliseconds of CQL's `timestamp`, read from --from/--to or --hour,
// zone-less times in --tz (UTC by default).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "rating/time_zone.hpp"
#include "rating/timestamp.hpp"
#include "store/session.hpp"

namespace ratingstream::query {

// [from, to): `from` inclusive, `to` exclusive, as the questions' CQL compares them.
struct TimeWindow {
  store::Timestamp from;
  store::Timestamp to;
  friend bool operator==(const TimeWindow&, const TimeWindow&) = default;
};

// A time as a user types it on the command line, as microseconds since the Unix epoch:
//   YYYY-MM-DD                          midnight
//   YYYY-MM-DD[T| ]HH:MM[zone]          whole minute
//   YYYY-MM-DD[T| ]HH:MM:SS[.f][zone]   as rating::parse_timestamp_micros reads it
// (also cqlsh's output, `2025-03-13 19:26:50.863000+0000`, so a printed time can be pasted back).
// Without a zone the time is a wall-clock time of `zone_for_local`. nullopt when it is none of
// these.
std::optional<std::int64_t> parse_query_time_micros(std::string_view text, const rating::TimeZone& zone_for_local);
// The same, telling why a text is refused: not a time, or a time outside years 0001..9999 in UTC.
std::variant<std::int64_t, rating::TimestampError> read_query_time_micros(std::string_view text,
                                                                          const rating::TimeZone& zone_for_local);

// The hour of `YYYY-MM-DD HH` (or `T` instead of the space, optionally followed by a zone), as
// [start, start + 1 h). nullopt when the text is not such an hour.
std::optional<TimeWindow> parse_hour(std::string_view text, const rating::TimeZone& zone_for_local);
// The same, telling why a text is refused (as read_query_time_micros).
std::variant<TimeWindow, rating::TimestampError> read_hour(std::string_view text,
                                                           const rating::TimeZone& zone_for_local);

// The window's settings as given (empty: not given): Setting::from, to and hour.
struct WindowFlags {
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> hour;
};

// The window of `flags`: from and to together, or hour alone. Throws InputError, one line naming
// the setting (as common/setting.hpp spells it), for a missing or extra one, a text that is not
// a time (or one outside years 0001..9999 in UTC, said as such), or from not before to. The texts
// are shown without their raw bytes.
TimeWindow resolve_window(const WindowFlags& flags, const rating::TimeZone& zone_for_local);

// Microseconds to CQL milliseconds, rounded up: a row stored at 19:26:50.863 is before a bound
// of 19:26:50.863211, so both `>= from` and `< to` must compare against .864 to include exactly
// the rows at or after `from` and before `to`.
store::Timestamp ceil_to_millis(std::int64_t micros);

}  // namespace ratingstream::query
