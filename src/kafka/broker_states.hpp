#pragma once
// Which brokers a Kafka client can reach, from librdkafka's own statistics (the JSON document it
// emits every statistics.interval.ms): every broker it learned from the cluster's metadata, with
// the state of its connection to it. The processor's consumer turns statistics on, so its
// /healthz and dashboard can name the brokers it reaches (docs/operations.md, "Health").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ratingstream::kafka {

struct BrokerState {
  std::int32_t id = -1;  // node.id
  std::string address;   // host:port
  bool up = false;       // librdkafka's connection state is UP
};

// The brokers of one statistics document with a known id, by id; bootstrap entries not yet
// connected (no id) and logical brokers (the group coordinator's alias) left out. Empty for a document that is not one.
std::vector<BrokerState> parse_broker_states(std::string_view statistics_json);

// The brokers of the last statistics document any client of this process emitted (only clients
// with statistics.interval.ms set emit them); empty before the first. Thread-safe.
std::vector<BrokerState> broker_states();

// Keeps `statistics_json` as the latest document (called from librdkafka's event callback).
void remember_statistics(std::string_view statistics_json);

}  // namespace ratingstream::kafka
