#pragma once
// SIGINT and SIGTERM for the subcommands that run until stopped (produce, process, dashboard).
//
// The first signal asks for a graceful stop: `requested()` is set, and the subcommand finishes or
// abandons what it is doing in its own way (the producer flushes within --flush-timeout, the
// processor finishes or abandons its batch) and prints its summary.
//
// The second signal means "stop now": `stop_now()` is set too, and every wait that the first one
// still lets run (a flush, a grace period for deliveries under way) is cut short. Nothing that was
// not acknowledged is committed, so nothing is lost that was not lost already: the processor
// reads it again on its next start, the producer counts it as not delivered. The summary is still
// printed. In case a library call blocks and the subcommand cannot get to its end, a watchdog
// ends the process `deadline` after the second signal with one fixed line on stderr and exit 1.
//
// A signal that comes within `same_request` of the first is taken for the same request, not a
// second one: one Ctrl-C under `timeout` (or another wrapper that forwards what it gets) reaches
// the process twice within milliseconds, once from the terminal and once forwarded, and the
// kernel merges some such pairs and not others, so counting both would make one keypress cut
// the stop short at random. A person's second Ctrl-C comes later than that.
//
// Signals after the second change nothing. (The default action of a second signal would end the
// process at once with status 143 or 130 and no summary, which is what a forwarded signal or a
// second Ctrl-C gave before.)

#include <atomic>
#include <chrono>
#include <memory>

namespace ratingstream {

// How long after the second signal the watchdog lets a subcommand run.
inline constexpr std::chrono::milliseconds kStopNowDeadline{5000};
// Signals this soon after the first are the same request (see above).
inline constexpr std::chrono::milliseconds kSameRequestWindow{100};

class StopOnSignals {
 public:
  // Installs the handlers and starts the watchdog; only one instance may exist at a time.
  explicit StopOnSignals(std::chrono::milliseconds deadline = kStopNowDeadline,
                         std::chrono::milliseconds same_request = kSameRequestWindow);
  // Stops the watchdog and restores the handlers that were there before.
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

  // Set by the first signal (lock-free atomics, written by the signal handler).
  const std::atomic<bool>& requested() const;
  // Set by the second signal: stop waiting for anything.
  const std::atomic<bool>& stop_now() const;
  // The first signal's number, 0 before it.
  int signal_number() const;

 private:
  class Watchdog;
  std::unique_ptr<Watchdog> watchdog_;
};

}  // namespace ratingstream
