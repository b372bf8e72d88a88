#pragma once
// A topic's configuration entries, read and set through librdkafka's admin API (DescribeConfigs,
// AlterConfigs): what the dead-letter path needs to size itself from the source topic's limits.

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace ratingstream::kafka {

// Every configuration entry of `topic` as the broker reports it (its own or the broker's
// default), by name. Throws RuntimeFailure when the broker cannot answer within `timeout` or
// refuses (e.g. no DescribeConfigs permission).
std::map<std::string, std::string> topic_config(const RdKafka::Conf& conf, const std::string& topic,
                                                std::chrono::milliseconds timeout);

// Sets `entries` on `topic`. AlterConfigs replaces the topic's whole configuration, so this is
// for a topic created a moment ago, before anything else set an entry on it. Throws like
// topic_config.
void set_new_topic_config(const RdKafka::Conf& conf, const std::string& topic,
                          const std::map<std::string, std::string>& entries, std::chrono::milliseconds timeout);

// max.message.bytes of `topic` (the largest record batch it takes, after compression); nullopt
// when the broker does not report it. Throws like topic_config.
std::optional<std::int64_t> max_message_bytes(const RdKafka::Conf& conf, const std::string& topic,
                                              std::chrono::milliseconds timeout);

}  // namespace ratingstream::kafka
