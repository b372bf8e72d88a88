#include "kafka/broker_states.hpp"

#include <simdjson.h>

#include <algorithm>
#include <mutex>

namespace ratingstream::kafka {

std::vector<BrokerState> parse_broker_states(std::string_view statistics_json) {
  std::vector<BrokerState> brokers;
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(statistics_json.data(), statistics_json.size()).get(document) != simdjson::SUCCESS) return {};
  simdjson::dom::object listed;
  if (document["brokers"].get(listed) != simdjson::SUCCESS) return {};
  for (const auto [name, broker] : listed) {
    std::int64_t id = -1;
    std::string_view address, state, source;
    if (broker["nodeid"].get(id) != simdjson::SUCCESS || id < 0) continue;
    // A bootstrap server keeps its "configured" source once its id is known; "logical" ones
    // (the group coordinator) are aliases of a real broker listed anyway.
    if (broker["source"].get(source) == simdjson::SUCCESS && source == "logical") continue;
    if (broker["nodename"].get(address) != simdjson::SUCCESS) continue;
    if (broker["state"].get(state) != simdjson::SUCCESS) continue;
    brokers.push_back({static_cast<std::int32_t>(id), std::string(address), state == "UP"});
  }
  std::sort(brokers.begin(), brokers.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return brokers;
}

namespace {

std::mutex latest_mutex;
std::vector<BrokerState> latest;

}  // namespace

std::vector<BrokerState> broker_states() {
  const std::lock_guard lock(latest_mutex);
  return latest;
}

void remember_statistics(std::string_view statistics_json) {
  auto brokers = parse_broker_states(statistics_json);
  if (brokers.empty()) return;  // a client that knows no broker yet says nothing about them
  const std::lock_guard lock(latest_mutex);
  latest = std::move(brokers);
}

}  // namespace ratingstream::kafka
