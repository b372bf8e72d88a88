// ratingstream produce: the rating stream of the original producer, into Kafka (issue 3).

#include <cstdlib>
#include <memory>

#include "app/command_line.hpp"
#include "produce/produce_run.hpp"
#include "produce/producer_config.hpp"

namespace ratingstream::app {
namespace {

struct ProduceOptions {
  KafkaOptions kafka;
  produce::ProduceSettings settings;
};

}  // namespace

void add_produce_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand(
      "produce", "Send movie ratings to Kafka: every --interval one per person, or --rate for load");
  auto options = std::make_shared<ProduceOptions>();
  auto& s = options->settings;
  s.movies = RS_SOURCE_ROOT "/data/sample/movies.csv";

  add_kafka_options(*command, options->kafka);
  command->add_option("--movies", s.movies, "movies file: one title per line, CSV-quoted where needed")
      ->capture_default_str();
  command->add_option("--people", s.people, "how many generated people rate, besides --me")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}))
      ->capture_default_str();
  command->add_option("--me", s.me, "the fixed own name that rates too ('' for none)")->capture_default_str();
  auto* interval =
      add_duration_option(*command, "--interval", s.interval, "time between rounds of one rating per person");
  command->add_option("--count", s.count, "stop after this many messages in total (0 = until stopped)")
      ->capture_default_str();
  command
      ->add_option("--rate", s.rate,
                   "load mode: messages per second in total, 0 = as fast as the broker takes them")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            // Range() alone lets "nan" through.
            const double value = std::strtod(text.c_str(), nullptr);
            return value >= 0 && value <= 1e9 ? "" : "'" + text + "' is not a rate from 0 to 1e9 messages a second";
          },
          "RATE"))
      ->excludes(interval);
  command->add_option("--seed", s.seed, "seed for names, movies and ratings (default: from the clock, printed)");
  command->add_flag("--quiet", s.quiet, "do not print each message sent");
  command->add_option("--partitions", s.partitions, "partitions of the topic when it has to be created")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  command->add_option("--compression", s.compression, "compression codec of the producer")
      ->check(CLI::IsMember(produce::compression_codecs()))
      ->capture_default_str();
  add_duration_option(*command, "--flush-timeout", s.flush_timeout,
                      "on exit, how long to wait for messages still in flight");

  command->callback([&chosen, options] {
    chosen = [options] {
      auto& settings = options->settings;
      settings.bootstrap_servers = options->kafka.bootstrap_servers;
      settings.topic = options->kafka.topic;
      settings.properties = options->kafka.properties;
      return produce::run_produce(settings);
    };
  });
}

}  // namespace ratingstream::app
