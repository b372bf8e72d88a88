#include "produce/kafka_sender.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>

#include "common/errors.hpp"
#include "rating/json_encode.hpp"

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

// librdkafka calls this from poll()/flush(), i.e. on the thread that sends: no locking needed.
class KafkaSender::DeliveryReports final : public RdKafka::DeliveryReportCb {
 public:
  explicit DeliveryReports(KafkaSender& sender) : sender_(sender) {}

  void dr_cb(RdKafka::Message& message) override {
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      ++sender_.counts_.delivered;
      return;
    }
    ++sender_.counts_.failed;
    sender_.note_failure(message.errstr());
  }

 private:
  KafkaSender& sender_;
};

KafkaSender::KafkaSender(std::unique_ptr<RdKafka::Conf> conf, const std::string& topic)
    : reports_(std::make_unique<DeliveryReports>(*this)), conf_(std::move(conf)) {
  std::string err;
  if (conf_->set("dr_cb", reports_.get(), err) != RdKafka::Conf::CONF_OK) {
    throw RuntimeFailure("cannot install the Kafka delivery report callback: " + err);
  }
  producer_.reset(RdKafka::Producer::create(conf_.get(), err));
  if (!producer_) throw RuntimeFailure("cannot create the Kafka producer: " + err);
  topic_.reset(RdKafka::Topic::create(producer_.get(), topic, nullptr, err));
  if (!topic_) throw InputError(fmt::format("topic {}: {}", topic, err));
}

KafkaSender::~KafkaSender() {
  // Destroying the producer with messages still queued would block on them; the owner flushed
  // (with its timeout) already, so drop whatever is left.
  if (producer_) producer_->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
  topic_.reset();
  producer_.reset();
}

void KafkaSender::note_failure(const std::string& reason) {
  if (first_error_.empty()) {
    first_error_ = reason;
    spdlog::warn("a message was not delivered: {}", reason);
  }
}

bool KafkaSender::send(std::string_view key, std::string_view value, const std::atomic<bool>& stop) {
  if (fatal_) return false;
  ++counts_.sent;
  while (true) {
    // RK_MSG_COPY: librdkafka copies the value, so the caller may reuse its buffer at once.
    const RdKafka::ErrorCode code =
        producer_->produce(topic_.get(), RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                           const_cast<char*>(value.data()), value.size(), key.data(), key.size(), nullptr);
    if (code == RdKafka::ERR_NO_ERROR) {
      producer_->poll(0);  // serve delivery reports as they come
      return true;
    }
    if (code == RdKafka::ERR__QUEUE_FULL) {
      // Back-pressure: the broker takes less than we make. Wait for deliveries to make room.
      if (stop.load(std::memory_order_relaxed)) {
        --counts_.sent;  // never handed over
        return false;
      }
      producer_->poll(100);
      continue;
    }
    ++counts_.failed;
    if (code == RdKafka::ERR__FATAL) {
      std::string reason;
      producer_->fatal_error(reason);
      fatal_ = true;
      note_failure("fatal producer error: " + reason);
      return false;
    }
    note_failure(RdKafka::err2str(code));
    return true;
  }
}

void KafkaSender::serve(std::chrono::milliseconds at_most) { producer_->poll(static_cast<int>(at_most.count())); }

bool KafkaSender::flush(std::chrono::milliseconds timeout) {
  producer_->flush(static_cast<int>(timeout.count()));
  producer_->poll(0);
  return counts_.in_flight() == 0;
}

namespace {

constexpr std::string_view kEchoPrefix = "Sent: ";

}  // namespace

KafkaOutlet::KafkaOutlet(KafkaSender& sender, const Clock& clock, const std::atomic<bool>& stop, Output output)
    : sender_(sender), stop_(stop), output_(output) {
  if (output_ == Output::progress) progress_.emplace(clock);
  line_.reserve(512);
}

bool KafkaOutlet::send(const rating::Rating& rating) {
  // Encode once into a buffer that already starts with the echo prefix: the message value is its
  // tail, the echoed line the whole of it.
  line_.assign(kEchoPrefix);
  rating::append_json(line_, rating);
  const std::string_view json = std::string_view(line_).substr(kEchoPrefix.size());
  if (!sender_.send(rating.name, json, stop_)) return false;
  if (output_ == Output::echo) {
    line_.push_back('\n');
    std::fwrite(line_.data(), 1, line_.size(), stdout);
  } else if (progress_) {
    progress_->update_now_and_then(sender_.counts());
  }
  return true;
}

void KafkaOutlet::idle(std::chrono::nanoseconds at_most) {
  // Show the round just sent before waiting for the next one, also when stdout is a pipe.
  if (output_ == Output::echo) std::fflush(stdout);
  sender_.serve(std::chrono::ceil<std::chrono::milliseconds>(at_most));
  if (progress_) progress_->update(sender_.counts());
}

}  // namespace ratingstream::produce
