#include "kafka/client_config.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <mutex>
#include <optional>
#include <set>

#include "common/errors.hpp"
#include "common/setting.hpp"
#include "common/text.hpp"
#include "kafka/broker_states.hpp"

namespace ratingstream::kafka {

bool is_property_name(std::string_view key) {
  if (key.empty()) return false;
  for (const char c : key) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::pair<std::string, std::string> split_property(const std::string& key_value) {
  const auto eq = key_value.find('=');
  if (eq == std::string::npos || !is_property_name(std::string_view(key_value).substr(0, eq))) {
    // Neither the text nor a part of it: "sasl.password hunter2" has no '=' and its first word
    // is the key, but another shape would put the secret first.
    throw InputError(
        fmt::format("expected key=value with a librdkafka property name as key, e.g. {} linger.ms=5 (the text given "
                    "is not shown, as it may hold a secret; quote a value that holds spaces)",
                    Setting::kafka_property));
  }
  return {key_value.substr(0, eq), key_value.substr(eq + 1)};
}

bool is_secret_property(std::string_view key) {
  std::string lower(key);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string_view marker :
       {"password", "secret", "key.pem", "ssl_key", "jaas", "token", "oauthbearer.config", "credential", "private"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

namespace {

// librdkafka logs to stderr by itself; its lines (every failed connection attempt, at error
// level) would drown the one clear line the user should see. They go to our log at debug level,
// where --log-level debug shows them.
//
// Authentication and TLS failures are also remembered: librdkafka retries them forever, but
// wrong credentials or an untrusted certificate never heal by themselves.
class LogToSpdlog : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_LOG: spdlog::debug("librdkafka {}: {}", event.fac(), event.str()); break;
      case RdKafka::Event::EVENT_ERROR:
        spdlog::debug("librdkafka error {}: {}", RdKafka::err2str(event.err()), event.str());
        if (event.err() == RdKafka::ERR__AUTHENTICATION || event.err() == RdKafka::ERR__SSL) {
          const std::lock_guard lock(mutex_);
          if (!security_failure_) security_failure_ = event.str();
        } else if (event.err() == RdKafka::ERR__TRANSPORT || event.err() == RdKafka::ERR__RESOLVE) {
          const std::lock_guard lock(mutex_);
          connection_failure_ = event.str();
        } else if (event.err() == RdKafka::ERR__ALL_BROKERS_DOWN) {
          // "1/1 brokers are down" says less than the transport error before it.
          const std::lock_guard lock(mutex_);
          if (!connection_failure_) connection_failure_ = event.str();
        }
        break;
      case RdKafka::Event::EVENT_STATS: remember_statistics(event.str()); break;
      default: break;
    }
  }

  std::optional<std::string> security_failure() {
    const std::lock_guard lock(mutex_);
    return security_failure_;
  }

  std::optional<std::string> connection_failure() {
    const std::lock_guard lock(mutex_);
    return connection_failure_;
  }

 private:
  std::mutex mutex_;  // librdkafka raises events on its own threads
  std::optional<std::string> security_failure_;
  std::optional<std::string> connection_failure_;
};

LogToSpdlog log_to_spdlog;

}  // namespace

std::optional<std::string> security_failure() { return log_to_spdlog.security_failure(); }

std::optional<std::string> connection_failure() { return log_to_spdlog.connection_failure(); }

void throw_if_security_failure(const std::string& bootstrap_servers) {
  if (const auto failure = security_failure()) {
    throw InputError(
        fmt::format("Kafka at {} refused the connection: {}; check {} security.protocol, sasl.mechanisms, "
                    "sasl.username, sasl.password and ssl.ca.location",
                    bootstrap_servers, *failure, Setting::kafka_property));
  }
}

void set_property(RdKafka::Conf& conf, const std::string& key, const std::string& value) {
  if (!is_property_name(key)) {
    throw InputError("expected key=value with a librdkafka property name as key (the text given is not shown)");
  }
  std::string err;
  switch (conf.set(key, value, err)) {
    case RdKafka::Conf::CONF_OK: return;
    case RdKafka::Conf::CONF_UNKNOWN:
      throw InputError(
          fmt::format("{} {}: unknown librdkafka property; see the CONFIGURATION.md of librdkafka for the "
                      "valid names",
                      Setting::kafka_property, key));
    case RdKafka::Conf::CONF_INVALID:
      // librdkafka's reason may quote the value: never for a secret.
      throw InputError(fmt::format("{} {}: invalid value{}", Setting::kafka_property, key,
                                   is_secret_property(key) ? " (not shown: it is a secret)" : ": " + err));
  }
}

namespace {

// The port of "host:port", "[v6]:port" or a bare "host"/"v6" (empty: none given).
std::string_view port_of(std::string_view entry) {
  if (entry.front() == '[') {
    const auto close = entry.find("]:");
    return close == std::string_view::npos ? std::string_view{} : entry.substr(close + 2);
  }
  const auto colon = entry.find(':');
  if (colon == std::string_view::npos || entry.find(':', colon + 1) != std::string_view::npos) return {};
  return entry.substr(colon + 1);
}

}  // namespace

std::optional<std::string> bootstrap_servers_problem(std::string_view servers) {
  if (trim(servers).empty()) return "is empty";
  std::size_t start = 0;
  while (start <= servers.size()) {
    const auto comma = std::min(servers.find(',', start), servers.size());
    std::string_view entry = trim(servers.substr(start, comma - start));
    start = comma + 1;
    if (entry.empty()) return "has an empty entry (two commas, or one at an end)";
    if (const auto scheme = entry.find("://"); scheme != std::string_view::npos) entry = entry.substr(scheme + 3);
    if (entry.empty()) return "has an entry without a host";
    const std::string_view port = port_of(entry);
    if (entry.back() == ':') return fmt::format("has an entry without a port after ':' ({})", entry);
    if (port.empty()) continue;
    int value = 0;
    for (const char c : port) {
      if (c < '0' || c > '9' || value > 65535) return fmt::format("has a port that is not a number ({})", entry);
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) return fmt::format("has a port outside 1-65535 ({})", entry);
  }
  return std::nullopt;
}

void check_property(const std::string& key_value) {
  const auto [key, value] = split_property(key_value);
  const std::unique_ptr<RdKafka::Conf> scratch(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set_property(*scratch, key, value);
}

std::unique_ptr<RdKafka::Conf> make_client_config(const std::string& bootstrap_servers,
                                                  const std::vector<std::string>& properties,
                                                  const std::vector<std::pair<std::string, std::string>>& defaults) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  conf->set("event_cb", static_cast<RdKafka::EventCb*>(&log_to_spdlog), err);
  set_property(*conf, "bootstrap.servers", bootstrap_servers);
  std::set<std::string> user_keys;
  for (const auto& kv : properties) {
    auto [key, value] = split_property(kv);
    set_property(*conf, key, value);
    user_keys.insert(key);
  }
  for (const auto& [key, value] : defaults) {
    if (!user_keys.contains(key)) set_property(*conf, key, value);
  }
  return conf;
}

}  // namespace ratingstream::kafka
