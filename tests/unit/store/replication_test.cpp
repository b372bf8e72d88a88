// What an Unavailable answer says to the user: replicas needed and alive, and the keyspace's
// replication against the nodes there are (store/replication.hpp), without a server.

#include "store/replication.hpp"

#include <gtest/gtest.h>

namespace ratingstream::store {
namespace {

ClusterNodes one_datacenter(int nodes) { return {"datacenter1", {{"datacenter1", nodes}}}; }

ReplicationContext simple(int factor, int nodes) {
  const auto context =
      replication_context({"SimpleStrategy", {{"replication_factor", std::to_string(factor)}}}, one_datacenter(nodes));
  EXPECT_TRUE(context);
  return context.value_or(ReplicationContext{});
}

TEST(Replication, ParsesTheMapAsTheBridgeReturnsIt) {
  const auto r =
      parse_replication("{'class': 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '3'}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->strategy, "SimpleStrategy");
  EXPECT_EQ(r->options, (std::map<std::string, std::string>{{"replication_factor", "3"}}));

  const auto nts =
      parse_replication("{'class': 'org.apache.cassandra.locator.NetworkTopologyStrategy', 'dc1': '3', 'it''s': '1'}");
  ASSERT_TRUE(nts);
  EXPECT_EQ(nts->strategy, "NetworkTopologyStrategy");
  EXPECT_EQ(nts->options.at("dc1"), "3");
  EXPECT_EQ(nts->options.at("it's"), "1");
}

TEST(Replication, RefusesWhatIsNotAReplicationMap) {
  for (const char* bad : {"", "{", "{'class': 'SimpleStrategy'", "{'replication_factor': '3'}", "[1, 2]",
                          "{'class': 'SimpleStrategy'} trailing", "{'class' 'SimpleStrategy'}"}) {
    EXPECT_FALSE(parse_replication(bad)) << bad;
  }
}

TEST(Replication, ContextCountsTheClusterForSimpleAndTheLocalDatacenterForNetworkTopology) {
  EXPECT_EQ(simple(3, 1).text, "replication factor 3 on a 1-node cluster");
  EXPECT_EQ(simple(3, 1).replicas, 3);
  EXPECT_EQ(simple(3, 1).nodes, 1);

  const ClusterNodes two_dcs{"dc1", {{"dc1", 1}, {"dc2", 4}}};
  const auto nts = replication_context({"NetworkTopologyStrategy", {{"dc1", "3"}, {"dc2", "3"}}}, two_dcs);
  ASSERT_TRUE(nts);
  EXPECT_EQ(nts->replicas, 3);
  EXPECT_EQ(nts->nodes, 1);
  EXPECT_EQ(nts->text, "replication factor 3 in datacenter dc1, which has 1 node");
  // A simple strategy counts every node, wherever it is.
  const auto everywhere = replication_context({"SimpleStrategy", {{"replication_factor", "3"}}}, two_dcs);
  ASSERT_TRUE(everywhere);
  EXPECT_EQ(everywhere->nodes, 5);

  // What cannot be read gives no context rather than a wrong one.
  EXPECT_FALSE(replication_context({"SimpleStrategy", {{"replication_factor", "3/1"}}}, two_dcs));
  EXPECT_FALSE(replication_context({"LocalStrategy", {}}, two_dcs));
}

TEST(Replication, UnavailableOnTooFewNodesSaysNeededAliveAndWhatToDo) {
  EXPECT_EQ(describe_unavailable("127.0.0.1:9042", "netflix", {"LOCAL_QUORUM", 2, 1}, simple(3, 1)),
            "Cassandra at 127.0.0.1:9042 cannot meet LOCAL_QUORUM for keyspace netflix: 2 replicas needed, 1 alive "
            "(replication factor 3 on a 1-node cluster): add nodes or lower the replication factor (ALTER KEYSPACE "
            "netflix WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1})");
}

TEST(Replication, UnavailableWithEnoughNodesSaysSomeAreDown) {
  const auto text = describe_unavailable("h:9042", "Ks", {"LOCAL_SERIAL", 2, 1}, simple(3, 3));
  EXPECT_NE(text.find("cannot meet LOCAL_SERIAL for keyspace Ks: 2 replicas needed, 1 alive (replication factor 3 "
                      "on a 3-node cluster): start the nodes that are down"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("ALTER KEYSPACE \"Ks\""), std::string::npos) << text;  // quoted as CQL needs it
}

TEST(Replication, UnavailableWithoutContextStillSaysNeededAndAlive) {
  EXPECT_EQ(describe_unavailable("h:9042", "k", {"ONE", 1, 0}, std::nullopt),
            "Cassandra at h:9042 cannot meet ONE for keyspace k: 1 replica needed, 0 alive: add or start nodes, or "
            "lower the replication factor");
}

TEST(Replication, SchemaWarnsOnlyWhenTheReplicasOutnumberTheNodes) {
  EXPECT_FALSE(replication_warning("k", simple(1, 1)));
  EXPECT_FALSE(replication_warning("k", simple(3, 5)));

  const auto none_writable = replication_warning("k", simple(3, 1));
  ASSERT_TRUE(none_writable);
  EXPECT_NE(none_writable->find("keyspace k has replication factor 3 on a 1-node cluster: writes at LOCAL_QUORUM "
                                "need 2 replicas, so nothing can be written"),
            std::string::npos)
      << *none_writable;

  const auto fewer_copies = replication_warning("k", simple(3, 2));
  ASSERT_TRUE(fewer_copies);
  EXPECT_NE(fewer_copies->find("each row is kept on 2 nodes, not 3"), std::string::npos) << *fewer_copies;
}

}  // namespace
}  // namespace ratingstream::store
