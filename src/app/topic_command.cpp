// ratingstream topic create: creates the ratings topic through librdkafka's admin API.

#include <fmt/format.h>

#include "app/command_line.hpp"
#include "common/errors.hpp"
#include "kafka/client_config.hpp"
#include "kafka/topic_admin.hpp"

namespace ratingstream::app {
namespace {

struct TopicCreateOptions {
  KafkaOptions kafka;
  int partitions = 3;
  int replication_factor = 1;
  std::chrono::milliseconds timeout{15000};
};

int run_topic_create(const TopicCreateOptions& o) {
  const auto conf = kafka::make_client_config(o.kafka.bootstrap_servers, o.kafka.properties);
  const auto result = kafka::create_topic(*conf, o.kafka.topic, o.partitions, o.replication_factor, o.timeout);
  if (result == kafka::TopicCreation::created) {
    fmt::print("created topic {} ({} partitions, replication factor {})\n", o.kafka.topic, o.partitions,
               o.replication_factor);
  } else {
    fmt::print("topic {} already exists\n", o.kafka.topic);
  }
  return kExitOk;
}

}  // namespace

void add_topic_command(CLI::App& root, Action& chosen) {
  auto* topic = root.add_subcommand("topic", "Manage the ratings topic");
  topic->require_subcommand(1);
  auto* create = topic->add_subcommand("create", "Create the topic (says so when it already exists)");
  auto options = std::make_shared<TopicCreateOptions>();
  add_kafka_options(*create, options->kafka);
  create->add_option("--partitions", options->partitions, "number of partitions")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  create->add_option("--replication-factor", options->replication_factor, "replicas per partition")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  add_duration_option(*create, "--timeout", options->timeout, "how long to wait for the broker");
  create->callback([&chosen, options] { chosen = [options] { return run_topic_create(*options); }; });
}

}  // namespace ratingstream::app
