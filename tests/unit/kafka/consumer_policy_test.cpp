// Which dead-letter delivery errors are retried, and the consumer's lag: pure functions.

#include <gtest/gtest.h>

#include "kafka/consumer.hpp"
#include "kafka/dead_letter_sink.hpp"

namespace ratingstream::kafka {
namespace {

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
  EXPECT_EQ(total_lag({{20, 15}}), 0);                // a stale end offset never gives negative lag
}

}  // namespace
}  // namespace ratingstream::kafka
