#include "process/server_watch.hpp"

#include <string>

#include "kafka/broker_states.hpp"

namespace ratingstream::process {

ServerWatch::ServerWatch(observe::Metrics& metrics, ServerStates cassandra_nodes, ServerStates kafka_brokers,
                         std::chrono::milliseconds every) {
  thread_ = std::thread(
      [this, &metrics, cassandra_nodes = std::move(cassandra_nodes), kafka_brokers = std::move(kafka_brokers), every] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
          if (cassandra_nodes) metrics.set_cassandra_nodes(cassandra_nodes());
          if (kafka_brokers) metrics.set_kafka_brokers(kafka_brokers());
          wake_.wait_for(lock, every, [this] { return stopping_; });
        }
      });
}

ServerWatch::~ServerWatch() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::vector<observe::ServerState> kafka_broker_servers() {
  std::vector<observe::ServerState> servers;
  for (const auto& broker : kafka::broker_states()) {
    servers.push_back({broker.address, std::to_string(broker.id), broker.up});
  }
  return servers;
}

}  // namespace ratingstream::process
