#include "produce/producer_config.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "common/errors.hpp"
#include "common/setting.hpp"
#include "kafka/client_config.hpp"
#include "kafka/topic_admin.hpp"

namespace ratingstream::produce {

namespace {

using Property = std::pair<std::string, std::string>;

// librdkafka accepts several names for one property; -X under any of them counts as set.
const std::vector<std::vector<std::string>>& property_aliases() {
  static const std::vector<std::vector<std::string>> aliases = {
      {"acks", "request.required.acks"},
      {"compression.codec", "compression.type"},
      {"linger.ms", "queue.buffering.max.ms"},
  };
  return aliases;
}

bool user_sets(const std::vector<std::string>& properties, const std::string& key) {
  std::vector<std::string> names{key};
  for (const auto& group : property_aliases()) {
    if (std::find(group.begin(), group.end(), key) != group.end()) names = group;
  }
  return std::any_of(properties.begin(), properties.end(), [&](const std::string& kv) {
    const auto eq = kv.find('=');
    return std::find(names.begin(), names.end(), kv.substr(0, eq)) != names.end();
  });
}

// Defaults the user's -X properties have not overridden (make_client_config checks only the exact key).
std::vector<Property> unless_set(const std::vector<std::string>& properties, std::vector<Property> defaults) {
  std::erase_if(defaults, [&](const Property& p) { return user_sets(properties, p.first); });
  return defaults;
}

}  // namespace

const std::vector<std::string>& compression_codecs() {
  static const std::vector<std::string> codecs = {"none", "gzip", "snappy", "lz4", "zstd"};
  return codecs;
}

std::unique_ptr<RdKafka::Conf> make_producer_config(const std::string& bootstrap_servers,
                                                    const std::vector<std::string>& properties,
                                                    const std::string& compression) {
  return kafka::make_client_config(bootstrap_servers, properties,
                                   unless_set(properties, {
                                                              {"client.id", "ratingstream-produce"},
                                                              {"enable.idempotence", "true"},
                                                              {"acks", "all"},
                                                              {"compression.codec", compression},
                                                              {"partitioner", "murmur2_random"},
                                                          }));
}

std::unique_ptr<RdKafka::Conf> make_admin_config(const std::string& bootstrap_servers,
                                                 const std::vector<std::string>& properties) {
  return kafka::make_client_config(bootstrap_servers, properties,
                                   unless_set(properties, {
                                                              {"client.id", "ratingstream-produce-admin"},
                                                              {"allow.auto.create.topics", "false"},
                                                          }));
}

namespace {

// -1: let the broker choose (default.replication.factor), right for one node and for a cluster.
constexpr int kBrokerDefaultReplication = -1;

}  // namespace

void ensure_topic(const RdKafka::Conf& admin_conf, const std::string& topic, int partitions,
                  std::chrono::milliseconds timeout) {
  try {
    if (const auto existing = kafka::partition_count(admin_conf, topic, timeout)) {
      spdlog::info("topic {} exists ({} partitions)", topic, *existing);
      return;
    }
    const auto created = kafka::create_topic(admin_conf, topic, partitions, kBrokerDefaultReplication, timeout);
    if (created == kafka::TopicCreation::created) {
      spdlog::info("created topic {} ({} partitions)", topic, partitions);
    } else {  // someone else created it in between
      spdlog::info("topic {} exists", topic);
    }
  } catch (const RuntimeFailure& e) {
    throw RuntimeFailure(fmt::format("{} (is Kafka running there? check {})", e.what(), Setting::bootstrap_servers));
  }
}

}  // namespace ratingstream::produce
