#include "store/row_expiry.hpp"

#include <algorithm>

namespace ratingstream::store {

std::optional<std::int32_t> row_time_to_live(std::chrono::seconds retention, Timestamp rating_time, Timestamp now) {
  using std::chrono::milliseconds;
  // In milliseconds of int64: retention is at most kMaxTimeToLive and both instants lie within
  // years 0001..9999, so none of this overflows.
  const std::int64_t expires_at = rating_time.millis + std::chrono::duration_cast<milliseconds>(retention).count();
  const std::int64_t left_ms = expires_at - now.millis;
  if (left_ms <= 0) return std::nullopt;
  const std::int64_t left_s = (left_ms + 999) / 1000;
  const std::int64_t latest_s = std::max<std::int64_t>(1, (kLatestExpiry.millis - now.millis) / 1000);
  return static_cast<std::int32_t>(std::min({left_s, kMaxTimeToLive.count(), latest_s}));
}

}  // namespace ratingstream::store
