// The Kafka broker killed with kill -9 (its pid from .stack/kafka.pid) and started again with
// `scripts/stack up kafka` while `ratingstream produce` (load mode) and `ratingstream process` both
// run. Both recover by themselves: the producer reports every message delivered and exits 0; the
// topic holds exactly the count it sent (idempotent producer: a retry after the broker came back
// does not duplicate); the table equals the rows derived from what is in the topic. Whatever
// happens, Kafka runs again at the end (ServerRestarter).

#include <gtest/gtest.h>

#include "chaos_fixtures.hpp"

namespace ratingstream::chaos_test {
namespace {

constexpr int kPartitions = 3;
constexpr int kRate = 2000;
constexpr int kCount = 80'000;  // 40 s at kRate
constexpr auto kOutage = 15s;

TEST(ChaosKafkaKill, ProducerAndProcessorRecoverFromABrokerKillNine) {
  const std::string topic = testing::unique_name("chaos_kafka");
  const std::string keyspace = testing::unique_name("chaos_kafka");
  const KeyspaceDropper dropper(keyspace);
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  const auto movies = dir.write("movies.csv", kProducerMovies);
  create_topic(topic, kPartitions);

  Background processor(testing::processor_command(topic, keyspace, testing::unique_name("chaos_kafka"), catalogue,
                                                  {"--trigger", "1s", "--progress", "json"}),
                       dir.path(), "processor");
  // --flush-timeout: the last messages may still wait for the restarted broker when the count is
  // reached; the default 10 s would give up on them.
  Background producer({"produce", "-t", topic, "--movies", movies.string(), "--rate", std::to_string(kRate), "--count",
                       std::to_string(kCount), "--seed", "7", "--quiet", "--flush-timeout", "180s"},
                      dir.path(), "producer");

  auto session = cassandra();
  ASSERT_TRUE(testing::eventually(
      [&] { return count_rows(session, keyspace) >= kCount / 8 || !processor.running() || !producer.running(); }, 120s))
      << processor.err() << producer.err();
  ASSERT_TRUE(processor.running()) << processor.err();
  ASSERT_TRUE(producer.running()) << producer.err();
  const auto rows_at_kill = count_rows(session, keyspace);

  ServerRestarter restarter("kafka", [&] { return kafka_answers(topic); });
  restarter.mark_down();
  kill_server("kafka");
  if (::testing::Test::HasFatalFailure()) return;
  const auto down_at = std::chrono::steady_clock::now();
  // The outage is the deliberate wait; neither client may give up meanwhile.
  while (std::chrono::steady_clock::now() - down_at < kOutage) {
    ASSERT_TRUE(processor.running()) << "the processor exited while Kafka was down:\n" << processor.err();
    ASSERT_TRUE(producer.running()) << "the producer exited while Kafka was down:\n" << producer.err();
    std::this_thread::sleep_for(200ms);
  }
  const auto restart_began = std::chrono::steady_clock::now();
  ASSERT_TRUE(restarter.restart());
  const double restart_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - restart_began).count();

  ASSERT_EQ(producer.wait(300s), 0) << producer.err();
  const std::string summary = fmt::format("summary: sent {}, delivered {}, failed 0", kCount, kCount);
  EXPECT_NE(producer.err().find(summary), std::string::npos) << "expected \"" << summary << "\" in:\n"
                                                             << producer.err();

  // What is in the topic, exactly, and the rows it must give.
  const auto topic_ratings = read_produced_ratings(topic, kPartitions);
  EXPECT_EQ(topic_ratings.messages, static_cast<std::size_t>(kCount))
      << "the topic does not hold what the producer sent";
  EXPECT_EQ(topic_ratings.repeated, 0u) << "messages in the topic twice";
  const auto& expected = topic_ratings.rows;

  EXPECT_TRUE(testing::eventually(
      [&] {
        return count_rows(session, keyspace) >= static_cast<std::int64_t>(expected.size()) || !processor.running();
      },
      300s));
  ASSERT_TRUE(processor.running()) << "the processor exited after Kafka came back:\n" << processor.err();
  processor.signal(SIGTERM);
  EXPECT_EQ(processor.wait(60s), 0) << processor.err();
  expect_table_equals(read_rows(keyspace), expected);

  std::cerr << "Kafka killed at " << rows_at_kill << " rows, down " << kOutage.count() << " s, answering again "
            << restart_seconds << " s after scripts/stack up; topic " << topic_ratings.messages << " records, table "
            << count_rows(session, keyspace) << " rows; processor read " << sum_progress(processor.err(), "records_in")
            << " records\n";
}

}  // namespace
}  // namespace ratingstream::chaos_test
