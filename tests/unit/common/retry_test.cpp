// Retry pacing: the jittered backoff, the warning throttle, the stoppable wait and RetryPacer.

#include "common/retry.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace ratingstream {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

TEST(Backoff, StepsDoubleFrom100msUpTo5sAndEachWaitIsInTheUpperHalfOfItsStep) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Backoff backoff(100ms, 5s, seed);
    const std::vector<milliseconds> steps{100ms, 200ms, 400ms, 800ms, 1600ms, 3200ms, 5000ms, 5000ms, 5000ms};
    for (const auto step : steps) {
      const auto wait = backoff.next();
      EXPECT_GE(wait, step / 2) << "seed " << seed;
      EXPECT_LE(wait, step) << "seed " << seed;
    }
    backoff.reset();
    EXPECT_LE(backoff.next(), 100ms);
  }
}

TEST(Backoff, ProcessesThatFailedTogetherDoNotRetryInStep) {
  // Ten processors lose Cassandra at the same moment: without jitter they would all come back
  // at 100, 300, 700 ms ...; with it their attempts spread out.
  std::set<std::vector<milliseconds::rep>> schedules;
  std::set<milliseconds::rep> fifth_waits;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    Backoff backoff(100ms, 5s, random_seed());
    std::vector<milliseconds::rep> schedule;
    for (int i = 0; i < 5; ++i) schedule.push_back(backoff.next().count());
    fifth_waits.insert(schedule.back());
    schedules.insert(schedule);
  }
  EXPECT_EQ(schedules.size(), 10u);
  EXPECT_GE(fifth_waits.size(), 8u);  // 801 values to draw from: a few collisions at most
}

TEST(Backoff, SeedsDifferFromOneCallToTheNext) {
  std::set<std::uint64_t> seeds;
  for (int i = 0; i < 1000; ++i) seeds.insert(random_seed());
  EXPECT_EQ(seeds.size(), 1000u);
}

TEST(Backoff, ASeedGivesTheSameWaitsAgain) {
  Backoff a(10ms, 25ms, 7);
  Backoff b(10ms, 25ms, 7);
  for (int i = 0; i < 6; ++i) {
    const auto wait = a.next();
    EXPECT_EQ(wait, b.next());
    EXPECT_LE(wait, 25ms);
    EXPECT_GE(wait, 5ms);
  }
}

TEST(WarningThrottle, WarnsAtOnceThenEveryInterval) {
  WarningThrottle throttle(5s);
  const WarningThrottle::TimePoint t0{std::chrono::hours(1)};
  EXPECT_TRUE(throttle.due(t0));
  EXPECT_FALSE(throttle.due(t0 + 1s));
  EXPECT_FALSE(throttle.due(t0 + 4999ms));
  EXPECT_TRUE(throttle.due(t0 + 5s));
  EXPECT_FALSE(throttle.due(t0 + 6s));
  throttle.reset();  // the failure cleared: the next one is said at once
  EXPECT_TRUE(throttle.due(t0 + 7s));
}

TEST(WaitUnlessStopped, WaitsTheWholeDurationServingTheConsumer) {
  StopFlag stop{false};
  int served = 0;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(wait_unless_stopped(250ms, stop, [&] { ++served; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
  EXPECT_GE(served, 2);  // every 100 ms slice
}

TEST(WaitUnlessStopped, ReturnsFalseSoonAfterStopIsSet) {
  StopFlag stop{false};
  std::thread signal([&] {
    std::this_thread::sleep_for(50ms);
    stop = true;
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(wait_unless_stopped(10s, stop, {}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  signal.join();
  EXPECT_FALSE(wait_unless_stopped(0ms, stop, {}));  // already set
}

TEST(RetryPacer, AFailureWarnsAtOnceThenEveryIntervalAndEndsWithSuccess) {
  RetryPacer retry({.warn_every = 5s, .give_up_after = std::nullopt}, 1);
  const RetryPacer::SteadyClock::time_point t0{std::chrono::hours(1)};
  EXPECT_FALSE(retry.failing());
  EXPECT_FALSE(retry.succeeded());  // nothing to say: it was not failing
  retry.failed(false, t0);
  EXPECT_TRUE(retry.failing());
  EXPECT_TRUE(retry.warning_due(t0));
  retry.failed(false, t0 + 2s);
  EXPECT_FALSE(retry.warning_due(t0 + 2s));
  EXPECT_EQ(retry.failing_for(t0 + 2s), 2s);  // since the first failure
  EXPECT_TRUE(retry.warning_due(t0 + 5s));
  EXPECT_TRUE(retry.succeeded());  // "the server is back", once
  EXPECT_FALSE(retry.failing());
  EXPECT_EQ(retry.failing_for(t0 + 9s), 0s);
  retry.failed(false, t0 + 6s);
  EXPECT_TRUE(retry.warning_due(t0 + 6s));  // a new failure is said at once
}

TEST(RetryPacer, GivesUpAfterTheDeadlineWithoutProgress) {
  RetryPacer retry({.give_up_after = 10s}, 1);
  const RetryPacer::SteadyClock::time_point t0{std::chrono::hours(1)};
  EXPECT_FALSE(retry.give_up_due(t0 + 1h));  // not failing
  retry.failed(false, t0);
  EXPECT_FALSE(retry.give_up_due(t0 + 9s));
  retry.failed(true, t0 + 9s);  // a round that did part of its work: slow, not away
  EXPECT_FALSE(retry.give_up_due(t0 + 18s));
  EXPECT_EQ(retry.failing_for(t0 + 18s), 18s);
  EXPECT_EQ(retry.failing_without_progress(t0 + 18s), 9s);
  EXPECT_TRUE(retry.give_up_due(t0 + 19s));
  RetryPacer forever({}, 1);
  forever.failed(false, t0);
  EXPECT_FALSE(forever.give_up_due(t0 + 24h));
}

TEST(RetryPacer, TheLastWaitEndsAtTheGiveUpDeadline) {
  RetryPacer retry({.first_wait = 4s, .max_wait = 4s, .give_up_after = 5s}, 1);
  const RetryPacer::SteadyClock::time_point t0{std::chrono::hours(1)};
  retry.failed(false, t0);
  EXPECT_GE(retry.next_wait(t0), 2s);
  EXPECT_LE(retry.next_wait(t0 + 4s), 1s);  // 1 s left: not a whole step
  EXPECT_GE(retry.next_wait(t0 + 6s), 2s);  // past it, for a caller that goes on: never a spin
}

TEST(RetryPacer, SuccessStartsTheBackoffAgain) {
  RetryPacer retry({.first_wait = 100ms, .max_wait = 10s, .give_up_after = std::nullopt}, 3);
  retry.failed();
  for (int i = 0; i < 6; ++i) retry.next_wait();
  EXPECT_GE(retry.next_wait(), 3200ms);
  retry.succeeded();
  retry.failed();
  EXPECT_LE(retry.next_wait(), 100ms);
}

}  // namespace
}  // namespace ratingstream
