#pragma once
// Keeps the processor's view of its servers current: every second it asks the Cassandra driver
// which nodes it has connections to and the Kafka consumer's statistics which brokers it
// reaches, and hands both to Metrics, from where /healthz, /metrics and the dashboard show them.
// Both questions are answered from memory (no request to a server), so a server that hangs
// cannot hold the watch (docs/operations.md, "Health").

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "observe/metrics.hpp"

namespace ratingstream::process {

using ServerStates = std::function<std::vector<observe::ServerState>()>;

class ServerWatch {
 public:
  ServerWatch(observe::Metrics& metrics, ServerStates cassandra_nodes, ServerStates kafka_brokers,
              std::chrono::milliseconds every = std::chrono::seconds(1));
  ~ServerWatch();
  ServerWatch(const ServerWatch&) = delete;
  ServerWatch& operator=(const ServerWatch&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// The brokers of kafka::broker_states() as servers (the broker id as their detail).
std::vector<observe::ServerState> kafka_broker_servers();

}  // namespace ratingstream::process
