#include "process/offset_tracker.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace ratingstream::process {

void OffsetTracker::read(std::int32_t partition, std::int64_t offset) {
  Partition& p = partitions_[partition];
  if (p.last_read && offset <= *p.last_read) {
    throw std::logic_error("offset tracker: partition " + std::to_string(partition) + " read offset " +
                           std::to_string(offset) + " after " + std::to_string(*p.last_read));
  }
  p.last_read = offset;
  p.records.push_back({offset, false});
}

OffsetTracker::Record* OffsetTracker::find(std::int32_t partition, std::int64_t offset) {
  const auto it = partitions_.find(partition);
  if (it == partitions_.end()) return nullptr;
  auto& records = it->second.records;
  const auto r = std::lower_bound(records.begin(), records.end(), offset,
                                  [](const Record& record, std::int64_t o) { return record.offset < o; });
  return (r != records.end() && r->offset == offset) ? &*r : nullptr;
}

void OffsetTracker::drop_done_prefix(Partition& p) {
  while (!p.records.empty() && p.records.front().done) {
    p.committable = p.records.front().offset + 1;
    p.records.pop_front();
  }
  if (p.records.empty() && p.advanced_to) {
    if (!p.committable || *p.committable < *p.advanced_to) p.committable = p.advanced_to;
    p.advanced_to.reset();
  }
}

void OffsetTracker::reset_to(std::int32_t partition, std::int64_t offset) {
  Partition& p = partitions_[partition];
  p.records.clear();
  p.last_read = offset - 1;
  p.committable = offset;
  p.committed.reset();
  p.advanced_to.reset();
}

void OffsetTracker::advance_to(std::int32_t partition, std::int64_t offset) {
  Partition& p = partitions_[partition];
  if (p.last_read && offset <= *p.last_read) return;  // already read past it
  if (!p.advanced_to || *p.advanced_to < offset) p.advanced_to = offset;
  p.last_read = offset - 1;
  drop_done_prefix(p);
}

bool OffsetTracker::done(std::int32_t partition, std::int64_t offset) {
  Record* record = find(partition, offset);
  if (record == nullptr) return false;
  record->done = true;
  drop_done_prefix(partitions_.at(partition));
  return true;
}

std::optional<std::int64_t> OffsetTracker::committable(std::int32_t partition) const {
  const auto it = partitions_.find(partition);
  return it == partitions_.end() ? std::nullopt : it->second.committable;
}

std::vector<kafka::PartitionOffset> OffsetTracker::to_commit() const {
  std::vector<kafka::PartitionOffset> out;
  for (const auto& [partition, p] : partitions_) {
    if (p.committable && (!p.committed || *p.committed < *p.committable)) {
      out.push_back({partition, *p.committable});
    }
  }
  return out;
}

void OffsetTracker::committed(std::int32_t partition, std::int64_t offset) {
  const auto it = partitions_.find(partition);
  if (it == partitions_.end()) return;  // revoked meanwhile
  auto& committed = it->second.committed;
  if (!committed || *committed < offset) committed = offset;
}

void OffsetTracker::revoke(std::int32_t partition) { partitions_.erase(partition); }

std::size_t OffsetTracker::outstanding(std::int32_t partition) const {
  const auto it = partitions_.find(partition);
  if (it == partitions_.end()) return 0;
  return static_cast<std::size_t>(
      std::count_if(it->second.records.begin(), it->second.records.end(), [](const Record& r) { return !r.done; }));
}

std::size_t OffsetTracker::outstanding() const {
  std::size_t total = 0;
  for (const auto& [partition, p] : partitions_) total += outstanding(partition);
  return total;
}

}  // namespace ratingstream::process
