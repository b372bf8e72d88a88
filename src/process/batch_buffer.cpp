#include "process/batch_buffer.hpp"

#include <algorithm>
#include <utility>

namespace ratingstream::process {

void BatchBuffer::add(kafka::Record record) { records_.push_back(std::move(record)); }

std::size_t BatchBuffer::drop_partition(std::int32_t partition) {
  const auto removed = std::remove_if(records_.begin(), records_.end(),
                                      [partition](const kafka::Record& r) { return r.partition == partition; });
  const auto count = static_cast<std::size_t>(records_.end() - removed);
  records_.erase(removed, records_.end());
  return count;
}

std::vector<kafka::Record> BatchBuffer::take() {
  std::vector<kafka::Record> out;
  out.swap(records_);
  records_.reserve(out.size());  // the next batch is likely of a similar size
  return out;
}

}  // namespace ratingstream::process
