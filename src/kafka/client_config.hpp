#pragma once
// librdkafka client configuration from the common flags: -b/--bootstrap-servers and -X key=value.

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ratingstream::kafka {

// "key=value" as given to -X, split at the first '='. Throws InputError when there is no '=' or
// the part before it is not a property name. The message never quotes the text: a malformed
// entry may be a secret typed wrongly ("sasl.password hunter2").
std::pair<std::string, std::string> split_property(const std::string& key_value);

// Whether `key` has the shape of a librdkafka property name (letters, digits, '.', '_', '-'),
// so that a message may name it.
bool is_property_name(std::string_view key);

// Checks one "key=value" as make_client_config would apply it (shape, known key, valid value),
// throwing the same InputError; sets nothing. Lets a flag be checked where it is parsed.
void check_property(const std::string& key_value);

// A global librdkafka configuration whose log goes to spdlog (debug level), with
// bootstrap.servers set, then every -X property applied in
// order (so -X bootstrap.servers=... wins over -b), then `defaults` for keys the user did not set.
// Throws InputError naming the property for an unknown key or an invalid value.
std::unique_ptr<RdKafka::Conf> make_client_config(
    const std::string& bootstrap_servers, const std::vector<std::string>& properties,
    const std::vector<std::pair<std::string, std::string>>& defaults = {});

// Whether a librdkafka property holds a secret (sasl.password, ssl.key.password, ssl.key.pem,
// sasl.oauthbearer.client.secret, sasl.oauthbearer.config, ...), whose value no message may
// show. Case-insensitive, and generous: a name that merely looks like one counts.
bool is_secret_property(std::string_view key);

// The first authentication (SASL) or TLS failure any Kafka client of this process met, as
// librdkafka described it; nullopt while there is none. librdkafka retries such failures forever.
std::optional<std::string> security_failure();
// Throws InputError (one line naming the servers and the -X properties to check) when a client
// met an authentication or TLS failure. Callers that wait for Kafka call it instead of retrying.
void throw_if_security_failure(const std::string& bootstrap_servers);

// The last failure to reach a broker any Kafka client of this process met ("Connect to
// ipv4#127.0.0.1:1 failed: Connection refused ..."), as librdkafka described it; nullopt while
// there is none. It explains a request that timed out.
std::optional<std::string> connection_failure();

// What is wrong with a bootstrap.servers list (comma-separated host[:port], optionally
// protocol://), or nullopt when it has that shape: empty, an empty entry, a port that is not a
// number from 1 to 65535. Names the entry, not a flag.
std::optional<std::string> bootstrap_servers_problem(std::string_view servers);

// Sets one property, throwing InputError naming it when librdkafka refuses it.
void set_property(RdKafka::Conf& conf, const std::string& key, const std::string& value);

}  // namespace ratingstream::kafka
