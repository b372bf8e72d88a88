#include "kafka/client_config.hpp"

#include <fmt/format.h>

#include <spdlog/spdlog.h>

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

namespace {

// librdkafka logs to stderr by itself; its lines (every failed connection attempt, at error
// level) would drown the one clear line the user should see. They go to our log at debug level,
// where --log-level debug shows them.
class LogToSpdlog : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_LOG:
        spdlog::debug("librdkafka {}: {}", event.fac(), event.str());
        break;
      case RdKafka::Event::EVENT_ERROR:
        spdlog::debug("librdkafka error {}: {}", RdKafka::err2str(event.err()), event.str());
        break;
      default:
        break;
    }
  }
};

LogToSpdlog log_to_spdlog;

}  // namespace

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
      throw InputError(fmt::format("-X {}: invalid value: {}", key, err));
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
