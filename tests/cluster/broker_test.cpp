// The broker that leads most of the topic's partitions killed with kill -9 while `ratingstream
// produce` (idempotent, acks=all) and `ratingstream process` both run on the cluster. Its
// partitions get new leaders among the two brokers left (three replicas, min.insync.replicas 2),
// the group's coordinator may move with them, and neither client gives up: the producer reports
// every message delivered, the topic holds each of them exactly once, and the table holds exactly
// the rows they give. The processor's /healthz names the broker it cannot reach while it is away. Whatever happens, the
// broker runs again at the end (ServerRestarter).

#include <gtest/gtest.h>

#include "cluster_fixtures.hpp"

namespace ratingstream::cluster_test {
namespace {

constexpr int kRate = 2000;
constexpr int kCount = 60'000;  // 30 s at kRate
constexpr auto kOutage = 5s;    // after the new leaders are in place

TEST(ClusterKafkaBroker, LeaderKilledWhileProducingAndProcessingLosesAndDuplicatesNothing) {
  use_cluster();
  ClusterLoad load("cluster_broker");
  // --flush-timeout: the last messages may still wait for new leaders when the count is reached.
  load.start(
      {"--rate", std::to_string(kRate), "--count", std::to_string(kCount), "--seed", "11", "--flush-timeout", "180s"});
  if (HasFatalFailure()) return;
  const auto& topic = load.topic;
  const auto& keyspace = load.keyspace;
  auto& processor = *load.processor;
  auto& producer = *load.producer;
  const int port = wait_until_written(processor, kCount / 6);
  ASSERT_GT(port, 0) << processor.err() << producer.err();
  ASSERT_TRUE(producer.running()) << producer.err();

  // The broker leading the most partitions (the lowest id of a tie).
  const auto leaders = partition_leaders(topic);
  ASSERT_EQ(leaders.size(), static_cast<std::size_t>(kPartitions));
  std::map<std::int32_t, int> led;
  for (const auto& [partition, leader] : leaders) ++led[leader];
  const auto most = std::max_element(led.begin(), led.end(), [](auto& a, auto& b) { return a.second < b.second; });
  const int node = most->first - 10;  // node ids 11..13 are kafka-c1..c3
  ASSERT_TRUE(node >= 1 && node <= 3) << "leader id " << most->first;
  const std::string service = fmt::format("kafka-c{}", node);

  ServerRestarter restarter(service, [node] { return broker_answers(node); });
  restarter.mark_down();
  kill_server(service);
  if (HasFatalFailure()) return;
  const auto down_at = std::chrono::steady_clock::now();
  // The outage lasts until the cluster has moved every partition the broker led to another
  // broker (it fences the broker after its session timeout), and kOutage more; neither client
  // may give up meanwhile.
  std::map<std::int32_t, std::int32_t> leaders_while_down;
  double failover_seconds = -1;
  while (failover_seconds < 0 || std::chrono::steady_clock::now() - down_at < kOutage) {
    ASSERT_TRUE(processor.running()) << "the processor exited while a broker was down:\n" << processor.err();
    ASSERT_TRUE(producer.running() || producer.wait(0s) == 0) << "the producer failed:\n" << producer.err();
    ASSERT_LT(std::chrono::steady_clock::now() - down_at, 120s) << "no new leaders for the partitions of " << service;
    if (failover_seconds < 0) {
      leaders_while_down = partition_leaders(topic);
      const bool moved = leaders_while_down.size() == leaders.size() &&
                         std::none_of(leaders_while_down.begin(), leaders_while_down.end(), [&](const auto& entry) {
                           return entry.second == most->first || entry.second < 0;
                         });
      if (moved) failover_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - down_at).count();
    }
    std::this_thread::sleep_for(200ms);
  }
  // The processor says which broker it cannot reach, and then that it reaches it again.
  const std::string broker = fmt::format("127.0.0.1:2920{} ({})", node, most->first);
  EXPECT_TRUE(testing::eventually(
      [&] { return http_get(port, "/healthz").body.find(broker + " unreachable") != std::string::npos; }, 30s))
      << http_get(port, "/healthz").body;
  ASSERT_TRUE(restarter.restart());
  EXPECT_TRUE(testing::eventually(
      [&] { return http_get(port, "/healthz").body.find(broker + " reachable") != std::string::npos; }, 60s))
      << http_get(port, "/healthz").body;

  ASSERT_EQ(producer.wait(300s), 0) << producer.err();
  const std::string summary = fmt::format("summary: sent {}, delivered {}, failed 0", kCount, kCount);
  EXPECT_NE(producer.err().find(summary), std::string::npos) << "expected \"" << summary << "\" in:\n"
                                                             << producer.err();
  const auto produced = read_produced_ratings(topic, kPartitions);
  EXPECT_EQ(produced.messages, static_cast<std::size_t>(kCount)) << "the topic does not hold what the producer sent";
  EXPECT_EQ(produced.repeated, 0u) << "messages in the topic twice";

  EXPECT_TRUE(testing::eventually(
      [&] {
        return metric(port, "ratingstream_records_written_total") >= static_cast<double>(kCount) ||
               !processor.running();
      },
      300s));
  ASSERT_TRUE(processor.running()) << processor.err();
  processor.signal(SIGTERM);
  EXPECT_EQ(processor.wait(60s), 0) << processor.err();
  expect_table_equals(read_rows(keyspace), produced.rows);

  std::string moved;
  for (const auto& [partition, leader] : leaders_while_down) {
    if (leaders.at(partition) != leader) moved += fmt::format(" {}:{}->{}", partition, leaders.at(partition), leader);
  }
  std::cerr << "broker " << most->first << " (" << service << ") killed leading " << most->second << " of "
            << kPartitions << " partitions; new leaders after " << failover_seconds << " s:" << moved << "; topic "
            << produced.messages << " messages, processor read " << sum_progress(processor.err(), "records_in")
            << " records\n";
  if (HasFailure()) print_log("processor", processor.err());
}

}  // namespace
}  // namespace ratingstream::cluster_test
