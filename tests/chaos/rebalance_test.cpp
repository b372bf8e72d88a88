// Rebalances served while the processor waits inside a batch (docs/delivery.md, "Rebalances"):
// - while Cassandra refuses the writes (a keyspace of replication factor 3 on the one node:
//   Unavailable, retried), the consumer is paused; a second member joins and leaves, the
//   partitions come back, and every one of them is read again: nothing stays paused;
// - a second member takes partitions whose rejected records are in the first one's batch, not
//   yet dead-lettered: each rejected record ends in the dead-letter topic exactly once, written
//   by whichever member's transaction committed it.

#include <gtest/gtest.h>

#include "chaos_fixtures.hpp"
#include "store/schema.hpp"

namespace ratingstream::chaos_test {
namespace {

constexpr int kPartitions = 4;

bool logged(Background& process, const std::string& text) { return process.err().find(text) != std::string::npos; }

// Replication factor 3 on the one node makes every write Unavailable (LOCAL_QUORUM needs two
// replicas); 1 makes them work again.
void set_replication(store::Session& session, const std::string& keyspace, int factor) {
  session.execute(fmt::format("ALTER KEYSPACE {} WITH replication = {{'class': 'SimpleStrategy', "
                              "'replication_factor': '{}'}}",
                              keyspace, factor));
}

// The second member writes to a keyspace of its own (replication factor 1), so that it can start
// while the first one's keyspace refuses everything: group membership is Kafka's alone.
std::vector<std::string> with_keyspace(std::vector<std::string> args, const std::string& keyspace) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--keyspace") args[i + 1] = keyspace;
  }
  return args;
}

std::map<store::Uuid, TableRow> rows_of_both(const std::string& a, const std::string& b) {
  auto rows = read_rows(a);
  for (auto& [id, row] : read_rows(b)) rows.emplace(id, std::move(row));
  return rows;
}

TEST(ChaosRebalance, PartitionsRevokedWhileRetryingAreReadWhenTheyComeBack) {
  const std::string topic = testing::unique_name("chaos_rebalance");
  const std::string keyspace = testing::unique_name("chaos_rebalance");
  const KeyspaceDropper dropper(keyspace);
  const std::string other_keyspace = testing::unique_name("chaos_rebalance_other");
  const KeyspaceDropper other_dropper(other_keyspace);
  const std::string group = testing::unique_name("chaos_rebalance");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  create_topic(topic, kPartitions);

  auto session = cassandra();
  store::apply_schema(session, {keyspace, "movie_ratings"}, 1);

  // The eager range assignor revokes every partition of every member in each rebalance: the
  // strictest case for pausing (the cooperative one moves only some).
  const std::vector<std::string> member{"process", "-t", topic, "--keyspace", keyspace, "--group", group,
                                        "--catalog", catalogue.string(), "--starting-offsets", "earliest",
                                        "--trigger", "500ms", "-X", "partition.assignment.strategy=range",
                                        "-X", "session.timeout.ms=6000"};
  Background first(member, dir.path(), "first");
  ASSERT_TRUE(testing::eventually([&] { return logged(first, "(now 0,1,2,3)") || !first.running(); }, 60s))
      << first.err();
  set_replication(session, keyspace, 3);
  ExpectedRows expected;
  expected.produce_load(topic, kPartitions, 0, 400);
  ASSERT_TRUE(testing::eventually([&] { return logged(first, "retrying") || !first.running(); }, 60s)) << first.err();
  ASSERT_TRUE(first.running()) << first.err();

  Background second(with_keyspace(member, other_keyspace), dir.path(), "second");
  ASSERT_TRUE(testing::eventually([&] { return logged(second, "Kafka: assigned partitions"); }, 60s)) << second.err();
  ASSERT_TRUE(testing::eventually([&] { return logged(first, "Kafka: gave up partitions"); }, 30s)) << first.err();

  set_replication(session, keyspace, 1);
  ASSERT_TRUE(testing::eventually([&] { return rows_of_both(keyspace, other_keyspace).size() >= 400; }, 90s))
      << first.err() << "\n" << second.err();

  // The second member leaves: the first gets back what it had before the rebalance, revoked
  // while it was paused. New records on every partition must all be written.
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait(60s), 0) << second.err();
  expected.produce_load(topic, kPartitions, 400, 400);
  EXPECT_TRUE(testing::eventually([&] { return rows_of_both(keyspace, other_keyspace).size() >= 800; }, 90s))
      << rows_of_both(keyspace, other_keyspace).size() << " of 800 rows\n" << first.err();
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait(60s), 0) << first.err();
  expect_table_equals(rows_of_both(keyspace, other_keyspace), expected.rows);
}

