#pragma once
// Options shared by the subcommands (docs/contract.md, "Command line") and the way a subcommand
// is registered.

#include <CLI/CLI.hpp>
#include <charconv>
#include <chrono>
#include <functional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/defaults.hpp"
#include "rating/time_zone.hpp"
#include "store/session.hpp"

namespace ratingstream::app {

// What main runs after parsing: the chosen subcommand's action, returning the exit code.
using Action = std::function<int()>;

struct KafkaOptions {
  std::string bootstrap_servers{defaults::kBootstrapServers};
  std::string topic{defaults::kTopic};
  std::vector<std::string> properties;  // -X key=value, passed to librdkafka
};

struct CassandraOptions {
  std::string hosts{defaults::kCassandraHosts};  // comma-separated host[:port]
  std::string keyspace{defaults::kKeyspace};
  std::string table{defaults::kTable};
  std::string username;
  std::string password;  // never printed
  bool tls = false;      // implied by any of the files below
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string consistency = "LOCAL_QUORUM";  // a level of store::consistency_levels()
  std::string local_dc;                      // empty: every node is local
  bool reads_only = false;                   // the command only reads: no write-only levels
};

// What a command does with Cassandra, for the levels --consistency accepts and its help.
enum class CassandraUse { writes, reads };

// -b/--bootstrap-servers, -t/--topic, -X/--kafka-property key=value. -b and -X are checked as
// they are parsed, from the command line, the environment or the config file alike (an empty
// or malformed -b, an -X that is not key=value, unknown to librdkafka or an invalid value); the
// message never shows the text of a malformed -X.
void add_kafka_options(CLI::App& command, KafkaOptions& options);
// --cassandra, --keyspace, --table, --cassandra-user, --cassandra-password, --cassandra-tls,
// --cassandra-tls-ca, --cassandra-tls-cert, --cassandra-tls-key, --consistency, --local-dc
void add_cassandra_options(CLI::App& command, CassandraOptions& options, CassandraUse use);

// The driver's session settings for these options (contact points parsed, credentials, TLS).
// Throws InputError naming the flag for a TLS file that cannot be read, and naming both flags
// when only one of --cassandra-user and --cassandra-password is set (from any source), and naming
// --consistency for a level that is not one.
store::SessionConfig session_config(const CassandraOptions& options);

// A duration flag ("500ms", "10s", "2m"); a bad value is a usage error naming the flag (the
// value shown without its raw bytes).
CLI::Option* add_duration_option(CLI::App& command, const std::string& name, std::chrono::milliseconds& target,
                                 const std::string& description);

// A whole-number flag, read strictly from wherever it comes (the command line, RATINGSTREAM_*,
// the config file: all of them end in the option's callback): decimal digits only, from `min`
// to `max`. Anything else is a usage error naming the flag (configuration.cpp adds the variable
// or file:line), with the value shown without its raw bytes. CLI11's own conversion would read
// "-1" into an unsigned option as 2^64 - 1, a number too big for its type as the largest one,
// and 0x10 and 010 as hexadecimal and octal.
template <typename T>
CLI::Option* add_whole_number_option(CLI::App& command, const std::string& name, T min, T max,
                                     std::function<void(T)> set, const std::string& description);
// The same into `target`, with its value as the default shown in --help.
template <typename T>
CLI::Option* add_whole_number_option(CLI::App& command, const std::string& name, T& target, T min, T max,
                                     const std::string& description);

// The message of a value that is not a whole number from `min` to `max`.
std::string not_a_whole_number(const std::string& text, const std::string& min, const std::string& max);

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
// All of them, in the order --help lists them.
void add_all_commands(CLI::App& root, Action& chosen);

template <typename T>
CLI::Option* add_whole_number_option(CLI::App& command, const std::string& name, T min, T max,
                                     std::function<void(T)> set, const std::string& description) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  return command
      .add_option_function<std::string>(
          name,
          [name, min, max, set](const std::string& text) {
            T value{};
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            // from_chars takes no '+', no spaces and no base prefix; a '-' only where negative
            // numbers are allowed ("-0" is not zero of a count).
            const bool sign_allowed = std::cmp_less(min, 0);
            if (text.empty() || (text.front() == '-' && !sign_allowed) || error != std::errc{} ||
                end != text.data() + text.size() || value < min || value > max) {
              throw CLI::ValidationError(name, not_a_whole_number(text, std::to_string(min), std::to_string(max)));
            }
            set(value);
          },
          description)
      ->type_name("INT");  // configuration.cpp: a TOML integer is taken for it
}

template <typename T>
CLI::Option* add_whole_number_option(CLI::App& command, const std::string& name, T& target, T min, T max,
                                     const std::string& description) {
  return add_whole_number_option<T>(
             command, name, min, max, [&target](T value) { target = value; }, description)
      ->default_str(std::to_string(target));
}

}  // namespace ratingstream::app
