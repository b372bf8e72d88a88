// Retry pacing and the failure policies of the sinks and the consumer's lag: pure functions.

#include "process/retry.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "process/cassandra_sink.hpp"
#include "process/consumer.hpp"
#include "process/dead_letter.hpp"

namespace ratingstream::process {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

TEST(Backoff, DoublesFrom100msUpTo5sThenStays) {
  Backoff backoff;
  std::vector<milliseconds> waits;
  for (int i = 0; i < 9; ++i) waits.push_back(backoff.next());
  EXPECT_EQ(waits, (std::vector<milliseconds>{100ms, 200ms, 400ms, 800ms, 1600ms, 3200ms, 5000ms, 5000ms, 5000ms}));
  backoff.reset();
  EXPECT_EQ(backoff.next(), 100ms);
}

TEST(Backoff, CustomBounds) {
  Backoff backoff(10ms, 25ms);
  EXPECT_EQ(backoff.next(), 10ms);
  EXPECT_EQ(backoff.next(), 20ms);
  EXPECT_EQ(backoff.next(), 25ms);
  EXPECT_EQ(backoff.next(), 25ms);
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

TEST(CassandraFailureHandling, TransientErrorsRetryForeverOthersStop) {
  using store::Error;
  using store::ErrorKind;
  EXPECT_EQ(failure_handling(Error(ErrorKind::connection, 0, "down")), FailureHandling::retry);
  EXPECT_EQ(failure_handling(Error(ErrorKind::timeout, 0x1100, "write timeout")), FailureHandling::retry);
  EXPECT_EQ(failure_handling(Error(ErrorKind::unavailable, 0x1000, "unavailable")), FailureHandling::retry);
  EXPECT_EQ(failure_handling(Error(ErrorKind::overloaded, 0x1001, "overloaded")), FailureHandling::retry);
  EXPECT_EQ(failure_handling(Error(ErrorKind::invalid_query, 0x2200, "no such table")), FailureHandling::fatal);
  EXPECT_EQ(failure_handling(Error(ErrorKind::unauthorized, 0x2100, "denied")), FailureHandling::fatal);
  EXPECT_EQ(failure_handling(Error(ErrorKind::server, 0x1500, "write failure")), FailureHandling::retry_limited);
  EXPECT_EQ(failure_handling(Error(ErrorKind::internal, 0, "bridge")), FailureHandling::retry_limited);
}

TEST(DeadLetterDelivery, TransientErrorsAreRetriedPermanentOnesAreNot) {
  EXPECT_TRUE(delivery_error_is_retryable(RdKafka::ERR__MSG_TIMED_OUT));
  EXPECT_TRUE(delivery_error_is_retryable(RdKafka::ERR__TRANSPORT));
  EXPECT_TRUE(delivery_error_is_retryable(RdKafka::ERR_NOT_LEADER_FOR_PARTITION));
  EXPECT_TRUE(delivery_error_is_retryable(RdKafka::ERR_REQUEST_TIMED_OUT));
  EXPECT_FALSE(delivery_error_is_retryable(RdKafka::ERR_MSG_SIZE_TOO_LARGE));
  EXPECT_FALSE(delivery_error_is_retryable(RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED));
  EXPECT_FALSE(delivery_error_is_retryable(RdKafka::ERR__UNKNOWN_TOPIC));
  EXPECT_FALSE(delivery_error_is_retryable(RdKafka::ERR__FATAL));
}

TEST(TotalLag, SumsKnownPartitionsAndSaysUnknownWhenNoneIsKnown) {
  EXPECT_EQ(total_lag({}), -1);
  EXPECT_EQ(total_lag({{-1001, 50}, {3, -1001}}), -1);
  EXPECT_EQ(total_lag({{10, 15}, {0, 0}, {7, 20}}), 5 + 0 + 13);
  EXPECT_EQ(total_lag({{10, 15}, {-1001, 100}}), 5);  // a partition not read yet does not count
  EXPECT_EQ(total_lag({{20, 15}}), 0);               // a stale end offset never gives negative lag
}

}  // namespace
}  // namespace ratingstream::process
