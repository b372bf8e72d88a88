#pragma once
// Time buckets of the bucketed table layout (docs/data-over-time.md): a person's ratings are
// split into one partition per UTC hour, day, ISO week or month, so that no partition grows for
// ever. A bucket is named by its start, a CQL `timestamp`.
//
// Every function here works on instants of years 0001..9999 in UTC, the range the decoder and the
// query tool accept.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "store/session.hpp"

namespace ratingstream::store {

enum class BucketSize { hour, day, week, month };

// "hour", "day", "week", "month".
std::string_view bucket_size_name(BucketSize size);
// The size named `text` (as bucket_size_name spells it); nullopt for any other text.
std::optional<BucketSize> parse_bucket_size(std::string_view text);

// The start of the bucket holding `t`: the UTC hour, day, Monday of the ISO week, or first of the
// month at 00:00. Instants before 1970 round down too.
Timestamp bucket_start(BucketSize size, Timestamp t);
// The start of the bucket after the one starting at `start` (a bucket_start).
Timestamp next_bucket_start(BucketSize size, Timestamp start);

// The starts of the buckets that hold some instant of [from, to), newest first (the order the
// questions print rows in). Empty when from >= to.
std::vector<Timestamp> buckets_newest_first(BucketSize size, Timestamp from, Timestamp to);

// The longest a bucket of `size` lasts (a month: 31 days).
std::chrono::seconds longest_bucket(BucketSize size);

// Cassandra's guidance for one partition (docs/data-over-time.md, "Bucket sizing").
inline constexpr std::int64_t kPartitionRowsGuidance = 100'000;
inline constexpr std::int64_t kPartitionBytesGuidance = 100'000'000;

// What the largest partition of one person reaches at `ratings_per_second`, with rows of
// `bytes_per_row` on disk before compression.
struct PartitionEstimate {
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
  bool within_guidance() const { return rows <= kPartitionRowsGuidance && bytes <= kPartitionBytesGuidance; }
};
PartitionEstimate estimate_partition(BucketSize size, double ratings_per_second, std::int64_t bytes_per_row);

}  // namespace ratingstream::store
