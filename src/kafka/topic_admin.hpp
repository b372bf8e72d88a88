#pragma once
// Topic creation through librdkafka's admin API (the C API: the C++ API has no admin calls).

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "common/errors.hpp"

namespace ratingstream::kafka {

enum class TopicCreation { created, already_existed };

// No broker of `servers` answered within `waited`. A RuntimeFailure: the broker may be down
// rather than the address wrong. The message says where and how long, and what librdkafka last
// met trying to connect; the caller knows which flag to suggest.
class BrokerUnreachable : public RuntimeFailure {
 public:
  BrokerUnreachable(const std::string& servers, std::chrono::milliseconds waited);
  const std::string& servers() const { return servers_; }

 private:
  std::string servers_;
};

// Creates `topic` with the given partitions and replication factor (-1: the broker's
// default.replication.factor) and topic configuration entries (e.g. min.insync.replicas).
// Throws BrokerUnreachable when no broker answers within `timeout`, RuntimeFailure with the
// broker's message when it refuses the request.
TopicCreation create_topic(const RdKafka::Conf& conf, const std::string& topic, int partitions, int replication_factor,
                           std::chrono::milliseconds timeout, const std::map<std::string, std::string>& config = {});

// The partition count of `topic`, or nullopt when the broker says it does not exist. Throws
// RuntimeFailure when the broker cannot be reached within `timeout`.
std::optional<int> partition_count(const RdKafka::Conf& conf, const std::string& topic,
                                   std::chrono::milliseconds timeout);

struct TopicShape {
  int partitions = 0;
  int replication_factor = 0;  // replicas of partition 0 (Kafka gives every partition as many)
};

// The partitions and replication factor of `topic`, or nullopt when it does not exist. Throws
// like partition_count.
std::optional<TopicShape> topic_shape(const RdKafka::Conf& conf, const std::string& topic,
                                      std::chrono::milliseconds timeout);

}  // namespace ratingstream::kafka
