// More than one SIGINT/SIGTERM to the subcommands that run until stopped (produce, process,
// dashboard). Two signals 10 ms apart, as one Ctrl-C under `timeout` gives (the terminal's and
// timeout's forwarded one), are one request: a graceful stop, the summary printed, the exit code
// saying what happened. A signal that comes later means "stop now": the wait still under way is
// given up, the summary is still printed. Before, any second signal ended the process at once
// (status 143 or 130, no summary).
//
// The producer is put where a graceful stop keeps it waiting: its client.id gets a Kafka quota
// of 1 byte a second (client_quota.hpp), so after its first produce request the broker holds the
// connection back and deliveries stay unconfirmed.

#include <gtest/gtest.h>

#include <thread>

#include "../process/process_fixtures.hpp"
#include "client_quota.hpp"

namespace ratingstream::process_test {
namespace {

using signals_test::ClientQuota;

// Two signals `apart`.
void signal_twice(Background& process, int first, int second, std::chrono::milliseconds apart = 10ms) {
  process.signal(first);
  std::this_thread::sleep_for(apart);
  process.signal(second);
}

// Longer than the window in which a signal counts as the first one again (100 ms).
constexpr auto kSecondRequest = 500ms;

// The in-flight count of the last progress line of `produce --rate`, -1 before the first one.
long long in_flight(const std::string& err) {
  std::smatch m;
  long long last = -1;
  const std::regex progress(R"(progress: sent \d+, delivered \d+, in flight (\d+))");
  for (auto it = err.cbegin(); std::regex_search(it, err.cend(), m, progress); it = m.suffix().first) {
    last = std::stoll(m[1]);
  }
  return last;
}

// `produce --rate 200 --count 100000` on a topic of its own, with its deliveries held back by
// the broker once at least 100 messages are in flight.
class ThrottledProducer {
 public:
  explicit ThrottledProducer(const std::string& flush_timeout) : topic_(created_topic()), quota_(topic_, 1) {
    producer_.emplace(std::vector<std::string>{"produce", "-t", topic_, "--rate", "200", "--count", "100000",
                                               "--flush-timeout", flush_timeout, "-X", "client.id=" + topic_},
                      dir_.path(), "produce");
    EXPECT_TRUE(testing::eventually([&] { return in_flight(producer_->err()) >= 100 || !producer_->running(); }, 60s))
        << producer_->err();
  }
  Background& process() { return *producer_; }

 private:
  static std::string created_topic() {
    const std::string topic = testing::unique_name("it_signals_produce");
    create_topic(topic, 1);
    return topic;
  }

  std::string topic_;
  ClientQuota quota_;  // the topic's name is unique: as client.id too
  testing::TempDir dir_;
  std::optional<Background> producer_;
};

// The summary's "not confirmed N" (-1 when the summary is missing or says nothing is unconfirmed).
long long not_confirmed(const std::string& err) {
  std::smatch m;
  const std::regex summary(
      R"(summary: sent \d+, delivered \d+, failed 0, elapsed [0-9.]+s, [0-9.]+ msg/s, not confirmed (\d+)\n)");
  return std::regex_search(err, m, summary) ? std::stoll(m[1]) : -1;
}

TEST(SecondSignal, ProduceTakesASignalForwardedRightAfterTheFirstForTheSameGracefulStop) {
  ThrottledProducer throttled("2s");
  ASSERT_FALSE(HasFailure());
  auto& producer = throttled.process();
  signal_twice(producer, SIGTERM, SIGTERM);
  const auto exit_code = producer.wait(60s);
  const std::string err = producer.err();
  ASSERT_TRUE(exit_code.has_value()) << err;
  EXPECT_EQ(*exit_code, 1) << err;  // not all delivered (killed by the signal it would be -15)
  const long long unconfirmed = not_confirmed(err);
  EXPECT_GE(unconfirmed, 100) << err;
  EXPECT_NE(err.find(std::to_string(unconfirmed) + " still unconfirmed after --flush-timeout 2s"), std::string::npos)
      << "the flush ran its course:\n"
      << err;
}

TEST(SecondSignal, ProduceStopsWaitingForDeliveriesOnASecondSignalAndStillPrintsTheSummary) {
  ThrottledProducer throttled("10m");  // a graceful stop alone would wait that long
  ASSERT_FALSE(HasFailure());
  auto& producer = throttled.process();
  signal_twice(producer, SIGINT, SIGTERM, kSecondRequest);
  const auto exit_code = producer.wait(30s);
  const std::string err = producer.err();
  ASSERT_TRUE(exit_code.has_value()) << "still running after the second signal:\n" << err;
  EXPECT_EQ(*exit_code, 1) << err;
  const long long unconfirmed = not_confirmed(err);
  EXPECT_GE(unconfirmed, 100) << err;
  EXPECT_NE(err.find(std::to_string(unconfirmed) + " still unconfirmed when a second signal stopped the wait for them"),
            std::string::npos)
      << err;
}

TEST(SecondSignal, ProduceThatDeliveredEverythingExitsZero) {
  const std::string topic = testing::unique_name("it_signals_produce_ok");
  create_topic(topic, 1);
  testing::TempDir dir;
  Background producer({"produce", "-t", topic, "--rate", "200", "--count", "100000"}, dir.path(), "produce");
  ASSERT_TRUE(testing::eventually([&] { return in_flight(producer.err()) >= 0 || !producer.running(); }, 60s))
      << producer.err();
  signal_twice(producer, SIGINT, SIGINT);
  const auto exit_code = producer.wait(30s);
  const std::string err = producer.err();
  ASSERT_TRUE(exit_code.has_value()) << err;
  EXPECT_EQ(*exit_code, 0) << err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      err, m, std::regex(R"(summary: sent (\d+), delivered (\d+), failed 0, elapsed [0-9.]+s, [0-9.]+ msg/s\n)")))
      << err;
  EXPECT_EQ(m[1], m[2]) << err;
}

