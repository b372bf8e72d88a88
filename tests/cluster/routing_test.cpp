// Token-aware routing, shown by Cassandra's own counters rather than assumed: with one replica
// per row (a keyspace of dc1:1 on three nodes) every write the processor sends for one person's
// partition must be coordinated by the node that holds it. Each node counts, per table, the
// writes it coordinated (system_views.coordinator_write_latency) and those it applied locally
// (system_views.local_write_latency); with routing to the replica the two are equal on every
// node. Round-robin routing would leave about two writes in three coordinated by a node that
// forwards them. Virtual tables are node-local, so each node is asked through cqlsh connected to
// it alone.

#include <gtest/gtest.h>

#include "cluster_fixtures.hpp"

namespace ratingstream::cluster_test {
namespace {

constexpr int kRecords = 6'000;

// The `count` column of a system_views latency table for one table on node n (1..3); -1 when
// cqlsh does not answer or the row is not there.
std::int64_t node_count(int node, const std::string& view, const std::string& keyspace) {
  const char* cache = std::getenv("RATINGSTREAM_CACHE");
  const char* home = std::getenv("HOME");
  const std::filesystem::path cqlsh =
      cache != nullptr && *cache != '\0'
          ? std::filesystem::path(cache) / "cqlsh-venv/bin/cqlsh"
          : std::filesystem::path(home ? home : "") / ".cache/ratingstream/cqlsh-venv/bin/cqlsh";
  const auto result = testing::run(
      {cqlsh.string(), fmt::format("127.0.0.1{}", node), "9042", "-e",
       fmt::format("SELECT count FROM system_views.{} WHERE keyspace_name = '{}' AND table_name = 'movie_ratings'",
                   view, keyspace)},
      60s);
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    const auto first = line.find_first_not_of(' ');
    if (first != std::string::npos && std::isdigit(static_cast<unsigned char>(line[first]))) {
      return std::stoll(line.substr(first));
    }
  }
  ADD_FAILURE() << "cqlsh on node " << node << ": exit " << result.exit_code << "\n" << result.out << result.err;
  return -1;
}

TEST(ClusterRouting, EachPersonsWritesAreCoordinatedByTheNodeHoldingThem) {
  use_cluster();
  const std::string topic = testing::unique_name("cluster_routing");
  const std::string keyspace = testing::unique_name("cluster_routing");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  const auto schema = testing::run_ratingstream(
      {"schema", "--cassandra", kClusterCassandra, "--keyspace", keyspace, "--replication", "dc1:1"}, 120s);
  ASSERT_EQ(schema.exit_code, 0) << schema.err;
  create_topic(topic, kPartitions);
  ExpectedRows expected;
  expected.produce_load(topic, kPartitions, 0, kRecords);
  // One person's rows per request (--batch-rows 1 would be one row per request; the default
  // groups rows of one partition, as users run it).
  const auto run =
      testing::run_ratingstream(processor_args(topic, keyspace, testing::unique_name("cluster_routing"),
                                               catalogue.string(), {"--trigger", "0", "--until-idle", "5s"}),
                                300s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  expect_table_equals(read_rows(keyspace), expected.rows);

  std::int64_t coordinated = 0, applied = 0;
  std::string per_node;
  for (int node = 1; node <= 3; ++node) {
    const auto here_coordinated = node_count(node, "coordinator_write_latency", keyspace);
    const auto here_applied = node_count(node, "local_write_latency", keyspace);
    EXPECT_EQ(here_coordinated, here_applied) << "node " << node << " coordinated writes it does not hold";
    EXPECT_GT(here_applied, 0) << "node " << node << " holds none of the partitions";
    coordinated += here_coordinated;
    applied += here_applied;
    per_node += fmt::format(" node {}: {} coordinated, {} applied;", node, here_coordinated, here_applied);
  }
  EXPECT_EQ(coordinated, applied);
  std::cerr << "writes of " << kRecords << " rows (97 people, dc1:1):" << per_node << "\n";
}

}  // namespace
}  // namespace ratingstream::cluster_test
