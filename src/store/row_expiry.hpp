#pragma once
// Retention (docs/data-over-time.md, "Retention"): a row lives for the table's retention counted
// from the rating's own time, not from the moment it is written, so a replayed or late record
// expires with its neighbours. Each row is written `USING TTL` the seconds it has left.

#include <chrono>
#include <cstdint>
#include <optional>

#include "store/session.hpp"

namespace ratingstream::store {

// The longest time to live Cassandra accepts (20 years; its `MAX_TTL`).
inline constexpr std::chrono::seconds kMaxTimeToLive{630'720'000};
// The latest expiry a Cassandra 5.0 node accepts in its default storage_compatibility_mode
// (CASSANDRA_4): 2038-01-19T03:14:06Z. Later ones are refused (expiration_date_overflow_policy
// REJECT), which would stop the processor on a rating dated far ahead.
inline constexpr Timestamp kLatestExpiry{2'147'483'646'000};

// The seconds to write a row of a rating made at `rating_time` with, `now` being the time of the
// write: what is left of `retention` after the rating's age, rounded up so that no row expires
// before its time, at most kMaxTimeToLive and never past kLatestExpiry (a rating dated in the
// future, a retention of years). nullopt when the rating is already past retention: it is not
// written (counted as expired). `retention` > 0, `now` before kLatestExpiry.
std::optional<std::int32_t> row_time_to_live(std::chrono::seconds retention, Timestamp rating_time, Timestamp now);

// A table's retention and the time rows are checked against it.
struct ExpiryCheck {
  std::chrono::seconds retention;
  Timestamp now;
};

}  // namespace ratingstream::store
