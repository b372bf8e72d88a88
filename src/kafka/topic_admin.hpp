#pragma once
// Topic creation through librdkafka's admin API (the C API: the C++ API has no admin calls).

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <optional>
#include <string>

namespace ratingstream::kafka {

enum class TopicCreation { created, already_existed };

// Creates `topic` with the given partitions and replication factor. Throws RuntimeFailure with the
// broker's message when the broker cannot be reached within `timeout` or refuses the request.
TopicCreation create_topic(const RdKafka::Conf& conf, const std::string& topic, int partitions,
                           int replication_factor, std::chrono::milliseconds timeout);

// The partition count of `topic`, or nullopt when the broker says it does not exist. Throws
// RuntimeFailure when the broker cannot be reached within `timeout`.
std::optional<int> partition_count(const RdKafka::Conf& conf, const std::string& topic,
                                   std::chrono::milliseconds timeout);

}  // namespace ratingstream::kafka
