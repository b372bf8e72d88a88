#include "process/partition_batches.hpp"

#include <algorithm>

namespace ratingstream::process {

std::vector<std::size_t> group_by_partition(std::span<const Row> rows, std::vector<std::size_t>& order,
                                            std::size_t max_rows) {
  std::vector<std::size_t> ends;
  if (max_rows <= 1 || order.empty()) return ends;
  std::stable_sort(order.begin(), order.end(),
                   [&rows](std::size_t a, std::size_t b) { return rows[a].name < rows[b].name; });
  std::size_t in_batch = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (in_batch == max_rows || (k > 0 && rows[order[k]].name != rows[order[k - 1]].name)) {
      ends.push_back(k);
      in_batch = 0;
    }
    ++in_batch;
  }
  ends.push_back(order.size());
  return ends;
}

std::vector<std::size_t> bind_in_partition_batches(std::span<const Row> rows, std::vector<std::size_t>& order,
                                                   std::size_t max_rows, std::vector<store::BoundValue>& values) {
  auto ends = group_by_partition(rows, order, max_rows);
  values.clear();
  values.reserve(order.size() * kRowColumnCount);
  for (const std::size_t i : order) {
    const auto bound = bind_row(rows[i]);
    values.insert(values.end(), bound.begin(), bound.end());
  }
  return ends;
}

}  // namespace ratingstream::process
