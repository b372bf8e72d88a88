#pragma once
// Options shared by the subcommands (SPEC: Command line) and the way a subcommand is registered.

#include <CLI/CLI.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "rating/time_zone.hpp"
#include "store/session.hpp"

namespace ratingstream::app {

// What main runs after parsing: the chosen subcommand's action, returning the exit code.
using Action = std::function<int()>;

struct KafkaOptions {
  std::string bootstrap_servers = "localhost:29092";
  std::string topic = "movies_ratings";
  std::vector<std::string> properties;  // -X key=value, passed to librdkafka
};

struct CassandraOptions {
  std::string hosts = "127.0.0.1:9042";  // comma-separated host[:port]
  std::string keyspace = "netflix";
  std::string table = "movie_ratings";
  std::string username;
  std::string password;  // never printed
  bool tls = false;      // implied by any of the files below
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
};

// -b/--bootstrap-servers, -t/--topic, -X/--kafka-property key=value. -b and -X are checked as
// they are parsed, from the command line, the environment or the config file alike (an empty
// or malformed -b, an -X that is not key=value, unknown to librdkafka or an invalid value); the
// message never shows the text of a malformed -X.
void add_kafka_options(CLI::App& command, KafkaOptions& options);
// --cassandra, --keyspace, --table, --cassandra-user, --cassandra-password, --cassandra-tls,
// --cassandra-tls-ca, --cassandra-tls-cert, --cassandra-tls-key
void add_cassandra_options(CLI::App& command, CassandraOptions& options);

// The driver's session settings for these options (contact points parsed, credentials, TLS).
// Throws InputError naming the flag for a TLS file that cannot be read, and naming both flags
// when only one of --cassandra-user and --cassandra-password is set (from any source).
store::SessionConfig session_config(const CassandraOptions& options);

// A duration flag ("500ms", "10s", "2m"); a bad value is a usage error naming the flag.
CLI::Option* add_duration_option(CLI::App& command, const std::string& name,
                                 std::chrono::milliseconds& target, const std::string& description);

// The zone a zone flag names ("Europe/Athens"; "UTC"): a bad name is an InputError that starts
// with the flag, e.g. "--timezone: unknown time zone \"Bogus\": ...".
rating::TimeZone zone_option(const std::string& flag, const std::string& name);

// Each subcommand registers itself on the root and, when chosen, stores its action in `chosen`.
void add_schema_command(CLI::App& root, Action& chosen);
void add_topic_command(CLI::App& root, Action& chosen);
void add_produce_command(CLI::App& root, Action& chosen);
void add_process_command(CLI::App& root, Action& chosen);
void add_query_command(CLI::App& root, Action& chosen);
void add_dashboard_command(CLI::App& root, Action& chosen);

}  // namespace ratingstream::app
