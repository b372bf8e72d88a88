#include "app/command_line.hpp"

#include "common/duration.hpp"

namespace ratingstream::app {

void add_kafka_options(CLI::App& command, KafkaOptions& options) {
  command.add_option("-b,--bootstrap-servers", options.bootstrap_servers,
                     "Kafka bootstrap servers, host:port[,host:port...]")
      ->capture_default_str();
  command.add_option("-t,--topic", options.topic, "Kafka topic of the ratings")->capture_default_str();
  command.add_option("-X", options.properties,
                     "librdkafka property key=value (repeatable), e.g. -X security.protocol=SSL")
      ->allow_extra_args(false);
}

void add_cassandra_options(CLI::App& command, CassandraOptions& options) {
  command.add_option("--cassandra", options.hosts, "Cassandra contact points, host[:port][,...]")
      ->capture_default_str();
  command.add_option("--keyspace", options.keyspace, "Cassandra keyspace")->capture_default_str();
  command.add_option("--table", options.table, "Cassandra table")->capture_default_str();
  command.add_option("--cassandra-user", options.username, "Cassandra username (PasswordAuthenticator)");
  command.add_option("--cassandra-password", options.password, "Cassandra password");
}

store::SessionConfig session_config(const CassandraOptions& options) {
  store::SessionConfig config;
  config.contact_points = store::parse_contact_points(options.hosts);
  config.username = options.username;
  config.password = options.password;
  return config;
}

CLI::Option* add_duration_option(CLI::App& command, const std::string& name,
                                 std::chrono::milliseconds& target, const std::string& description) {
  auto* option = command.add_option_function<std::string>(
      name,
      [&target, name](const std::string& text) {
        const auto parsed = parse_duration(text);
        if (!parsed) {
          throw CLI::ValidationError(name, "'" + text + "' is not a duration; write e.g. 500ms, 10s or 2m");
        }
        target = *parsed;
      },
      description);
  option->default_str(format_duration(target));
  return option;
}

}  // namespace ratingstream::app
