#include "kafka/broker_states.hpp"

#include <gtest/gtest.h>

using ratingstream::kafka::parse_broker_states;

// The shape of librdkafka 2.x statistics: a bootstrap entry not connected yet, one connected
// (it has its id now, and stays "configured"), learned brokers (one down), the logical
// group-coordinator alias.
constexpr const char* kStatistics = R"({"name":"rdkafka#consumer-1","type":"consumer","brokers":{
 "127.0.0.1:29201/bootstrap":{"name":"127.0.0.1:29201/bootstrap","nodeid":-1,"nodename":"127.0.0.1:29201","source":"configured","state":"UP"},
 "127.0.0.1:29202/12":{"name":"127.0.0.1:29202/12","nodeid":12,"nodename":"127.0.0.1:29202","source":"configured","state":"UP"},
 "127.0.0.1:29203/13":{"name":"127.0.0.1:29203/13","nodeid":13,"nodename":"127.0.0.1:29203","source":"learned","state":"DOWN"},
 "127.0.0.1:29201/11":{"name":"127.0.0.1:29201/11","nodeid":11,"nodename":"127.0.0.1:29201","source":"learned","state":"UP"},
 "GroupCoordinator":{"name":"GroupCoordinator","nodeid":11,"nodename":"127.0.0.1:29201","source":"logical","state":"UP"}
},"topics":{}})";

TEST(BrokerStates, LearnedBrokersByIdWithTheirConnectionState) {
  const auto brokers = parse_broker_states(kStatistics);
  ASSERT_EQ(brokers.size(), 3u);
  EXPECT_EQ(brokers[0].id, 11);
  EXPECT_EQ(brokers[0].address, "127.0.0.1:29201");
  EXPECT_TRUE(brokers[0].up);
  EXPECT_EQ(brokers[1].id, 12);
  EXPECT_TRUE(brokers[1].up);
  EXPECT_EQ(brokers[2].id, 13);
  EXPECT_FALSE(brokers[2].up);
}

TEST(BrokerStates, AnythingElseGivesNoBrokers) {
  for (const char* text :
       {"", "not json", "[]", R"({"brokers":[]})", R"({"brokers":{"x":{"nodeid":"11"}}})",
        R"({"brokers":{"x":{"nodeid":3,"source":"learned"}}})",
        R"({"brokers":{"GroupCoordinator":{"nodeid":3,"nodename":"h:1","source":"logical","state":"UP"}}})"}) {
    EXPECT_TRUE(parse_broker_states(text).empty()) << text;
  }
}
