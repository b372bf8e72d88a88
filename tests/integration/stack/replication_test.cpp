// A keyspace with more replicas than the cluster has nodes (replication factor 3 on the single
// test node): `schema` says so and still creates it, and the processor says why it cannot write
// (replicas needed and alive, the factor against the nodes) in its warnings and on /healthz,
// instead of "unreachable", and keeps retrying until the keyspace can take writes.

#include <gtest/gtest.h>

#include "../process/process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

void set_replication_factor(const std::string& keyspace, int factor) {
  cassandra().execute(
      fmt::format("ALTER KEYSPACE {} WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': '{}'}}",
                  keyspace, factor));
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(Replication, MoreReplicasThanNodesIsSaidBySchemaTheProcessorAndHealthz) {
  const std::string keyspace = testing::unique_name("it_rf3");
  const std::string topic = testing::unique_name("it_rf3");
  const std::string why = "cannot meet LOCAL_QUORUM for keyspace " + keyspace +
                          ": 2 replicas needed, 1 alive (replication factor 3 on a 1-node cluster): add nodes or "
                          "lower the replication factor";

  const auto schema = testing::run_ratingstream({"schema", "--keyspace", keyspace, "--replication-factor", "3"}, 60s);
  EXPECT_EQ(schema.exit_code, 0) << schema.err;
  EXPECT_NE(schema.err.find("Cassandra at 127.0.0.1:9042 " + why), std::string::npos) << schema.err;
  EXPECT_EQ(schema.out.find("schema ready"), std::string::npos) << schema.out;

  create_topic(topic, 1);
  produce(topic, {numbered_rating(0, 0)});
  testing::TempDir dir;
  Background processor({"process", "-t", topic, "--keyspace", keyspace, "--group", testing::unique_name("it_rf3_group"),
                        "--starting-offsets", "earliest", "--trigger", "0", "--metrics-port", "0"},
                       dir.path(), "processor");
  int port = 0;
  ASSERT_TRUE(testing::eventually([&] { return (port = metrics_port(processor.err())) != 0; }, 30s)) << processor.err();

  // At start-up (the table's settings cannot be read at LOCAL_QUORUM either).
  HttpAnswer health;
  EXPECT_TRUE(testing::eventually(
      [&] {
        health = http_get(port, "/healthz");
        return health.status == 503 && processor.err().find(why) != std::string::npos;
      },
      30s))
      << health.status << " " << health.body << "\n"
      << processor.err();
  EXPECT_EQ(health.body, "cassandra unavailable: Cassandra at 127.0.0.1:9042 " + why + " (ALTER KEYSPACE " + keyspace +
                             " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1})\n");

  // Lowering the factor heals it without a restart.
  set_replication_factor(keyspace, 1);
  auto session = cassandra();
  EXPECT_TRUE(testing::eventually([&] { return count_rows(session, keyspace) == 1; }, 60s)) << processor.err();
  EXPECT_TRUE(testing::eventually([&] { return http_get(port, "/healthz").status == 200; }, 30s));

  // While writing: the same explanation, beside the rows not written yet.
  set_replication_factor(keyspace, 3);
  produce(topic, {numbered_rating(0, 1)});
  EXPECT_TRUE(testing::eventually(
      [&] {
        health = http_get(port, "/healthz");
        return health.status == 503 && count(processor.err(), why) >= 2 &&
               processor.err().find("rows of this batch not written yet") != std::string::npos;
      },
      60s))
      << health.status << " " << health.body << "\n"
      << processor.err();
  EXPECT_NE(health.body.find(why), std::string::npos) << health.body;
  EXPECT_TRUE(processor.running()) << processor.err();

  set_replication_factor(keyspace, 1);
  EXPECT_TRUE(testing::eventually([&] { return count_rows(session, keyspace) == 2; }, 60s)) << processor.err();
  EXPECT_TRUE(testing::eventually([&] { return http_get(port, "/healthz").status == 200; }, 30s));
  processor.signal(SIGTERM);
  EXPECT_EQ(processor.wait(30s), 0) << processor.err();
  drop_keyspace(keyspace);
}

}  // namespace
}  // namespace ratingstream::process_test
