#include "kafka/client_config.hpp"

#include <fmt/format.h>

#include <spdlog/spdlog.h>

#include <mutex>
#include <optional>
#include <set>

#include "common/errors.hpp"

namespace ratingstream::kafka {

std::pair<std::string, std::string> split_property(const std::string& key_value) {
  const auto eq = key_value.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError(fmt::format("-X {}: expected key=value, e.g. -X linger.ms=5", key_value));
  }
  return {key_value.substr(0, eq), key_value.substr(eq + 1)};
}

bool is_secret_property(std::string_view key) {
  for (const std::string_view marker : {"password", "secret", "key.pem", "sasl.jaas.config", "token"}) {
    if (key.find(marker) != std::string_view::npos) return true;
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
      case RdKafka::Event::EVENT_LOG:
        spdlog::debug("librdkafka {}: {}", event.fac(), event.str());
        break;
      case RdKafka::Event::EVENT_ERROR:
        spdlog::debug("librdkafka error {}: {}", RdKafka::err2str(event.err()), event.str());
        if (event.err() == RdKafka::ERR__AUTHENTICATION || event.err() == RdKafka::ERR__SSL) {
          const std::lock_guard lock(mutex_);
          if (!security_failure_) security_failure_ = event.str();
        }
        break;
      default:
        break;
    }
  }

  std::optional<std::string> security_failure() {
    const std::lock_guard lock(mutex_);
    return security_failure_;
  }

 private:
  std::mutex mutex_;  // librdkafka raises events on its own threads
  std::optional<std::string> security_failure_;
};

LogToSpdlog log_to_spdlog;

}  // namespace

std::optional<std::string> security_failure() { return log_to_spdlog.security_failure(); }

void throw_if_security_failure(const std::string& bootstrap_servers) {
  if (const auto failure = security_failure()) {
    throw InputError(fmt::format(
        "Kafka at {} refused the connection: {}; check -X security.protocol, sasl.mechanisms, "
        "sasl.username, sasl.password and ssl.ca.location",
        bootstrap_servers, *failure));
  }
}

void set_property(RdKafka::Conf& conf, const std::string& key, const std::string& value) {
  std::string err;
  switch (conf.set(key, value, err)) {
    case RdKafka::Conf::CONF_OK:
      return;
    case RdKafka::Conf::CONF_UNKNOWN:
      throw InputError(fmt::format(
          "-X {}: unknown librdkafka property; see the CONFIGURATION.md of librdkafka for the "
          "valid names",
          key));
    case RdKafka::Conf::CONF_INVALID:
      // librdkafka's reason may quote the value: never for a secret.
      throw InputError(fmt::format("-X {}: invalid value{}", key,
                                   is_secret_property(key) ? " (not shown: it is a secret)" : ": " + err));
  }
}

std::unique_ptr<RdKafka::Conf> make_client_config(
    const std::string& bootstrap_servers, const std::vector<std::string>& properties,
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