TEST(ChaosRebalance, DeadLettersOfPartitionsRevokedDuringTheirBatchAreWrittenOnce) {
  const std::string topic = testing::unique_name("chaos_rebalance_dlq");
  const std::string dead_letters = testing::unique_name("chaos_rebalance_dlq_out");
  const std::string keyspace = testing::unique_name("chaos_rebalance_dlq");
  const KeyspaceDropper dropper(keyspace);
  const std::string other_keyspace = testing::unique_name("chaos_rebalance_dlq_other");
  const KeyspaceDropper other_dropper(other_keyspace);
  const std::string group = testing::unique_name("chaos_rebalance_dlq");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  create_topic(topic, kPartitions);
  auto session = cassandra();
  store::apply_schema(session, {keyspace, "movie_ratings"}, 1);

  const std::vector<std::string> member{"process", "-t", topic, "--keyspace", keyspace, "--group", group,
                                        "--catalog", catalogue.string(), "--starting-offsets", "earliest",
                                        "--trigger", "500ms", "--dead-letter-topic", dead_letters,
                                        "-X", "session.timeout.ms=6000"};
  Background first(member, dir.path(), "first");
  ASSERT_TRUE(testing::eventually([&] { return logged(first, "(now 0,1,2,3)") || !first.running(); }, 60s))
      << first.err();

  // Writes refused from now on: the first member's batch of rows and rejected records waits,
  // paused, while a second member joins and takes half of its partitions.
  set_replication(session, keyspace, 3);
  ExpectedRows expected;
  auto produce_mixed = [&](int first_rating, int count) {
    expected.produce_load(topic, kPartitions, first_rating, count);
    std::vector<Outgoing> bad;
    for (int i = first_rating; i < first_rating + count; ++i) bad.push_back({i % kPartitions, "Bad", fmt::format("not json {}", i)});
    produce(topic, bad);
  };
  produce_mixed(0, 200);
  ASSERT_TRUE(testing::eventually([&] { return logged(first, "retrying"); }, 60s)) << first.err();
  Background second(with_keyspace(member, other_keyspace), dir.path(), "second");
  ASSERT_TRUE(testing::eventually([&] { return logged(first, "Kafka: gave up partitions"); }, 60s)) << first.err();
  ASSERT_TRUE(testing::eventually([&] { return logged(second, "Kafka: assigned partitions"); }, 30s)) << second.err();
  set_replication(session, keyspace, 1);

  produce_mixed(200, 200);
  ASSERT_TRUE(testing::eventually([&] { return rows_of_both(keyspace, other_keyspace).size() >= 400; }, 90s))
      << first.err() << "\n" << second.err();
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait(90s), 0) << second.err();
  produce_mixed(400, 100);
  ASSERT_TRUE(testing::eventually([&] { return rows_of_both(keyspace, other_keyspace).size() >= 500; }, 90s))
      << first.err();

  // Each rejected record once, whoever wrote it.
  std::map<std::pair<std::string, std::string>, int> copies;
  EXPECT_TRUE(testing::eventually(
      [&] {
        copies.clear();
        for (const auto& l : consume_all(dead_letters, kPartitions)) {
          ++copies[{l.headers.at("source.partition"), l.headers.at("source.offset")}];
        }
        return copies.size() >= 500;
      },
      120s))
      << copies.size() << " of 500 dead letters\n" << first.err();
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait(90s), 0) << first.err();
  std::size_t letters = 0;
  copies.clear();
  for (const auto& l : consume_all(dead_letters, kPartitions)) {
    ++copies[{l.headers.at("source.partition"), l.headers.at("source.offset")}];
    ++letters;
  }
  EXPECT_EQ(copies.size(), 500u);
  EXPECT_EQ(letters, 500u) << "rejected records dead-lettered more than once";
  expect_table_equals(rows_of_both(keyspace, other_keyspace), expected.rows);
}

}  // namespace
}  // namespace ratingstream::chaos_test
