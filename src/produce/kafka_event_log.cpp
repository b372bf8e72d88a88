#include "produce/kafka_event_log.hpp"

#include <spdlog/spdlog.h>

#include <string>

#include "common/errors.hpp"

namespace ratingstream::produce {
namespace {

class WarnOnErrors final : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_ERROR:
        spdlog::log(event.fatal() ? spdlog::level::err : spdlog::level::warn, "Kafka: {}: {}",
                    RdKafka::err2str(event.err()), event.str());
        break;
      case RdKafka::Event::EVENT_LOG: spdlog::debug("librdkafka {}: {}", event.fac(), event.str()); break;
      default: break;
    }
  }
};

}  // namespace

void log_kafka_errors_as_warnings(RdKafka::Conf& conf) {
  // librdkafka keeps a pointer to the callback, so it must outlive every client: a static.
  static WarnOnErrors callback;
  std::string err;
  if (conf.set("event_cb", static_cast<RdKafka::EventCb*>(&callback), err) != RdKafka::Conf::CONF_OK) {
    throw RuntimeFailure("cannot install the Kafka event callback: " + err);
  }
}

}  // namespace ratingstream::produce
