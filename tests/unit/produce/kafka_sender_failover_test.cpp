// The producer's sender against librdkafka's own mock cluster (an in-process broker on loopback,
// the one librdkafka tests itself with): Produce requests whose answers a disconnection loses
// are "possibly persisted", and the idempotent producer must retry them, and the messages queued
// behind them, without a fatal error and without failing any. librdkafka before
// 2.3 (Debian 12 ships 2.0.2) raised a fatal error here, "rewound sequence number" or "sequence
// desynchronization", and failed every message still queued: a partition leader killed under
// load did exactly that (docs/architecture.md, "librdkafka").

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "produce/kafka_sender.hpp"
#include "produce/producer_config.hpp"
#include "test_support.hpp"

namespace ratingstream::produce {
namespace {

using namespace std::chrono_literals;

constexpr const char* kTopic = "failover";
constexpr int kBroker = 1;
constexpr std::int16_t kProduceApiKey = 0;  // the Kafka protocol's number of Produce requests

// A mock cluster of one broker with a one-partition topic, owned by a client of its own. (The mock
// broker does not drop a retried message it already stored, as a real one does by its sequence
// number, so what it holds says nothing here; the cluster tests count the real topic.)
class MockCluster {
 public:
  MockCluster() {
    char error[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", error, sizeof error);
    rd_kafka_conf_set(conf, "log_level", "0", error, sizeof error);
    host_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (host_ == nullptr) return;
    cluster_ = rd_kafka_handle_mock_cluster(host_);
    if (cluster_ == nullptr) return;
    rd_kafka_mock_topic_create(cluster_, kTopic, 1, 1);
    rd_kafka_mock_start_request_tracking(cluster_);
  }
  ~MockCluster() {
    if (host_ != nullptr) rd_kafka_destroy(host_);  // and its cluster
  }
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  bool ok() const { return cluster_ != nullptr; }
  std::string bootstraps() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }
  rd_kafka_mock_cluster_t* get() { return cluster_; }

  // Produce requests the broker has received since the last clear_requests().
  std::size_t produce_requests() {
    std::size_t count = 0;
    rd_kafka_mock_request_t** requests = rd_kafka_mock_get_requests(cluster_, &count);
    std::size_t produce = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (rd_kafka_mock_request_api_key(requests[i]) == kProduceApiKey) ++produce;
    }
    rd_kafka_mock_request_destroy_array(requests, count);
    return produce;
  }
  void clear_requests() { rd_kafka_mock_clear_requests(cluster_); }

 private:
  rd_kafka_t* host_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

// `lost` messages are in flight when the broker goes away (1 to 5, librdkafka's default
// max.in.flight); the rest of five are queued while it is away.
class SenderFailover : public ::testing::TestWithParam<int> {};

TEST_P(SenderFailover, RetriesPossiblyPersistedMessagesWithoutAFatalErrorOrAFailure) {
  const int lost = GetParam();
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  // One message per request, so each answer the broker withholds is one message's.
  KafkaSender sender(make_producer_config(mock.bootstraps(), {"batch.num.messages=1", "linger.ms=0"}, "none"), kTopic);
  const std::atomic<bool> stop{false};
  const auto send = [&](int count) {
    for (int i = 0; i < count; ++i) ASSERT_TRUE(sender.send("key", "value", stop));
  };

  send(5);
  ASSERT_TRUE(sender.flush(10s));
  ASSERT_EQ(sender.counts().delivered, 5u) << sender.first_error();

  // The next `lost` requests are answered late (0.75 s), too late: the connection drops first.
  // After it the broker answers the first retry NOT_ENOUGH_REPLICAS and the others out of order
  // sequence, as a new leader may while the first has not reached it.
  for (int i = 0; i < lost; ++i) {
    rd_kafka_mock_broker_push_request_error_rtts(mock.get(), kBroker, kProduceApiKey, 1, RD_KAFKA_RESP_ERR_NO_ERROR,
                                                 750);
  }
  rd_kafka_mock_broker_push_request_error_rtts(mock.get(), kBroker, kProduceApiKey, 1,
                                               RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, 750);
  for (int i = 0; i < 4; ++i) {
    rd_kafka_mock_broker_push_request_error_rtts(mock.get(), kBroker, kProduceApiKey, 1,
                                                 RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, 1);
  }
  mock.clear_requests();
  send(lost);
  ASSERT_TRUE(testing::eventually([&] { return mock.produce_requests() >= static_cast<std::size_t>(lost); }, 10s));
  rd_kafka_mock_broker_set_down(mock.get(), kBroker);
  // The scenario's order, as in librdkafka's own test of it: the rest are queued while the
  // producer sees the broker away, so they wait behind the retries.
  std::this_thread::sleep_for(250ms);
  send(5 - lost);
  rd_kafka_mock_broker_set_up(mock.get(), kBroker);

  EXPECT_TRUE(sender.flush(30s));
  EXPECT_FALSE(sender.fatal()) << sender.first_error();
  EXPECT_EQ(sender.counts().delivered, 10u) << sender.first_error();
  EXPECT_EQ(sender.counts().failed, 0u) << sender.first_error();
}

INSTANTIATE_TEST_SUITE_P(InFlight, SenderFailover, ::testing::Range(1, 6));

}  // namespace
}  // namespace ratingstream::produce
