#include "produce/kafka_sender.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/errors.hpp"

namespace ratingstream::produce {

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

}  // namespace ratingstream::produce
