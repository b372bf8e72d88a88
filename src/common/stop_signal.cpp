#include "common/stop_signal.hpp"

#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <ctime>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/duration.hpp"
#include "common/errors.hpp"

namespace ratingstream {
namespace {

// Written by the handler: lock-free atomics, clock_gettime and sem_post are all it may touch.
enum State : int { kRunning, kStopping, kStoppingNow };
std::atomic<int> g_state{kRunning};
std::atomic<std::int64_t> g_first_at_ns{std::numeric_limits<std::int64_t>::max()};  // of the first signal
std::int64_t g_same_request_ns = 0;  // set before the handlers are installed
std::atomic<bool> g_requested{false};
std::atomic<bool> g_stop_now{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free &&
              std::atomic<std::int64_t>::is_always_lock_free);
// Wakes the watchdog (sem_post is async-signal-safe; a condition variable is not).
sem_t g_wake;

struct sigaction g_previous_int;
struct sigaction g_previous_term;
bool g_installed = false;

std::int64_t monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

extern "C" void on_stop_signal(int signal) {
  const int saved_errno = errno;
  const std::int64_t now = monotonic_ns();
  int state = kRunning;
  if (g_state.compare_exchange_strong(state, kStopping)) {
    g_signal.store(signal, std::memory_order_relaxed);
    g_first_at_ns.store(now);
    g_requested.store(true);
  } else if (state == kStopping && now - g_first_at_ns.load() >= g_same_request_ns &&
             g_state.compare_exchange_strong(state, kStoppingNow)) {
    g_stop_now.store(true);
    sem_post(&g_wake);
  }
  // Otherwise the first signal once more (within the window), or a third: nothing changes.
  errno = saved_errno;
}

}  // namespace

// A thread that sleeps until the second signal, then gives the subcommand `deadline` to end
// before it ends the process itself.
class StopOnSignals::Watchdog {
 public:
  explicit Watchdog(std::chrono::milliseconds deadline)
      : deadline_(deadline),
        message_("ratingstream: still running " + format_duration(deadline) +
                 " after the second signal: exiting at once with status 1, without the summary\n") {
    // The thread takes no SIGINT/SIGTERM: the handler runs on the threads doing the work.
    sigset_t block, previous;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &previous);
    thread_ = std::thread([this] { watch(); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  }

  ~Watchdog() {
    {
      const std::lock_guard lock(mutex_);
      closing_ = true;
    }
    sem_post(&g_wake);
    ended_.notify_one();
    thread_.join();
  }

  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void watch() {
    while (sem_wait(&g_wake) != 0 && errno == EINTR) {
    }
    std::unique_lock lock(mutex_);
    if (closing_ || !g_stop_now.load(std::memory_order_relaxed)) return;
    if (ended_.wait_for(lock, deadline_, [this] { return closing_; })) return;
    // Only async-signal-safe calls from here: other threads may hold any lock (stdio's too).
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message_.data(), message_.size());
    ::_exit(kExitFailure);
  }

  std::chrono::milliseconds deadline_;
  std::string message_;
  std::mutex mutex_;
  std::condition_variable ended_;
  bool closing_ = false;
  std::thread thread_;
};

StopOnSignals::StopOnSignals(std::chrono::milliseconds deadline, std::chrono::milliseconds same_request) {
  if (g_installed) throw std::logic_error("StopOnSignals: already installed");
  g_state = kRunning;
  // Until the first signal has stored its time, one racing it is taken for the same request.
  g_first_at_ns = std::numeric_limits<std::int64_t>::max();
  g_same_request_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(same_request).count();
  g_requested = false;
  g_stop_now = false;
  g_signal = 0;
  if (sem_init(&g_wake, 0, 0) != 0) throw std::runtime_error("StopOnSignals: sem_init failed");
  watchdog_ = std::make_unique<Watchdog>(deadline);
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  // No SA_RESETHAND: the second signal is handled too (see the header). SA_RESTART:
  // librdkafka's and stdio's system calls are not interrupted by the signals.
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
  g_installed = true;
}

StopOnSignals::~StopOnSignals() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
  watchdog_.reset();
  sem_destroy(&g_wake);
  g_installed = false;
}

const std::atomic<bool>& StopOnSignals::requested() const { return g_requested; }

const std::atomic<bool>& StopOnSignals::stop_now() const { return g_stop_now; }

int StopOnSignals::signal_number() const { return g_signal.load(std::memory_order_relaxed); }

}  // namespace ratingstream
