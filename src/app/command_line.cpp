#include "app/command_line.hpp"

#include <fmt/format.h>

#include <fstream>

#include "common/duration.hpp"
#include "common/errors.hpp"
#include "common/text.hpp"
#include "kafka/client_config.hpp"

namespace ratingstream::app {

namespace {

// Validators run on every value an option receives, wherever it came from; CLI11 puts the
// option's name before the message, configuration.cpp the variable or file:line.
CLI::Validator bootstrap_servers_check() {
  return CLI::Validator(
      [](std::string& servers) -> std::string {
        const auto problem = kafka::bootstrap_servers_problem(servers);
        return problem ? *problem + "; give -b/--bootstrap-servers host:port[,host:port...]" : std::string();
      },
      "");
}

CLI::Validator kafka_property_check() {
  return CLI::Validator(
      [](std::string& key_value) -> std::string {
        try {
          kafka::check_property(key_value);
          return {};
        } catch (const InputError& e) {
          // CLI11 names the option already ("--kafka-property: linger.ms: invalid value ...").
          const std::string message = e.what();
          return message.starts_with("-X ") ? message.substr(3) : message;
        }
      },
      "");
}

}  // namespace

void add_kafka_options(CLI::App& command, KafkaOptions& options) {
  command
      .add_option("-b,--bootstrap-servers", options.bootstrap_servers,
                  "Kafka bootstrap servers, host:port[,host:port...]")
      ->check(bootstrap_servers_check())
      ->capture_default_str();
  command.add_option("-t,--topic", options.topic, "Kafka topic of the ratings")->capture_default_str();
  // The long name lets a config file or the environment carry them too (SASL credentials
  // belong in a file readable by the service alone, not on a command line that ps shows).
  command
      .add_option("-X,--kafka-property", options.properties,
                  "librdkafka property key=value (repeatable), e.g. -X security.protocol=SASL_SSL")
      ->check(kafka_property_check())
      ->allow_extra_args(false);
}

void add_cassandra_options(CLI::App& command, CassandraOptions& options, CassandraUse use) {
  options.reads_only = use == CassandraUse::reads;
  command.add_option("--cassandra", options.hosts, "Cassandra contact points, host[:port][,...]")
      ->capture_default_str();
  command.add_option("--keyspace", options.keyspace, "Cassandra keyspace")->capture_default_str();
  command.add_option("--table", options.table, "Cassandra table")->capture_default_str();
  command.add_option("--cassandra-user", options.username, "Cassandra username (PasswordAuthenticator)");
  command.add_option("--cassandra-password", options.password,
                     "Cassandra password (better: RATINGSTREAM_CASSANDRA_PASSWORD or --config)");
  command.add_flag("--cassandra-tls", options.tls,
                   "TLS to Cassandra, verifying the nodes' certificates (system CAs unless --cassandra-tls-ca)");
  command.add_option("--cassandra-tls-ca", options.tls_ca_file,
                     "PEM file of the CA(s) that signed the nodes' certificates");
  command.add_option("--cassandra-tls-cert", options.tls_cert_file,
                     "PEM client certificate (with --cassandra-tls-key)");
  command.add_option("--cassandra-tls-key", options.tls_key_file, "PEM private key of --cassandra-tls-cert");
  command
      .add_option("--consistency", options.consistency,
                  use == CassandraUse::reads
                      ? "consistency level of reads: LOCAL_QUORUM sees every write acknowledged at LOCAL_QUORUM; "
                        "LOCAL_ONE answers faster and may miss the latest rows"
                      : "consistency level of writes: LOCAL_QUORUM keeps writing with one replica of three "
                        "down; ONE/LOCAL_ONE are faster with weaker guarantees")
      ->capture_default_str();
  command.add_option("--local-dc", options.local_dc,
                     "the datacenter to use (NetworkTopologyStrategy): requests go only to its nodes; default: "
                     "every node is local");
}

namespace {

void require_readable(const std::string& flag, const std::string& file, const char* what) {
  if (file.empty()) return;
  std::ifstream in(file);
  if (!in) throw InputError(fmt::format("{} {}: cannot read the file; give the path of {}", flag, file, what));
}

}  // namespace

store::SessionConfig session_config(const CassandraOptions& options) {
  // Either alone is a mistake that would otherwise show only as a refused (or an anonymous)
  // login: it is named before any connection. An empty value counts as not given.
  if (options.username.empty() != options.password.empty()) {
    throw InputError(fmt::format(
        "{} is set but {} is not: give both --cassandra-user and --cassandra-password, or neither (each from "
        "a flag, RATINGSTREAM_CASSANDRA_USER/RATINGSTREAM_CASSANDRA_PASSWORD or the config file)",
        options.username.empty() ? "--cassandra-password" : "--cassandra-user",
        options.username.empty() ? "--cassandra-user" : "--cassandra-password"));
  }
  store::SessionConfig config;
  config.contact_points = store::parse_contact_points(options.hosts);
  config.username = options.username;
  config.password = options.password;
  require_readable("--cassandra-tls-ca", options.tls_ca_file, "a PEM file of CA certificates");
  require_readable("--cassandra-tls-cert", options.tls_cert_file, "a PEM client certificate");
  require_readable("--cassandra-tls-key", options.tls_key_file, "the PEM private key of the client certificate");
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    throw InputError("--cassandra-tls-cert and --cassandra-tls-key go together: give both or neither");
  }
  config.tls.enabled = options.tls || !options.tls_ca_file.empty() || !options.tls_cert_file.empty();
  config.tls.ca_file = options.tls_ca_file;
  config.tls.cert_file = options.tls_cert_file;
  config.tls.key_file = options.tls_key_file;
  config.consistency = store::parse_consistency("--consistency", options.consistency, options.reads_only);
  config.local_datacenter = options.local_dc;
  config.metadata_keyspace = options.keyspace;
  return config;
}

rating::TimeZone zone_option(const std::string& flag, const std::string& name) {
  try {
    return rating::TimeZone::named(name);
  } catch (const InputError& e) {
    throw InputError(flag + ": " + e.what());
  }
}

std::string not_a_whole_number(const std::string& text, const std::string& min, const std::string& max) {
  return fmt::format("{} is not a whole number from {} to {}", shown_value(text), min, max);
}

CLI::Option* add_duration_option(CLI::App& command, const std::string& name, std::chrono::milliseconds& target,
                                 const std::string& description) {
  auto* option = command.add_option_function<std::string>(
      name,
      [&target, name](const std::string& text) {
        const auto parsed = parse_duration(text);
        if (!parsed) {
          throw CLI::ValidationError(name, shown_value(text) + " is not a duration; write e.g. 500ms, 10s or 2m");
        }
        target = *parsed;
      },
      description);
  option->default_str(format_duration(target));
  return option;
}

void add_all_commands(CLI::App& root, Action& chosen) {
  add_schema_command(root, chosen);
  add_topic_command(root, chosen);
  add_produce_command(root, chosen);
  add_process_command(root, chosen);
  add_query_command(root, chosen);
  add_dashboard_command(root, chosen);
}

}  // namespace ratingstream::app
