#include "process/dead_letter.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "common/errors.hpp"
#include "kafka/client_config.hpp"
#include "kafka/topic_admin.hpp"

namespace ratingstream::process {

// Collects the broker's answer for each record of the batch being sent; msg_opaque carries the
// record's index. Called from producer poll/flush, on the pipeline thread.
class DeadLetterSink::DeliveryReports : public RdKafka::DeliveryReportCb {
 public:
  void reset(std::size_t count) { results_.assign(count, RdKafka::ERR__IN_PROGRESS); }
  void set(std::size_t index, RdKafka::ErrorCode error) { results_.at(index) = error; }
  RdKafka::ErrorCode result(std::size_t index) const { return results_.at(index); }

  void dr_cb(RdKafka::Message& message) override {
    const auto index = reinterpret_cast<std::uintptr_t>(message.msg_opaque());
    if (index < results_.size()) results_[index] = message.err();
  }

 private:
  std::vector<RdKafka::ErrorCode> results_;
};

namespace {
constexpr std::chrono::seconds kFlushGraceOnStop{5};
}  // namespace

bool delivery_error_is_retryable(RdKafka::ErrorCode error) {
  switch (error) {
    case RdKafka::ERR_MSG_SIZE_TOO_LARGE:
    case RdKafka::ERR_RECORD_LIST_TOO_LARGE:
    case RdKafka::ERR_INVALID_MSG:
    case RdKafka::ERR_INVALID_RECORD:
    case RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED:
    case RdKafka::ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RdKafka::ERR_POLICY_VIOLATION:
    case RdKafka::ERR__UNKNOWN_TOPIC:
    case RdKafka::ERR__INVALID_ARG:
    case RdKafka::ERR__FATAL:
      return false;
    default:
      return true;
  }
}

DeadLetterSink::DeadLetterSink(const std::string& bootstrap_servers, const std::vector<std::string>& properties,
                               std::string topic, std::string source_topic)
    : topic_(std::move(topic)),
      source_topic_(std::move(source_topic)),
      bootstrap_servers_(bootstrap_servers),
      reports_(std::make_unique<DeliveryReports>()) {
  conf_ = kafka::make_client_config(bootstrap_servers, properties,
                                    {
                                        // librdkafka's retries must not duplicate a dead letter.
                                        {"enable.idempotence", "true"},
                                        // Give up on a delivery after 30 s rather than 5 min, so
                                        // the warning below comes while the broker is away.
                                        {"message.timeout.ms", "30000"},
                                        {"linger.ms", "5"},
                                    });
  std::string err;
  if (conf_->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(reports_.get()), err) != RdKafka::Conf::CONF_OK) {
    throw RuntimeFailure("dead-letter producer: " + err);
  }
  producer_.reset(RdKafka::Producer::create(conf_.get(), err));
  if (!producer_) throw RuntimeFailure("cannot create the dead-letter producer: " + err);
}

DeadLetterSink::~DeadLetterSink() = default;

void DeadLetterSink::ensure_topic(int partitions, std::chrono::milliseconds timeout) {
  if (const auto existing = kafka::partition_count(*conf_, topic_, timeout)) {
    spdlog::info("dead-letter topic {} exists ({} partitions)", topic_, *existing);
    return;
  }
  // -1: the broker's default replication factor, right for one node and for a cluster.
  if (kafka::create_topic(*conf_, topic_, partitions, -1, timeout) == kafka::TopicCreation::created) {
    spdlog::info("created dead-letter topic {} ({} partitions)", topic_, partitions);
  }
}

bool DeadLetterSink::send(std::span<const RejectedRecord> records, const StopFlag& stop, const KeepAlive& keep_alive) {
  if (records.empty()) return true;
  reports_->reset(records.size());
  std::vector<std::size_t> pending(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) pending[i] = i;
  Backoff backoff;
  WarningThrottle throttle;
  bool failing = false;

  for (;;) {
    for (const std::size_t i : pending) {
      const RejectedRecord& r = records[i];
      RdKafka::Headers* headers = RdKafka::Headers::create();
      headers->add(kHeaderReason, std::string(rating::to_string(r.reason)));
      headers->add(kHeaderDetail, r.detail);
      headers->add(kHeaderSourceTopic, source_topic_);
      headers->add(kHeaderSourcePartition, std::to_string(r.record.partition));
      headers->add(kHeaderSourceOffset, std::to_string(r.record.offset));
      const auto& key = r.record.key;
      const auto& value = r.record.value;
      for (;;) {
        const RdKafka::ErrorCode err = producer_->produce(
            topic_, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
            value ? const_cast<char*>(value->data()) : nullptr, value ? value->size() : 0,
            key ? key->data() : nullptr, key ? key->size() : 0,
            r.record.timestamp_ms >= 0 ? r.record.timestamp_ms : 0, headers,
            reinterpret_cast<void*>(static_cast<std::uintptr_t>(i)));
        if (err == RdKafka::ERR_NO_ERROR) break;  // librdkafka owns the headers now
        if (err == RdKafka::ERR__QUEUE_FULL) {    // wait for room, then try again
          producer_->poll(100);
          continue;
        }
        delete headers;
        reports_->set(i, err);
        break;
      }
    }
    // Wait for every answer, flushing in short steps so the consumer is served. A signal lets
    // the deliveries under way finish for a few seconds (the batch may still complete), then
    // gives up on them.
    std::optional<std::chrono::steady_clock::time_point> give_up_at;
    while (producer_->outq_len() > 0) {
      producer_->flush(100);
      if (keep_alive) keep_alive();
      if (stop.load(std::memory_order_relaxed)) {
        const auto now = std::chrono::steady_clock::now();
        if (!give_up_at) give_up_at = now + kFlushGraceOnStop;
        if (now >= *give_up_at) return false;
      }
    }

    std::vector<std::size_t> failed;
    RdKafka::ErrorCode first_error = RdKafka::ERR_NO_ERROR;
    for (const std::size_t i : pending) {
      const RdKafka::ErrorCode err = reports_->result(i);
      if (err == RdKafka::ERR_NO_ERROR) continue;
      if (!delivery_error_is_retryable(err)) {
        throw RuntimeFailure(fmt::format(
            "Kafka at {}: cannot produce the rejected record {}/{}/{} to dead-letter topic {}: {}; stopping, as "
            "dropping it would lose it",
            bootstrap_servers_, source_topic_, records[i].record.partition, records[i].record.offset, topic_,
            RdKafka::err2str(err)));
      }
      if (failed.empty()) first_error = err;
      failed.push_back(i);
      reports_->set(i, RdKafka::ERR__IN_PROGRESS);
    }
    if (failed.empty()) {
      if (failing) spdlog::info("Kafka at {} takes dead letters again", bootstrap_servers_);
      return true;
    }
    failing = true;
    if (throttle.due(std::chrono::steady_clock::now())) {
      spdlog::warn("Kafka at {}: {} of {} rejected records not delivered to dead-letter topic {} ({}); retrying",
                   bootstrap_servers_, failed.size(), records.size(), topic_, RdKafka::err2str(first_error));
    }
    pending.swap(failed);
    if (!wait_unless_stopped(backoff.next(), stop, keep_alive)) return false;
  }
}

}  // namespace ratingstream::process
