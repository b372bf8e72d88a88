#include "process/partition_batches.hpp"

#include <algorithm>

namespace ratingstream::process {

std::size_t row_bytes(const Row& row) {
  // timestamp 8, uuid 16, three ints 12, and each value's 4-byte length
  constexpr std::size_t kFixed = 8 + 16 + 12 + 4 * kRowColumnCount;
  std::size_t bytes = kFixed + row.name.size() + row.movie().size();
  if (row.film != nullptr) {
    bytes +=
        row.film->country.size() + row.film->director.size() + row.film->age_rating.size() + row.film->show_id.size();
  }
  return bytes;
}

std::vector<std::size_t> group_by_partition(std::span<const Row> rows, std::vector<std::size_t>& order,
                                            std::size_t max_rows, std::size_t max_bytes,
                                            const store::TableLayout& layout) {
  std::vector<std::size_t> ends;
  if (max_rows <= 1 || order.empty()) return ends;
  const auto bucket = [&](std::size_t i) {
    return layout.bucketed() ? store::bucket_start(*layout.bucket, rows[i].timestamp).millis : 0;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (const int c = rows[a].name.compare(rows[b].name); c != 0) return c < 0;
    return bucket(a) < bucket(b);
  });
  std::size_t in_batch = 0;
  std::size_t batch_bytes = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t bytes = row_bytes(rows[order[k]]);
    if (in_batch == max_rows || (in_batch > 0 && batch_bytes + bytes > max_bytes) ||
        (k > 0 && (rows[order[k]].name != rows[order[k - 1]].name || bucket(order[k]) != bucket(order[k - 1])))) {
      ends.push_back(k);
      in_batch = 0;
      batch_bytes = 0;
    }
    ++in_batch;
    batch_bytes += bytes;
  }
  ends.push_back(order.size());
  return ends;
}

std::vector<std::size_t> bind_in_partition_batches(std::span<const Row> rows, std::vector<std::size_t>& order,
                                                   std::size_t max_rows, std::vector<store::BoundValue>& values,
                                                   const store::TableLayout& layout,
                                                   std::optional<store::ExpiryCheck> expiry) {
  auto ends = group_by_partition(rows, order, max_rows, kMaxBatchBytes, layout);
  values.clear();
  values.reserve(order.size() * (kRowColumnCount + 2));
  for (const std::size_t i : order) {
    append_row_values(rows[i], layout, values);
    if (expiry) {
      const auto ttl = store::row_time_to_live(expiry->retention, rows[i].timestamp, expiry->now);
      values.push_back(store::BoundValue::of_int32(ttl.value_or(1)));
    }
  }
  return ends;
}

}  // namespace ratingstream::process
