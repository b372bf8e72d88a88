#pragma once
// SIGINT and SIGTERM as a polite request to stop: the producer stops generating, flushes and
// prints its summary. The same signal a second time ends the process at once (the default action),
// for when the flush itself is stuck.

#include <atomic>

namespace ratingstream::produce {

class StopOnSignals {
 public:
  // Installs the handlers; only one instance may exist at a time.
  StopOnSignals();
  // Restores the handlers that were there before.
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

  // Set from the signal handler (a lock-free atomic, so async-signal-safe).
  const std::atomic<bool>& requested() const;
  // The signal that asked, 0 when none.
  int signal_number() const;
};

}  // namespace ratingstream::produce
