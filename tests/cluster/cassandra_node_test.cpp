// Cassandra nodes lost under load, with the keyspace's three replicas in dc1 and writes at
// LOCAL_QUORUM:
// - one node of three killed with kill -9: the two others make the quorum, the driver moves the
//   writes it had in flight on the dead node to another replica (they are idempotent), so no
//   batch fails, nothing is retried by the processor, /healthz stays 200, and the table ends
//   exact; the longest pause in written rows is printed;
// - two of three down: nothing can meet LOCAL_QUORUM; the processor stops advancing, says why
//   (replicas needed against alive), /healthz answers 503, no offset moves past unwritten rows;
//   one node back and it resumes by itself, exact set.
// Whatever happens, the nodes run again at the end (ServerRestarter).

#include <gtest/gtest.h>

#include "cluster_fixtures.hpp"

namespace ratingstream::cluster_test {
namespace {

constexpr int kBefore = 30'000;
constexpr int kDuring = 10'000;

std::function<bool()> answers(int node) {
  return [node] { return node_answers(node); };
}

struct NodeRun {
  std::string topic = testing::unique_name("cluster_node");
  std::string keyspace = testing::unique_name("cluster_node");
  std::string group = testing::unique_name("cluster_node");
  testing::TempDir dir;
  std::filesystem::path catalogue = dir.write("catalogue.csv", kCatalogue);
  ExpectedRows expected;
};

TEST(ClusterCassandraNode, OneNodeKilledUnderLoadFailsNoWriteAndHealthStaysUp) {
  use_cluster();
  NodeRun run;
  make_keyspace_and_topic(run.keyspace, run.topic);
  if (HasFatalFailure()) return;
  run.expected.produce_load(run.topic, kPartitions, 0, kBefore);
  // Small batches with few writes in flight: the node dies with writes of a batch in flight.
  Background processor(processor_args(run.topic, run.keyspace, run.group, run.catalogue.string(),
                                      {"--trigger", "0", "--max-records-per-trigger", "1000", "--max-in-flight", "8"}),
                       run.dir.path(), "processor");
  const int port = wait_until_written(processor, kBefore / 5);
  ASSERT_GT(port, 0) << processor.err();
  ProcessorWatch watch(port, kBefore + kDuring);

  ServerRestarter restarter("cassandra-c2", answers(2));
  restarter.mark_down();
  kill_server("cassandra-c2");
  if (HasFatalFailure()) return;
  const double written_at_kill = metric(port, "ratingstream_records_written_total");
  run.expected.produce_load(run.topic, kPartitions, kBefore, kDuring);
  EXPECT_TRUE(testing::eventually(
      [&] { return metric(port, "ratingstream_records_written_total") >= kBefore + kDuring || !processor.running(); },
      300s))
      << processor.err();
  watch.stop();
  ASSERT_TRUE(processor.running()) << processor.err();
  const double retries = metric(port, "ratingstream_cassandra_write_retries_total");
  processor.signal(SIGTERM);
  EXPECT_EQ(processor.wait(60s), 0) << processor.err();

  // Read back with the node up again: a full scan while a node is away but not yet seen as
  // down by the others times out, which says nothing about the writes.
  ASSERT_TRUE(restarter.restart());
  expect_table_equals(read_rows(run.keyspace), run.expected.rows);
  EXPECT_EQ(retries, 0) << "the processor retried writes although two replicas of three were up";
  EXPECT_EQ(occurrences(processor.err(), "not taking writes"), 0u) << processor.err();
  EXPECT_TRUE(watch.unhealthy().empty()) << watch.unhealthy().size() << " unhealthy answers, first: "
                                         << (watch.unhealthy().empty() ? "" : watch.unhealthy().front());
  EXPECT_EQ(sum_progress(processor.err(), "records_in"), kBefore + kDuring);
  std::cerr << "node 2 killed at " << written_at_kill << " of " << kBefore + kDuring
            << " rows; longest pause in written rows " << watch.longest_pause_seconds() << " s; write retries "
            << retries << "\n";
  if (HasFailure()) print_log("processor", processor.err());
}

TEST(ClusterCassandraNode, TwoNodesDownStopsWritingWithoutCommittingAndOneBackResumes) {
  use_cluster();
  NodeRun run;
  make_keyspace_and_topic(run.keyspace, run.topic);
  if (HasFatalFailure()) return;
  run.expected.produce_load(run.topic, kPartitions, 0, kBefore / 3);
  Background processor(processor_args(run.topic, run.keyspace, run.group, run.catalogue.string(),
                                      {"--trigger", "500ms", "--max-records-per-trigger", "2000"}),
                       run.dir.path(), "processor");
  const int port = wait_until_written(processor, kBefore / 3);
  ASSERT_GT(port, 0) << processor.err();

  ServerRestarter restart_2("cassandra-c2", answers(2));
  ServerRestarter restart_3("cassandra-c3", answers(3));
  restart_2.mark_down();
  restart_3.mark_down();
  kill_server("cassandra-c2");
  kill_server("cassandra-c3");
  if (HasFatalFailure()) return;
  run.expected.produce_load(run.topic, kPartitions, kBefore / 3, kDuring);

  // It says why, where a user looks: the warnings and /healthz.
  EXPECT_TRUE(testing::eventually(
      [&] {
        const auto err = processor.err();
        return (err.find("2 replicas needed, 1 alive") != std::string::npos &&
                err.find("cannot meet LOCAL_QUORUM") != std::string::npos) ||
               !processor.running();
      },
      120s))
      << processor.err();
  const auto health = http_get(port, "/healthz");
  EXPECT_EQ(health.status, 503) << health.body;
  EXPECT_NE(health.body.find("LOCAL_QUORUM"), std::string::npos) << health.body;
  // Nothing is committed past rows not written: the committed offsets stand still while the
  // rows cannot be written, and cover no more records than were written.
  const auto committed = committed_offsets(run.group, run.topic, kPartitions);
  const double written = metric(port, "ratingstream_records_written_total");
  std::this_thread::sleep_for(5s);  // the outage goes on: nothing may move meanwhile
  EXPECT_EQ(committed_offsets(run.group, run.topic, kPartitions), committed);
  EXPECT_EQ(metric(port, "ratingstream_records_written_total"), written);
  std::int64_t committed_records = 0;
  for (const auto offset : committed) committed_records += std::max<std::int64_t>(offset, 0);
  EXPECT_LE(committed_records, static_cast<std::int64_t>(written));
  ASSERT_TRUE(processor.running()) << processor.err();

  // One node back: a quorum again, and the processor goes on by itself.
  ASSERT_TRUE(restart_2.restart());
  const int total = kBefore / 3 + kDuring;
  EXPECT_TRUE(testing::eventually(
      [&] { return metric(port, "ratingstream_records_written_total") >= total || !processor.running(); }, 300s))
      << processor.err();
  EXPECT_TRUE(testing::eventually([&] { return http_get(port, "/healthz").status == 200; }, 30s));
  processor.signal(SIGTERM);
  EXPECT_EQ(processor.wait(60s), 0) << processor.err();
  expect_table_equals(read_rows(run.keyspace), run.expected.rows);
  EXPECT_EQ(sum_progress(processor.err(), "records_in"), total);
  if (HasFailure()) print_log("processor", processor.err());
}

}  // namespace
}  // namespace ratingstream::cluster_test
