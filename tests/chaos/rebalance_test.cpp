// Rebalances served while the processor waits inside a batch (docs/delivery.md, "Rebalances"):
// - while Cassandra refuses the writes (a keyspace of replication factor 3 on the one node:
//   Unavailable, retried), the consumer is paused; a second member joins and leaves, the
//   partitions come back, and every one of them is read again: nothing stays paused;
// - a second member takes partitions whose rejected records are in the first one's batch, not
//   yet dead-lettered: each rejected record ends in the dead-letter topic exactly once, written
//   by whichever member's transaction committed it;
// - the same while the first member's dead letters are being delivered (a broker quota holds its
//   dead-letter producer back): the open transaction is aborted and committed again without the
//   partitions it lost.

#include <gtest/gtest.h>

#include "../integration/signals/client_quota.hpp"
#include "chaos_fixtures.hpp"
#include "store/schema.hpp"

namespace ratingstream::chaos_test {
namespace {

constexpr int kPartitions = 4;

bool logged(Background& process, const std::string& text) { return process.err().find(text) != std::string::npos; }

// Replication factor 3 on the one node makes every write Unavailable (LOCAL_QUORUM needs two
// replicas); 1 makes them work again.
void set_replication(store::Session& session, const std::string& keyspace, int factor) {
  session.execute(
      fmt::format("ALTER KEYSPACE {} WITH replication = {{'class': 'SimpleStrategy', "
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

// The dead letters of a topic: how many there are, and how many distinct source records they
// are of (equal when none is there twice).
struct DeadLetterCount {
  std::size_t letters = 0;
  std::size_t sources = 0;
};
DeadLetterCount count_dead_letters(const std::string& dead_letters) {
  std::set<std::pair<std::string, std::string>> sources;
  DeadLetterCount count;
  for (const auto& l : consume_all(dead_letters, kPartitions)) {
    sources.insert({l.headers.at("source.partition"), l.headers.at("source.offset")});
    ++count.letters;
  }
  count.sources = sources.size();
  return count;
}

// Rejected records number `first` to `first + count - 1`, round-robin over the partitions.
void produce_bad_records(const std::string& topic, int first, int count) {
  std::vector<Outgoing> records;
  for (int i = first; i < first + count; ++i)
    records.push_back({i % kPartitions, "Bad", fmt::format("not json {}", i)});
  produce(topic, records);
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
  store::apply_schema(session, {keyspace, "movie_ratings"}, store::KeyspaceReplication{});

  // The eager range assignor revokes every partition of every member in each rebalance: the
  // strictest case for pausing (the cooperative one moves only some).
  const std::vector<std::string> member = testing::processor_command(
      topic, keyspace, group, catalogue,
      {"--trigger", "500ms", "-X", "partition.assignment.strategy=range", "-X", "session.timeout.ms=6000"});
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
      << first.err() << "\n"
      << second.err();

  // The second member leaves: the first gets back what it had before the rebalance, revoked
  // while it was paused. New records on every partition must all be written.
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait(60s), 0) << second.err();
  expected.produce_load(topic, kPartitions, 400, 400);
  EXPECT_TRUE(testing::eventually([&] { return rows_of_both(keyspace, other_keyspace).size() >= 800; }, 90s))
      << rows_of_both(keyspace, other_keyspace).size() << " of 800 rows\n"
      << first.err();
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
  store::apply_schema(session, {keyspace, "movie_ratings"}, store::KeyspaceReplication{});

  const std::vector<std::string> member = testing::processor_command(
      topic, keyspace, group, catalogue,
      {"--trigger", "500ms", "--dead-letter-topic", dead_letters, "-X", "session.timeout.ms=6000"});
  Background first(member, dir.path(), "first");
  ASSERT_TRUE(testing::eventually([&] { return logged(first, "(now 0,1,2,3)") || !first.running(); }, 60s))
      << first.err();

  // Writes refused from now on: the first member's batch of rows and rejected records waits,
  // paused, while a second member joins and takes half of its partitions.
  set_replication(session, keyspace, 3);
  ExpectedRows expected;
  auto produce_mixed = [&](int first_rating, int count) {
    expected.produce_load(topic, kPartitions, first_rating, count);
    produce_bad_records(topic, first_rating, count);
  };
  produce_mixed(0, 200);
  ASSERT_TRUE(testing::eventually([&] { return logged(first, "retrying"); }, 60s)) << first.err();
  Background second(with_keyspace(member, other_keyspace), dir.path(), "second");
  ASSERT_TRUE(testing::eventually([&] { return logged(first, "Kafka: gave up partitions"); }, 60s)) << first.err();
  ASSERT_TRUE(testing::eventually([&] { return logged(second, "Kafka: assigned partitions"); }, 30s)) << second.err();
  set_replication(session, keyspace, 1);

  produce_mixed(200, 200);
  ASSERT_TRUE(testing::eventually([&] { return rows_of_both(keyspace, other_keyspace).size() >= 400; }, 90s))
      << first.err() << "\n"
      << second.err();
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait(90s), 0) << second.err();
  produce_mixed(400, 100);
  ASSERT_TRUE(testing::eventually([&] { return rows_of_both(keyspace, other_keyspace).size() >= 500; }, 90s))
      << first.err();

  // Each rejected record once, whoever wrote it.
  DeadLetterCount count;
  EXPECT_TRUE(testing::eventually([&] { return (count = count_dead_letters(dead_letters)).sources >= 500; }, 120s))
      << count.sources << " of 500 dead letters\n"
      << first.err();
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait(90s), 0) << first.err();
  count = count_dead_letters(dead_letters);
  EXPECT_EQ(count.sources, 500u);
  EXPECT_EQ(count.letters, 500u) << "rejected records dead-lettered more than once";
  expect_table_equals(rows_of_both(keyspace, other_keyspace), expected.rows);
}

TEST(ChaosRebalance, DeadLettersOfPartitionsRevokedDuringTheirDeliveryAreWrittenOnce) {
  const std::string topic = testing::unique_name("chaos_rebalance_flush");
  const std::string dead_letters = testing::unique_name("chaos_rebalance_flush_out");
  const std::string keyspace = testing::unique_name("chaos_rebalance_flush");
  const KeyspaceDropper dropper(keyspace);
  const std::string group = testing::unique_name("chaos_rebalance_flush");
  testing::TempDir dir;
  create_topic(topic, kPartitions);

  auto bad_records = [&](int first, int count) { produce_bad_records(topic, first, count); };
  const std::vector<std::string> member = {"process",
                                           "-t",
                                           topic,
                                           "--keyspace",
                                           keyspace,
                                           "--group",
                                           group,
                                           "--starting-offsets",
                                           "earliest",
                                           "--trigger",
                                           "500ms",
                                           "--dead-letter-topic",
                                           dead_letters,
                                           "-X",
                                           "session.timeout.ms=6000"};
  auto first_member = member;
  // The throttled one, sending its dead letters ten to a request, so that the quota holds most
  // of them back.
  first_member.insert(first_member.end(), {"-X", "client.id=" + topic, "-X", "batch.num.messages=10"});
  Background first(first_member, dir.path(), "first");
  ASSERT_TRUE(testing::eventually([&] { return logged(first, "(now 0,1,2,3)") || !first.running(); }, 60s))
      << first.err();
  {
    // 500 bytes a second: the broker holds the first member's dead letters (40 requests, 22 kB)
    // back while the group moves. It measures a rate over 10 s at least, so a quota near 2 kB/s
    // lets all of them through at once.
    const signals_test::ClientQuota quota(topic, 500);
    bad_records(0, 400);
    Background second(member, dir.path(), "second");
    ASSERT_TRUE(testing::eventually([&] { return logged(first, "Kafka: gave up partitions"); }, 60s))
        << first.err() << "\n---- second:\n"
        << second.err();
    ASSERT_TRUE(testing::eventually([&] { return logged(second, "Kafka: assigned partitions"); }, 30s)) << second.err();
    // The first member's flush is still waiting when the partitions move.
    EXPECT_EQ(first.err().find("batch 1:"), std::string::npos) << first.err();
    bad_records(400, 100);
    ASSERT_TRUE(testing::eventually([&] { return logged(second, "batch "); }, 60s)) << second.err();
    second.signal(SIGTERM);
    EXPECT_EQ(second.wait(90s), 0) << second.err();
  }
  bad_records(500, 100);

  DeadLetterCount count;
  EXPECT_TRUE(testing::eventually([&] { return (count = count_dead_letters(dead_letters)).sources >= 600; }, 180s))
      << count.sources << " of 600 dead letters\n"
      << first.err();
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait(90s), 0) << first.err();
  count = count_dead_letters(dead_letters);
  EXPECT_EQ(count.sources, 600u);
  EXPECT_EQ(count.letters, 600u) << "rejected records dead-lettered more than once";
}

}  // namespace
}  // namespace ratingstream::chaos_test
