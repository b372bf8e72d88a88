#include "query/rollup_window.hpp"

#include "store/time_bucket.hpp"

namespace ratingstream::query {

RollupSplit split_for_rollups(const TimeWindow& window) {
  using store::BucketSize;
  RollupSplit split;
  if (window.from.millis >= window.to.millis) return split;
  const store::Timestamp floor_from = store::bucket_start(BucketSize::hour, window.from);
  const store::Timestamp first_whole =
      floor_from == window.from ? floor_from : store::next_bucket_start(BucketSize::hour, floor_from);
  const store::Timestamp end_whole = store::bucket_start(BucketSize::hour, window.to);
  if (first_whole.millis >= end_whole.millis) {
    split.edges.push_back(window);
    return split;
  }
  split.whole_hours = TimeWindow{first_whole, end_whole};
  if (window.from.millis < first_whole.millis) split.edges.push_back(TimeWindow{window.from, first_whole});
  if (end_whole.millis < window.to.millis) split.edges.push_back(TimeWindow{end_whole, window.to});
  return split;
}

}  // namespace ratingstream::query
