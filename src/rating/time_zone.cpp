#include "rating/time_zone.hpp"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "common/errors.hpp"

namespace ratingstream::rating {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_utc_alias(std::string_view name) {
  for (std::string_view alias : {"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z"}) {
    if (equals_ignoring_case(name, alias)) return true;
  }
  return false;
}

// An IANA name is a relative path of letters, digits and "/_+-". Anything else (absolute paths,
// "..", Abseil's "file:" prefix) could read an arbitrary file, so it is refused before the
// library is asked.
bool is_plausible_zone_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '+' || c == '-')) {
      return false;
    }
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

// Where Abseil looks, for messages: $TZDIR, else the system database.
std::string tz_database_dir() {
  const char* dir = std::getenv("TZDIR");
  return (dir != nullptr && *dir != '\0') ? std::string(dir) : std::string("/usr/share/zoneinfo");
}

const absl::CivilSecond kEpoch(1970, 1, 1, 0, 0, 0);

}  // namespace

TimeZone TimeZone::utc() {
  TimeZone zone;
  zone.name_ = "UTC";
  zone.is_utc_ = true;
  zone.zone_ = absl::UTCTimeZone();
  return zone;
}

TimeZone TimeZone::named(std::string_view name) {
  if (is_utc_alias(name)) return utc();
  TimeZone zone;
  if (!is_plausible_zone_name(name) || !absl::LoadTimeZone(std::string(name), &zone.zone_)) {
    throw InputError("unknown time zone \"" + std::string(name) + "\": not in the tz database (" + tz_database_dir() +
                     "), or its file there is not readable TZif; use an IANA name such as " + "Europe/Athens, or UTC");
  }
  zone.name_ = std::string(name);
  return zone;
}

std::int32_t TimeZone::offset_at(std::int64_t utc_seconds) const {
  if (is_utc_) return 0;
  return static_cast<std::int32_t>(zone_.At(absl::FromUnixSeconds(utc_seconds)).offset);
}

std::int64_t TimeZone::to_utc(std::int64_t local_seconds) const {
  if (is_utc_) return local_seconds;
  // `pre` is the instant the wall-clock time has under the offset in force before a transition
  // next to it: for a time that occurs twice, the earlier one; for a time skipped by a jump
  // forward, the time moved forward by the jump. Both are java.time's rules.
  return absl::ToUnixSeconds(zone_.At(kEpoch + local_seconds).pre);
}

}  // namespace ratingstream::rating
