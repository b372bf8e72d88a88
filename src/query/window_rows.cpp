#include "query/window_rows.hpp"

#include <algorithm>

#include "store/time_bucket.hpp"

namespace ratingstream::query {

std::vector<WindowPart> window_parts(const store::TableLayout& layout, const TimeWindow& window) {
  if (!layout.bucketed()) return {WindowPart{window, std::nullopt}};
  std::vector<WindowPart> parts;
  for (const store::Timestamp start : store::buckets_newest_first(*layout.bucket, window.from, window.to)) {
    const store::Timestamp end = store::next_bucket_start(*layout.bucket, start);
    parts.push_back({TimeWindow{store::Timestamp{std::max(start.millis, window.from.millis)},
                                store::Timestamp{std::min(end.millis, window.to.millis)}},
                     start});
  }
  return parts;
}

WindowRows::WindowRows(const store::TableLayout& layout, const TimeWindow& window, OpenPart open,
                       std::size_t reads_ahead)
    : parts_(window_parts(layout, window)),
      open_(std::move(open)),
      reads_ahead_(std::max<std::size_t>(1, reads_ahead)) {}

WindowRows::~WindowRows() {
  // A read still running uses open_ and the session: let it end (a future of std::async would
  // wait in its destructor too; this says so).
  for (auto& read : started_) {
    if (read.valid()) read.wait();
  }
}

void WindowRows::start_reads() {
  while (started_.size() < reads_ahead_ && next_to_start_ < parts_.size()) {
    const WindowPart& part = parts_[next_to_start_++];
    if (parts_.size() == 1) {
      // One part (the original layout, or a window inside one bucket): read on this thread.
      std::promise<store::RowPager> ready;
      ready.set_value(open_(part));
      started_.push_back(ready.get_future());
    } else {
      started_.push_back(std::async(std::launch::async, [this, &part] { return open_(part); }));
    }
  }
}

std::optional<std::vector<store::Value>> WindowRows::next() {
  for (;;) {
    if (current_) {
      if (auto row = current_->next()) return row;
      current_.reset();
    }
    start_reads();
    if (started_.empty()) return std::nullopt;
    auto read = std::move(started_.front());
    started_.pop_front();
    current_.emplace(read.get());
    start_reads();
  }
}

}  // namespace ratingstream::query
