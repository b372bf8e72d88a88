#pragma once
// The pipeline's last minutes, for the page's charts: the processor's Metrics sampled every
// second into a ring buffer; rates are differences of consecutive samples per second of time
// between them. Sampling copies the counters under Metrics' own short lock, so the processor's
// hot path never waits on the page.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "observe/metrics.hpp"

namespace ratingstream::dashboard {

class PipelineHistory {
 public:
  using WallClock = std::chrono::system_clock;

  // Keeps `capacity` samples (600: ten minutes at one a second).
  explicit PipelineHistory(std::size_t capacity = 600);

  // Adds the counters as they were at `at`. Samples must come in time order.
  void add(WallClock::time_point at, observe::MetricsSnapshot snapshot);

  // The history as the JSON of GET /api/pipeline (docs/dashboard.md).
  std::string json() const;

 private:
  struct Sample {
    WallClock::time_point at;
    observe::MetricsSnapshot counters;
  };
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::deque<Sample> samples_;  // one more than capacity_: the first rate needs a predecessor
};

// Samples `source` into `history` every `every` on its own thread, from construction to
// destruction.
class PipelineSampler {
 public:
  PipelineSampler(PipelineHistory& history, std::function<observe::MetricsSnapshot()> source,
                  std::chrono::milliseconds every = std::chrono::seconds(1));
  ~PipelineSampler();
  PipelineSampler(const PipelineSampler&) = delete;
  PipelineSampler& operator=(const PipelineSampler&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ratingstream::dashboard
