#include "produce/stop_signal.hpp"

#include <csignal>
#include <stdexcept>

namespace ratingstream::produce {
namespace {

std::atomic<bool> g_requested{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

struct sigaction g_previous_int;
struct sigaction g_previous_term;
bool g_installed = false;

extern "C" void on_stop_signal(int signal) {
  g_signal.store(signal, std::memory_order_relaxed);
  g_requested.store(true, std::memory_order_relaxed);
}

}  // namespace

StopOnSignals::StopOnSignals() {
  if (g_installed) throw std::logic_error("StopOnSignals: already installed");
  g_requested = false;
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the handler runs once per signal; a second Ctrl-C gets the default action.
  // SA_RESTART: librdkafka's and stdio's system calls are not interrupted by the first one.
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
  g_installed = true;
}

StopOnSignals::~StopOnSignals() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
  g_installed = false;
}

const std::atomic<bool>& StopOnSignals::requested() const { return g_requested; }

int StopOnSignals::signal_number() const { return g_signal.load(std::memory_order_relaxed); }

}  // namespace ratingstream::produce
