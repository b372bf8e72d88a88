// A topic that does not exist yet: the processor says so once, waits for it, and processes its
// records once it is created.

#include <gtest/gtest.h>

#include "process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

TEST(ProcessTopicWait, SaysOnceThenProcessesTheTopicOnceCreated) {
  const std::string topic = testing::unique_name("it_process_later");
  const std::string keyspace = testing::unique_name("it_process_later");
  testing::TempDir dir;
  Background processor(
      {"process", "-t", topic, "--keyspace", keyspace, "--group", testing::unique_name("it_process_group"),
       "--starting-offsets", "earliest", "--trigger", "0", "--until-idle", "3s", "--progress", "json"},
      dir.path(), "processor");
  const std::string missing = "topic " + topic + " does not exist";
  ASSERT_TRUE(testing::eventually(
      [&] { return processor.err().find(missing) != std::string::npos || !processor.running(); }, 60s))
      << processor.err();
  ASSERT_TRUE(processor.running()) << processor.err();

  // A few more checks go by (every 2 s) before the topic appears; the warning is not repeated.
  ASSERT_FALSE(testing::eventually([&] { return !processor.running(); }, 5s)) << processor.err();
  create_topic(topic, 1);
  std::vector<Outgoing> records;
  for (int i = 0; i < 10; ++i) {
    records.push_back(numbered_rating(0, i));
  }
  produce(topic, records);

  ASSERT_EQ(processor.wait(120s), 0) << processor.err();
  const std::string err = processor.err();
  std::size_t said = 0;
  for (auto at = err.find(missing); at != std::string::npos; at = err.find(missing, at + 1)) ++said;
  EXPECT_EQ(said, 1u) << err;
  EXPECT_EQ(sum_progress(err, "written"), 10) << err;
  EXPECT_EQ(read_rows(keyspace).size(), 10u);
  drop_keyspace(keyspace);
}

}  // namespace
}  // namespace ratingstream::process_test
