#pragma once
// One person's rows of a window, newest first, whatever the table's layout
// (docs/data-over-time.md, "Queries across buckets"). The original layout has one partition per
// person: one read. A bucketed table has one per person and bucket: each bucket the window
// touches is read with the window cut to it, several at once (bounded), and the rows come out
// bucket after bucket, newest bucket first, so the order is the same as the original layout's.

#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <optional>
#include <vector>

#include "query/time_window.hpp"
#include "store/session.hpp"
#include "store/table_layout.hpp"

namespace ratingstream::query {

// Buckets read at once: each holds at most one page in memory while it waits its turn.
inline constexpr std::size_t kBucketReadsAhead = 8;

// The parts of `window` to read, newest first: the window itself (no bucket) in the original
// layout, else each bucket it touches with the window cut to that bucket.
struct WindowPart {
  TimeWindow window;
  std::optional<store::Timestamp> bucket;
  friend bool operator==(const WindowPart&, const WindowPart&) = default;
};
std::vector<WindowPart> window_parts(const store::TableLayout& layout, const TimeWindow& window);

class WindowRows {
 public:
  // Starts the read of one part (called from other threads, up to `reads_ahead` at once).
  using OpenPart = std::function<store::RowPager(const WindowPart& part)>;

  WindowRows(const store::TableLayout& layout, const TimeWindow& window, OpenPart open,
             std::size_t reads_ahead = kBucketReadsAhead);
  // Waits for the reads started and not finished.
  ~WindowRows();
  WindowRows(const WindowRows&) = delete;
  WindowRows& operator=(const WindowRows&) = delete;

  // The next row, newest first; nullopt after the last. Throws what a read throws.
  std::optional<std::vector<store::Value>> next();

 private:
  void start_reads();

  std::vector<WindowPart> parts_;
  OpenPart open_;
  std::size_t reads_ahead_;
  std::size_t next_to_start_ = 0;
  std::deque<std::future<store::RowPager>> started_;
  std::optional<store::RowPager> current_;
};

}  // namespace ratingstream::query
