#include "store/time_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace ratingstream::store {

namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using SysMs = std::chrono::sys_time<milliseconds>;

SysMs to_sys(Timestamp t) { return SysMs{milliseconds{t.millis}}; }
Timestamp from_sys(SysMs t) { return Timestamp{t.time_since_epoch().count()}; }

}  // namespace

std::string_view bucket_size_name(BucketSize size) {
  switch (size) {
    case BucketSize::hour: return "hour";
    case BucketSize::day: return "day";
    case BucketSize::week: return "week";
    case BucketSize::month: return "month";
  }
  return "hour";
}

std::optional<BucketSize> parse_bucket_size(std::string_view text) {
  for (const auto size : {BucketSize::hour, BucketSize::day, BucketSize::week, BucketSize::month})
    if (text == bucket_size_name(size)) return size;
  return std::nullopt;
}

Timestamp bucket_start(BucketSize size, Timestamp t) {
  const SysMs instant = to_sys(t);
  switch (size) {
    case BucketSize::hour: return from_sys(std::chrono::floor<std::chrono::hours>(instant));
    case BucketSize::day: return from_sys(std::chrono::floor<days>(instant));
    case BucketSize::week: {
      // ISO weeks start on Monday; 1970-01-01 was a Thursday.
      const auto day = std::chrono::floor<days>(instant);
      const unsigned since_monday = std::chrono::weekday{day}.iso_encoding() - 1;
      return from_sys(day - days{since_monday});
    }
    case BucketSize::month: {
      const std::chrono::year_month_day date{std::chrono::floor<days>(instant)};
      return from_sys(std::chrono::sys_days{date.year() / date.month() / 1});
    }
  }
  return t;
}

Timestamp next_bucket_start(BucketSize size, Timestamp start) {
  const SysMs instant = to_sys(start);
  switch (size) {
    case BucketSize::hour: return from_sys(instant + std::chrono::hours{1});
    case BucketSize::day: return from_sys(instant + days{1});
    case BucketSize::week: return from_sys(instant + days{7});
    case BucketSize::month: {
      const std::chrono::year_month_day date{std::chrono::floor<days>(instant)};
      const auto next = date.year() / date.month() / 1 + std::chrono::months{1};
      return from_sys(std::chrono::sys_days{next});
    }
  }
  return start;
}

std::vector<Timestamp> buckets_newest_first(BucketSize size, Timestamp from, Timestamp to) {
  std::vector<Timestamp> starts;
  if (from.millis >= to.millis) return starts;
  for (Timestamp start = bucket_start(size, from); start.millis < to.millis; start = next_bucket_start(size, start))
    starts.push_back(start);
  return {starts.rbegin(), starts.rend()};
}

std::chrono::seconds longest_bucket(BucketSize size) {
  switch (size) {
    case BucketSize::hour: return std::chrono::hours{1};
    case BucketSize::day: return days{1};
    case BucketSize::week: return days{7};
    case BucketSize::month: return days{31};
  }
  return days{31};
}

PartitionEstimate estimate_partition(BucketSize size, double ratings_per_second, std::int64_t bytes_per_row) {
  PartitionEstimate estimate;
  const double rows = std::ceil(std::max(0.0, ratings_per_second) * static_cast<double>(longest_bucket(size).count()));
  estimate.rows = static_cast<std::int64_t>(rows);
  estimate.bytes = estimate.rows * bytes_per_row;
  return estimate;
}

}  // namespace ratingstream::store
