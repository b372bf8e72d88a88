// ratingstream topic create against the real broker.

#include <gtest/gtest.h>

#include "kafka/client_config.hpp"
#include "kafka/topic_admin.hpp"
#include "test_support.hpp"

using namespace ratingstream;
namespace rs_testing = ratingstream::testing;
using namespace std::chrono_literals;

TEST(TopicCreate, CreatesOnceThenSaysItExists) {
  const std::string topic = rs_testing::unique_name("it_topic");
  const auto first = rs_testing::run_ratingstream({"topic", "create", "-t", topic, "--partitions", "4"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("created topic " + topic), std::string::npos) << first.out;

  const auto second = rs_testing::run_ratingstream({"topic", "create", "-t", topic, "--partitions", "4"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("already exists"), std::string::npos) << second.out;

  const auto conf = kafka::make_client_config("localhost:29092", {});
  EXPECT_EQ(kafka::partition_count(*conf, topic, 10s), 4);
}

TEST(TopicCreate, UnreachableBrokerFailsWithinTheTimeout) {
  const auto started = std::chrono::steady_clock::now();
  const auto r = rs_testing::run_ratingstream({"topic", "create", "-b", "127.0.0.1:1", "-t", "x", "--timeout", "3s"}, 60s);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
}

TEST(TopicCreate, UnknownPropertyIsAUsageError) {
  const auto r = rs_testing::run_ratingstream({"topic", "create", "-t", "x", "-X", "not.a.property=1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not.a.property"), std::string::npos) << r.err;
}
