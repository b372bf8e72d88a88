// The whole pipeline on the local cluster: a keyspace with three replicas in dc1 (`schema
// --replication dc1:3`), a topic with three replicas (`topic create`, the brokers' defaults),
// records processed at LOCAL_QUORUM, and `query` at LOCAL_QUORUM and LOCAL_ONE: the table holds
// exactly the expected rows, every column, and the query tool answers from it.

#include <gtest/gtest.h>

#include "cluster_fixtures.hpp"
#include "store/schema.hpp"

namespace ratingstream::cluster_test {
namespace {

constexpr int kRecords = 20'000;

TEST(ClusterPipeline, ProduceProcessAndQueryWriteAndReadTheExactSet) {
  use_cluster();
  const std::string topic = testing::unique_name("cluster_pipeline");
  const std::string keyspace = testing::unique_name("cluster_pipeline");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  make_keyspace_and_topic(keyspace, topic);
  if (HasFatalFailure()) return;

  ExpectedRows expected;
  expected.produce_load(topic, kPartitions, 0, kRecords);
  const auto run =
      testing::run_ratingstream(processor_args(topic, keyspace, testing::unique_name("cluster_pipeline"),
                                               catalogue.string(), {"--until-idle", "5s", "--trigger", "500ms"}),
                                300s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  expect_table_equals(read_rows(keyspace), expected.rows);

  // Person 5's rows, as the query tool reads them at either level.
  std::size_t person_rows = 0;
  for (const auto& [id, row] : expected.rows) person_rows += std::get<std::string>(row[0]) == "Person 5";
  for (const char* level : {"LOCAL_QUORUM", "LOCAL_ONE"}) {
    const auto query = testing::run_ratingstream(
        {"query", "ratings", "--cassandra", kClusterCassandra, "--local-dc", "dc1", "--consistency", level,
         "--keyspace", keyspace, "--name", "Person 5", "--from", "2025-01-01", "--to", "2026-01-01", "--format", "csv"},
        60s);
    ASSERT_EQ(query.exit_code, 0) << level << ": " << query.err;
    EXPECT_EQ(occurrences(query.out, "\r\n"), person_rows + 1) << level << " (header and one line per row)";
  }
}

TEST(ClusterPipeline, TheProcessorCreatesNoKeyspaceOnAClusterAndSaysHow) {
  use_cluster();
  const std::string topic = testing::unique_name("cluster_nokeyspace");
  const std::string keyspace = testing::unique_name("cluster_nokeyspace");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  create_topic(topic, kPartitions);
  const auto run = testing::run_ratingstream(processor_args(topic, keyspace, testing::unique_name("cluster_nokeyspace"),
                                                            catalogue.string(), {"--until-idle", "5s"}),
                                             120s);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("keyspace " + keyspace + " does not exist, and on a 3-node cluster"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("--replication <datacenter>:3"), std::string::npos) << run.err;
  auto session = cassandra();
  EXPECT_FALSE(store::keyspace_exists(session, keyspace));
}

}  // namespace
}  // namespace ratingstream::cluster_test
