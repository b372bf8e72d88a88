#include "produce/topic_setup.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/errors.hpp"
#include "kafka/topic_admin.hpp"

namespace ratingstream::produce {
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
    throw RuntimeFailure(fmt::format("{} (is Kafka running there? check -b/--bootstrap-servers)", e.what()));
  }
}

}  // namespace ratingstream::produce
