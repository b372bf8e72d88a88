#pragma once
// The zone in which a timestamp without a UTC offset is read (`--timezone`, default UTC).
//
// GCC 12's libstdc++ has no std::chrono::tzdb, and TZ + mktime would change process-wide state
// (other threads, spdlog's local-time stamps), so a named zone is read from the system tz
// database's TZif file once and answered from an in-memory transition table.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ratingstream::rating {

class TimeZone {
 public:
  // UTC: pure arithmetic, no table.
  static TimeZone utc();

  // The IANA zone `name` ("Europe/Athens") from the tz database in $TZDIR, else
  // /usr/share/zoneinfo. "UTC", "Etc/UTC" and friends give utc(). Throws InputError naming the
  // zone when it is unknown or its file is not a valid TZif file.
  static TimeZone named(std::string_view name);

  // A zone from the bytes of a TZif file (RFC 8536, versions 1 to 4). Throws InputError naming
  // `name` when the bytes are not valid TZif.
  static TimeZone from_tzif(std::string_view name, std::string_view tzif);

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
  struct Transition {
    std::int64_t at;      // UTC seconds when the offset changes
    std::int32_t offset;  // seconds east of UTC from `at` on
  };

  TimeZone() = default;
  std::int32_t offset_before(std::size_t transition) const;

  std::string name_;
  bool is_utc_ = false;
  std::int32_t initial_offset_ = 0;      // before the first transition
  std::vector<Transition> transitions_;  // ascending; empty for a fixed offset
};

}  // namespace ratingstream::rating
