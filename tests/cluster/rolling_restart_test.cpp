// A rolling restart of the three Cassandra nodes while `ratingstream produce` sends a steady load
// and the processor writes it at LOCAL_QUORUM: one node at a time is stopped the way an operator
// stops it (SIGTERM: it drains and tells the others it is leaving), stays down about 10 s (then as long as it takes to
// start), is started again, and the next one goes once all three are up and normal. Two replicas of three stay up
// throughout, so the writes go on: the table ends with exactly the rows of the topic, and the longest pause in written
// rows is printed. Whatever happens, every node runs again at the end.

#include <gtest/gtest.h>

#include <limits>

#include "cluster_fixtures.hpp"

namespace ratingstream::cluster_test {
namespace {

constexpr int kRate = 500;
constexpr auto kDown = 10s;
// Each node is away for a minute or more (stopping, 10 s down, starting): a pause in written rows
// that long would mean the writes stopped while it was away. 20 s is the bound this test has
// always had; it is not tied to kDown, which only sets how soon a node is started again.
constexpr auto kLongestPause = 20s;

TEST(ClusterRollingRestart, EveryNodeRestartedInTurnUnderLoadWritesTheExactSet) {
  use_cluster();
  ClusterLoad load("cluster_rolling");
  // Until stopped: the restarts take as long as the nodes take to start.
  load.start({"--rate", std::to_string(kRate), "--seed", "13"});
  if (HasFatalFailure()) return;
  const auto& topic = load.topic;
  const auto& keyspace = load.keyspace;
  auto& processor = *load.processor;
  auto& producer = *load.producer;
  const int port = wait_until_written(processor, kRate * 5);
  ASSERT_GT(port, 0) << processor.err() << producer.err();
  // The total is not known yet: the watch measures pauses up to any count.
  ProcessorWatch watch(port, std::numeric_limits<std::int64_t>::max());

  std::vector<std::string> restarts;
  for (int node = 1; node <= 3; ++node) {
    const std::string service = fmt::format("cassandra-c{}", node);
    ServerRestarter restarter(service, [node] { return node_answers(node); });
    restarter.mark_down();
    const auto stopped = stack("down", service);
    ASSERT_EQ(stopped.exit_code, 0) << stopped.out << stopped.err;
    const auto down_at = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - down_at < kDown) {
      ASSERT_TRUE(processor.running()) << "the processor exited while " << service << " was down:\n" << processor.err();
      std::this_thread::sleep_for(200ms);
    }
    // `scripts/stack up` returns once all three nodes are up and normal with one schema.
    ASSERT_TRUE(restarter.restart());
    restarts.push_back(fmt::format("{} down {:.0f} s", service,
                                   std::chrono::duration<double>(std::chrono::steady_clock::now() - down_at).count()));
  }
  producer.signal(SIGINT);
  ASSERT_EQ(producer.wait(60s), 0) << producer.err();
  // No more rows are due once the load stops (reading the topic back takes a while).
  watch.stop();

  const auto produced = read_produced_ratings(topic, kPartitions);
  EXPECT_EQ(produced.repeated, 0u) << "messages in the topic twice";
  EXPECT_TRUE(testing::eventually(
      [&] {
        return metric(port, "ratingstream_records_written_total") >= static_cast<double>(produced.messages) ||
               !processor.running();
      },
      300s));
  ASSERT_TRUE(processor.running()) << processor.err();
  const double retries = metric(port, "ratingstream_cassandra_write_retries_total");
  processor.signal(SIGTERM);
  EXPECT_EQ(processor.wait(60s), 0) << processor.err();
  expect_table_equals(read_rows(keyspace), produced.rows);
  EXPECT_EQ(sum_progress(processor.err(), "records_in"), static_cast<std::int64_t>(produced.messages));
  // Two replicas of three were up all the time: no stall as long as a node's absence, and the
  // processor never reported Cassandra unhealthy.
  EXPECT_LT(watch.longest_pause_seconds(), std::chrono::duration<double>(kLongestPause).count());
  EXPECT_TRUE(watch.unhealthy().empty()) << watch.unhealthy().size() << " unhealthy answers, first: "
                                         << (watch.unhealthy().empty() ? "" : watch.unhealthy().front());

  std::cerr << "rolling restart under " << kRate << " ratings/s: " << fmt::format("{}", fmt::join(restarts, ", "))
            << "; " << produced.messages << " rows; longest pause in written rows " << watch.longest_pause_seconds()
            << " s; write retries " << retries << "; unhealthy /healthz answers " << watch.unhealthy().size() << "\n";
  if (HasFailure()) print_log("processor", processor.err());
}

}  // namespace
}  // namespace ratingstream::cluster_test
