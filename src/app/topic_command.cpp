// ratingstream topic create: creates the ratings topic through librdkafka's admin API.
//
// An existing topic is left as it is. When it has the partitions, replication factor and
// min.insync.replicas asked for (or they were not asked for: the defaults), that is success, as
// a script that makes sure the topic exists wants. When one was given and differs, it is exit 2:
// the request cannot be met as given. Without --replication-factor or --min-insync-replicas the
// broker's defaults apply (default.replication.factor, min.insync.replicas): a cluster set up
// for three replicas gets them without a flag. Partitions are not added here: adding them moves
// keys (persons) to other partitions, which breaks the per-person order of records still in
// flight; that is a decision for an operator with Kafka's own tool.

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "app/command_line.hpp"
#include "common/duration.hpp"
#include "common/errors.hpp"
#include "kafka/client_config.hpp"
#include "kafka/topic_admin.hpp"
#include "kafka/topic_config.hpp"

namespace ratingstream::app {
namespace {

struct TopicCreateOptions {
  KafkaOptions kafka;
  int partitions = 3;
  int replication_factor = -1;    // -1: the broker's default.replication.factor
  int min_insync_replicas = -1;   // -1: the broker's min.insync.replicas
  bool partitions_given = false;  // by a flag, the environment or the config file
  bool replication_factor_given = false;
  bool min_insync_replicas_given = false;
  std::chrono::milliseconds timeout{15000};
};

std::string partitions_text(int n) { return fmt::format("{} partition{}", n, n == 1 ? "" : "s"); }

// The existing topic against what was asked for; throws InputError on a mismatch.
void check_existing(const TopicCreateOptions& o, const kafka::TopicShape& shape) {
  const std::string& topic = o.kafka.topic;
  if (o.partitions_given && shape.partitions != o.partitions) {
    const std::string how =
        shape.partitions < o.partitions
            ? fmt::format(
                  "add partitions with Kafka's kafka-topics.sh --alter --topic {} --partitions {} (keys then "
                  "move to other partitions)",
                  topic, o.partitions)
            : std::string("Kafka cannot remove partitions: use another topic (-t)");
    throw InputError(
        fmt::format("topic {} already exists with {}, not the --partitions {} asked for; it is left as it "
                    "is: {}, or ask for --partitions {}",
                    topic, partitions_text(shape.partitions), o.partitions, how, shape.partitions));
  }
  if (o.replication_factor_given && shape.replication_factor != o.replication_factor) {
    throw InputError(
        fmt::format("topic {} already exists with replication factor {}, not the --replication-factor {} "
                    "asked for; it is left as it is: change it with Kafka's "
                    "kafka-reassign-partitions.sh, or ask for --replication-factor {}",
                    topic, shape.replication_factor, o.replication_factor, shape.replication_factor));
  }
}

// min.insync.replicas of the existing topic against what was asked for; throws InputError on a
// mismatch.
void check_existing_min_insync(const TopicCreateOptions& o, const RdKafka::Conf& conf) {
  if (!o.min_insync_replicas_given) return;
  const auto config = kafka::topic_config(conf, o.kafka.topic, o.timeout);
  const auto it = config.find("min.insync.replicas");
  const std::string wanted = std::to_string(o.min_insync_replicas);
  if (it != config.end() && it->second != wanted) {
    throw InputError(
        fmt::format("topic {} already exists with min.insync.replicas {}, not the --min-insync-replicas "
                    "{} asked for; it is left as it is: change it with Kafka's kafka-configs.sh --alter "
                    "--entity-type topics --entity-name {} --add-config min.insync.replicas={}, or ask "
                    "for --min-insync-replicas {}",
                    o.kafka.topic, it->second, wanted, o.kafka.topic, wanted, it->second));
  }
}

std::string min_insync_text(const RdKafka::Conf& conf, const std::string& topic, std::chrono::milliseconds timeout) {
  try {
    const auto config = kafka::topic_config(conf, topic, timeout);
    const auto it = config.find("min.insync.replicas");
    return it == config.end() ? std::string() : ", min.insync.replicas " + it->second;
  } catch (const RuntimeFailure&) {
    return {};  // the topic is there; what it could not say is not worth failing for
  }
}

// A topic created a moment ago may not be in the answering broker's metadata yet (unknown, or
// its leaders not elected): asked again until it is, within --timeout.
kafka::TopicShape created_topic_shape(const RdKafka::Conf& conf, const TopicCreateOptions& o) {
  const auto deadline = std::chrono::steady_clock::now() + o.timeout;
  for (;;) {
    try {
      const auto shape = kafka::topic_shape(conf, o.kafka.topic, o.timeout);
      if (shape && shape->partitions > 0) return *shape;
    } catch (const kafka::BrokerUnreachable&) {
      throw;
    } catch (const RuntimeFailure&) {
      if (std::chrono::steady_clock::now() >= deadline) throw;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw RuntimeFailure(
          fmt::format("topic {} was created but the brokers at {} do not list it after {}; run the "
                      "command again",
                      o.kafka.topic, o.kafka.bootstrap_servers, format_duration(o.timeout)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int run_topic_create(const TopicCreateOptions& o) {
  if (o.min_insync_replicas_given && o.replication_factor_given && o.min_insync_replicas > o.replication_factor) {
    throw InputError(
        fmt::format("--min-insync-replicas {} is more than --replication-factor {}: no write with "
                    "acks=all could ever succeed; ask for at most {}",
                    o.min_insync_replicas, o.replication_factor, o.replication_factor));
  }
  const auto conf = kafka::make_client_config(o.kafka.bootstrap_servers, o.kafka.properties);
  try {
    std::map<std::string, std::string> config;
    if (o.min_insync_replicas_given) config["min.insync.replicas"] = std::to_string(o.min_insync_replicas);
    const auto result =
        kafka::create_topic(*conf, o.kafka.topic, o.partitions, o.replication_factor, o.timeout, config);
    if (result == kafka::TopicCreation::created) {
      const auto created = created_topic_shape(*conf, o);
      fmt::print("created topic {} ({}, replication factor {}{})\n", o.kafka.topic, partitions_text(created.partitions),
                 created.replication_factor, min_insync_text(*conf, o.kafka.topic, o.timeout));
      return kExitOk;
    }
    const auto shape = kafka::topic_shape(*conf, o.kafka.topic, o.timeout);
    if (!shape) {  // deleted in between: rare enough to say so rather than retry
      throw RuntimeFailure(fmt::format("topic {} existed, then was gone; run the command again", o.kafka.topic));
    }
    check_existing(o, *shape);
    check_existing_min_insync(o, *conf);
    fmt::print("topic {} already exists ({}, replication factor {}{})\n", o.kafka.topic,
               partitions_text(shape->partitions), shape->replication_factor,
               min_insync_text(*conf, o.kafka.topic, o.timeout));
    return kExitOk;
  } catch (const kafka::BrokerUnreachable& e) {
    throw RuntimeFailure(
        fmt::format("{}; check -b/--bootstrap-servers (is a broker listening there?), or wait longer "
                    "with --timeout",
                    e.what()));
  }
}

}  // namespace

void add_topic_command(CLI::App& root, Action& chosen) {
  auto* topic = root.add_subcommand("topic", "Manage the ratings topic");
  topic->require_subcommand(1);
  auto* create = topic->add_subcommand(
      "create", "Create the topic; an existing one is left as it is (exit 2 if it differs from what was asked)");
  auto options = std::make_shared<TopicCreateOptions>();
  add_kafka_options(*create, options->kafka);
  auto* partitions =
      add_whole_number_option(*create, "--partitions", options->partitions, 1, 100'000, "number of partitions");
  auto* replication = add_whole_number_option<int>(
      *create, "--replication-factor", 1, 1000, [options](int n) { options->replication_factor = n; },
      "replicas per partition (default: the broker's default.replication.factor)");
  auto* min_insync = add_whole_number_option<int>(
      *create, "--min-insync-replicas", 1, 1000, [options](int n) { options->min_insync_replicas = n; },
      "replicas that must have a record before acks=all acknowledges it (default: the broker's "
      "min.insync.replicas); with 3 replicas, 2 lets one broker fail without losing a write");
  add_duration_option(*create, "--timeout", options->timeout, "how long to wait for the broker");
  create->callback([&chosen, options, partitions, replication, min_insync] {
    chosen = [options, partitions, replication, min_insync] {
      // Read when the command runs: the environment and the config file are applied by then.
      options->partitions_given = partitions->count() > 0;
      options->replication_factor_given = replication->count() > 0;
      options->min_insync_replicas_given = min_insync->count() > 0;
      return run_topic_create(*options);
    };
  });
}

}  // namespace ratingstream::app
