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
  EXPECT_NE(second.out.find("4 partitions"), std::string::npos) << second.out;

  const auto conf = kafka::make_client_config("localhost:29092", {});
  EXPECT_EQ(kafka::partition_count(*conf, topic, 10s), 4);
}

// The topic is left as it is; asking for another partition count explicitly is exit 2 with the
// count it has, and how to add partitions. Not asking (the default) accepts any count.
TEST(TopicCreate, AnExistingTopicWithOtherPartitionsSaysHowManyItHas) {
  const std::string topic = rs_testing::unique_name("it_topic_shape");
  ASSERT_EQ(rs_testing::run_ratingstream({"topic", "create", "-t", topic, "--partitions", "1"}).exit_code, 0);

  const auto more = rs_testing::run_ratingstream({"topic", "create", "-t", topic, "--partitions", "6"});
  EXPECT_EQ(more.exit_code, 2) << more.out << more.err;
  EXPECT_NE(more.err.find("already exists with 1 partition"), std::string::npos) << more.err;
  EXPECT_NE(more.err.find("--partitions 6"), std::string::npos) << more.err;
  EXPECT_NE(more.err.find("kafka-topics"), std::string::npos) << "says how to add partitions: " << more.err;
  EXPECT_EQ(std::count(more.err.begin(), more.err.end(), '\n'), 1) << more.err;

  const auto replicas = rs_testing::run_ratingstream({"topic", "create", "-t", topic, "--replication-factor", "3"});
  EXPECT_EQ(replicas.exit_code, 2) << replicas.out << replicas.err;
  EXPECT_NE(replicas.err.find("replication factor 1"), std::string::npos) << replicas.err;

  const auto any = rs_testing::run_ratingstream({"topic", "create", "-t", topic});
  EXPECT_EQ(any.exit_code, 0) << any.err;
  EXPECT_NE(any.out.find("already exists (1 partition, replication factor 1, min.insync.replicas 1)"),
            std::string::npos)
      << any.out;

  const auto conf = kafka::make_client_config("localhost:29092", {});
  EXPECT_EQ(kafka::partition_count(*conf, topic, 10s), 1);  // left as it was
}

TEST(TopicCreate, UnknownPropertyIsAUsageError) {
  const auto r = rs_testing::run_ratingstream({"topic", "create", "-t", "x", "-X", "not.a.property=1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not.a.property"), std::string::npos) << r.err;
}
