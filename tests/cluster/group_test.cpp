// Three processors in one group on the cluster, each given the brokers in another order, share
// the six partitions; one is killed with kill -9 in the middle of the run. The two others take
// over its partitions (from its last commit) once the group sees it gone (a 6 s session timeout
// here; 45 s by default) and the table ends with exactly the expected rows.

#include <gtest/gtest.h>

#include "cluster_fixtures.hpp"

namespace ratingstream::cluster_test {
namespace {

constexpr int kRecords = 30'000;

TEST(ClusterGroup, ThreeProcessorsOneKilledWriteTheExactSet) {
  use_cluster();
  const std::string topic = testing::unique_name("cluster_group");
  const std::string keyspace = testing::unique_name("cluster_group");
  const std::string group = testing::unique_name("cluster_group");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  make_keyspace_and_topic(keyspace, topic);
  if (HasFatalFailure()) return;
  ExpectedRows expected;
  expected.produce_load(topic, kPartitions, 0, kRecords / 3);

  const char* const bootstraps[] = {"127.0.0.1:29201,127.0.0.1:29202,127.0.0.1:29203",
                                    "127.0.0.1:29202,127.0.0.1:29203,127.0.0.1:29201",
                                    "127.0.0.1:29203,127.0.0.1:29201,127.0.0.1:29202"};
  std::vector<std::unique_ptr<Background>> processors;
  for (int i = 0; i < 3; ++i) {
    auto args = processor_args(
        topic, keyspace, group, catalogue.string(),
        {"--trigger", "0", "--max-records-per-trigger", "500", "--until-idle", "20s", "-X", "session.timeout.ms=6000"});
    args[2] = bootstraps[i];  // -b
    processors.push_back(std::make_unique<Background>(args, dir.path(), fmt::format("processor{}", i)));
  }
  // All three in the group with partitions of their own, and rows being written.
  ASSERT_TRUE(testing::eventually(
      [&] {
        int assigned = 0;
        for (auto& p : processors) assigned += p->err().find("Kafka: assigned partitions") != std::string::npos;
        return assigned == 3;
      },
      120s));
  expected.produce_load(topic, kPartitions, kRecords / 3, kRecords / 3);
  {
    auto session = cassandra();
    ASSERT_TRUE(testing::eventually([&] { return count_rows(session, keyspace) >= kRecords / 3; }, 180s));
  }
  ASSERT_TRUE(processors[1]->running()) << processors[1]->err();
  processors[1]->signal(SIGKILL);
  EXPECT_EQ(processors[1]->wait(10s), -SIGKILL);
  expected.produce_load(topic, kPartitions, 2 * (kRecords / 3), kRecords - 2 * (kRecords / 3));

  for (const int i : {0, 2}) {
    EXPECT_EQ(processors[i]->wait(300s), 0) << "processor " << i << ":\n" << processors[i]->err();
  }
  expect_table_equals(read_rows(keyspace), expected.rows);
  if (HasFailure()) {
    for (int i = 0; i < 3; ++i) print_log(fmt::format("processor{}", i), processors[i]->err());
  }
}

}  // namespace
}  // namespace ratingstream::cluster_test
