#pragma once
// How Q1 reads a window with hourly rollups (docs/data-over-time.md, "Hourly rollups"): the whole
// UTC hours inside the window from the rollup table, the partial hours at its edges from the raw
// rows.

#include <optional>
#include <vector>

#include "query/time_window.hpp"

namespace ratingstream::query {

struct RollupSplit {
  // [first whole hour, end of the last whole hour): read from the rollups. nullopt when the window
  // holds no whole hour.
  std::optional<TimeWindow> whole_hours;
  // The rest of the window, read from the raw rows: at most two windows, oldest first, none
  // empty. The whole window when it holds no whole hour.
  std::vector<TimeWindow> edges;
};

// The split of `window` (from < to). The parts are disjoint and together exactly the window.
RollupSplit split_for_rollups(const TimeWindow& window);

}  // namespace ratingstream::query
