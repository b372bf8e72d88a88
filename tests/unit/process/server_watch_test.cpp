#include "process/server_watch.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "test_support.hpp"

using namespace std::chrono_literals;
using ratingstream::observe::Metrics;
using ratingstream::observe::ServerState;
using ratingstream::process::ServerWatch;

TEST(ServerWatch, HandsEachSourcesLatestStateToMetricsUntilDestroyed) {
  Metrics metrics({});
  std::atomic<bool> node_up{true};
  std::atomic<int> calls{0};
  {
    const ServerWatch watch(
        metrics,
        [&] {
          ++calls;
          return std::vector<ServerState>{{"127.0.0.11:9042", "dc1", node_up.load()}};
        },
        [] {
          return std::vector<ServerState>{{"127.0.0.1:29201", "11", true}};
        },
        10ms);
    ASSERT_TRUE(ratingstream::testing::eventually([&] { return metrics.snapshot().cassandra_nodes.size() == 1; }, 5s));
    EXPECT_TRUE(metrics.snapshot().cassandra_nodes[0].reachable);
    EXPECT_EQ(metrics.snapshot().kafka_brokers.at(0).detail, "11");
    node_up = false;
    EXPECT_TRUE(
        ratingstream::testing::eventually([&] { return !metrics.snapshot().cassandra_nodes[0].reachable; }, 5s));
  }
  const int after = calls.load();
  std::this_thread::sleep_for(50ms);  // the thread is gone: no call may come after its end
  EXPECT_EQ(calls.load(), after);
}

TEST(ServerWatch, AMissingSourceLeavesItsListEmpty) {
  Metrics metrics({});
  {
    const ServerWatch watch(
        metrics, nullptr,
        [] {
          return std::vector<ServerState>{{"b:1", "1", false}};
        },
        10ms);
    ASSERT_TRUE(ratingstream::testing::eventually([&] { return !metrics.snapshot().kafka_brokers.empty(); }, 5s));
  }
  EXPECT_TRUE(metrics.snapshot().cassandra_nodes.empty());
}