TEST(SecondSignal, ProcessEndsWithItsTotalsAndExitZero) {
  // The processor sees the first signal between two polls of Kafka (200 ms at most), then closes
  // its consumer: the one 10 ms later comes while it is still stopping.
  const std::string topic = testing::unique_name("it_signals_process");
  const std::string keyspace = testing::unique_name("it_signals_process");
  const std::string group = testing::unique_name("it_signals_group");
  create_topic(topic, 1);
  std::vector<Outgoing> records;
  for (int i = 0; i < 10; ++i) records.push_back(numbered_rating(0, i));
  for (int i = 0; i < 5; ++i) records.push_back({0, "Ann", "not json"});
  produce(topic, records);

  testing::TempDir dir;
  Background processor({"process", "-t", topic, "--keyspace", keyspace, "--group", group, "--starting-offsets",
                        "earliest", "--trigger", "0", "--progress", "json"},
                       dir.path(), "processor");
  ASSERT_TRUE(testing::eventually(
      [&] { return sum_progress(processor.err(), "records_in") == 15 || !processor.running(); }, 120s))
      << processor.err();
  ASSERT_TRUE(processor.running()) << processor.err();

  signal_twice(processor, SIGTERM, SIGTERM);
  const auto exit_code = processor.wait(30s);
  const std::string err = processor.err();
  ASSERT_TRUE(exit_code.has_value()) << "still running after the second signal:\n" << err;
  EXPECT_EQ(*exit_code, 0) << err;  // a stop on request (killed by the signal it would be -15)
  EXPECT_TRUE(
      std::regex_search(err, std::regex(R"(processed 15 records in \d+ batches: written 10, unmatched 0, rejected 5)")))
      << err;
  EXPECT_EQ(committed_offsets(group, topic, 1)[0], 15);
  drop_keyspace(keyspace);
}

TEST(SecondSignal, DashboardEndsWithItsLastLineAndExitZero) {
  testing::TempDir dir;
  Background dashboard({"dashboard", "--port", "0", "--address", "127.0.0.1"}, dir.path(), "dashboard");
  int port = 0;
  ASSERT_TRUE(testing::eventually(
      [&] {
        std::smatch m;
        const std::string err = dashboard.err();
        if (std::regex_search(err, m, std::regex(R"(dashboard on http://127\.0\.0\.1:(\d+)/)"))) port = std::stoi(m[1]);
        return port > 0 || !dashboard.running();
      },
      60s))
      << dashboard.err();
  // Serving: its main thread waits for a signal in steps of 100 ms.
  ASSERT_TRUE(testing::eventually([&] { return http_get(port, "/").status == 200; }, 60s)) << dashboard.err();

  signal_twice(dashboard, SIGINT, SIGINT);
  const auto exit_code = dashboard.wait(30s);
  ASSERT_TRUE(exit_code.has_value()) << dashboard.err();
  EXPECT_EQ(*exit_code, 0) << dashboard.err();  // killed by the signal it would be -2
  EXPECT_NE(dashboard.err().find("dashboard stopped"), std::string::npos) << dashboard.err();
}

}  // namespace
}  // namespace ratingstream::process_test
