// SIGINT and SIGTERM as the subcommands see them: the first asks for a stop, the second for a
// stop now (unless it comes so soon that it is the first one forwarded), later ones change
// nothing, and a watchdog ends a process that does not stop in time.

#include "common/stop_signal.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

using namespace std::chrono_literals;
using ratingstream::kStopNowDeadline;
using ratingstream::StopOnSignals;

namespace {
// Every later signal counts as a second one, however soon it comes.
constexpr auto kNoWindow = 0ms;
}  // namespace

TEST(StopOnSignals, NothingIsRequestedBeforeASignal) {
  const StopOnSignals signals;
  EXPECT_FALSE(signals.requested());
  EXPECT_FALSE(signals.stop_now());
  EXPECT_EQ(signals.signal_number(), 0);
}

TEST(StopOnSignals, TheFirstSignalRequestsAStopOnly) {
  for (const int first : {SIGINT, SIGTERM}) {
    const StopOnSignals signals;
    std::raise(first);
    EXPECT_TRUE(signals.requested()) << first;
    EXPECT_FALSE(signals.stop_now()) << first;
    EXPECT_EQ(signals.signal_number(), first);
  }
}

TEST(StopOnSignals, TheSecondSignalOfEitherKindMeansStopNow) {
  for (const auto& [first, second] :
       {std::pair{SIGINT, SIGINT}, {SIGTERM, SIGTERM}, {SIGINT, SIGTERM}, {SIGTERM, SIGINT}}) {
    const StopOnSignals signals(kStopNowDeadline, kNoWindow);
    std::raise(first);
    std::raise(second);  // the default action would end this test binary here
    EXPECT_TRUE(signals.requested());
    EXPECT_TRUE(signals.stop_now());
    EXPECT_EQ(signals.signal_number(), first) << "the first signal is the one reported";
  }
}

TEST(StopOnSignals, ASignalRightAfterTheFirstIsTheSameRequest) {
  // One Ctrl-C under `timeout`: from the terminal, and forwarded by timeout a moment later.
  const StopOnSignals signals(kStopNowDeadline, 200ms);
  std::raise(SIGINT);
  std::raise(SIGINT);
  std::raise(SIGTERM);
  EXPECT_TRUE(signals.requested());
  EXPECT_FALSE(signals.stop_now());
  std::this_thread::sleep_for(250ms);
  std::raise(SIGINT);  // pressed again
  EXPECT_TRUE(signals.stop_now());
}

TEST(StopOnSignals, LaterSignalsChangeNothing) {
  const StopOnSignals signals(kStopNowDeadline, kNoWindow);
  for (int i = 0; i < 50; ++i) std::raise(i % 2 == 0 ? SIGTERM : SIGINT);
  EXPECT_TRUE(signals.stop_now());
  EXPECT_EQ(signals.signal_number(), SIGTERM);
}

TEST(StopOnSignals, TheHandlersThatWereThereBeforeComeBack) {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction int_before {
  }, term_before{};
  sigaction(SIGINT, &ignore, &int_before);
  sigaction(SIGTERM, &ignore, &term_before);
  { const StopOnSignals signals; }
  struct sigaction now {};
  sigaction(SIGINT, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_IGN);
  sigaction(SIGTERM, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_IGN);
  sigaction(SIGINT, &int_before, nullptr);
  sigaction(SIGTERM, &term_before, nullptr);
}

TEST(StopOnSignals, EachRunStartsAfresh) {
  {
    const StopOnSignals signals(kStopNowDeadline, kNoWindow);
    std::raise(SIGTERM);
    std::raise(SIGTERM);
  }
  const StopOnSignals signals;
  EXPECT_FALSE(signals.requested());
  EXPECT_FALSE(signals.stop_now());
}

TEST(StopOnSignalsDeathTest, TheWatchdogEndsAProcessStillRunningAfterTheDeadline) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        const StopOnSignals signals(200ms, kNoWindow);
        std::raise(SIGTERM);
        std::raise(SIGTERM);
        std::this_thread::sleep_for(30s);  // a library call that blocks
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(1), "^ratingstream: still running 200ms after the second signal: exiting at once");
}

TEST(StopOnSignalsDeathTest, TheWatchdogLetsAProcessThatStopsInTimeEnd) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        {
          const StopOnSignals signals(200ms, kNoWindow);
          std::raise(SIGTERM);
          std::raise(SIGTERM);
        }
        std::this_thread::sleep_for(600ms);  // well past the deadline: the watchdog is gone
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(StopOnSignalsDeathTest, OneSignalDoesNotStartTheWatchdog) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        const StopOnSignals signals(100ms, kNoWindow);
        std::raise(SIGINT);
        std::this_thread::sleep_for(500ms);  // a graceful stop may take as long as it takes
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}
