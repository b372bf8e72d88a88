#pragma once
// The zone in which a timestamp without a UTC offset is read (`--timezone`, default UTC).
//
// Named zones come from the system tz database ($TZDIR, else /usr/share/zoneinfo) through
// Abseil's time library (libabsl-dev): it reads each TZif file once, follows the rule in its
// footer past the last listed transition, and is safe to use from every thread, where TZ and
// mktime would change process-wide state (other threads, spdlog's local-time stamps). Howard
// Hinnant's date/tz was the other candidate; with the system database it ignores the footer, so
// DST would stop after the last transition listed in the file (2037 on Debian, sooner with slim
// files).

#include <absl/time/time.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace ratingstream::rating {

class TimeZone {
 public:
  // UTC: pure arithmetic, no table.
  static TimeZone utc();

  // The IANA zone `name` ("Europe/Athens") from the tz database in $TZDIR, else
  // /usr/share/zoneinfo. "UTC", "Etc/UTC" and friends give utc(). Throws InputError naming the
  // zone when it is unknown or its file is not a valid TZif file.
  static TimeZone named(std::string_view name);

  const std::string& name() const { return name_; }
  bool is_utc() const { return is_utc_; }

  // The zone's offset from UTC, in seconds, at the UTC instant `utc_seconds`.
  std::int32_t offset_at(std::int64_t utc_seconds) const;

  // The UTC instant of a wall-clock time of this zone, both as seconds since the epoch (the
  // local time counted as if it were UTC). Wall-clock times that occur twice (clocks set back)
  // give the earlier instant; times skipped by a jump forward are moved forward by the jump.
  // Both rules are java.time's (ZonedDateTime.of), so Spark reads such times the same way.
  std::int64_t to_utc(std::int64_t local_seconds) const;

 private:
  TimeZone() = default;

  std::string name_;
  bool is_utc_ = false;
  absl::TimeZone zone_;  // a handle to Abseil's process-wide copy of the zone
};

}  // namespace ratingstream::rating
