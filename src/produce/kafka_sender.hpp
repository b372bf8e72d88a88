#pragma once
// The Kafka side of `produce`: a librdkafka producer that queues keyed messages and counts their
// delivery reports, its events in our log, and the outlet the rating loop sends through.

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "produce/delivery_report.hpp"
#include "produce/rating_loop.hpp"

namespace ratingstream::produce {

// Replaces the event callback of `conf`: error events as warnings (fatal ones as errors),
// librdkafka's own log lines at debug. The callback lives for the whole program.
void log_kafka_errors_as_warnings(RdKafka::Conf& conf);

class KafkaSender {
 public:
  // Creates the producer from `conf` (see make_producer_config) for `topic`. Throws
  // RuntimeFailure when librdkafka cannot create it.
  KafkaSender(std::unique_ptr<RdKafka::Conf> conf, const std::string& topic);
  ~KafkaSender();
  KafkaSender(const KafkaSender&) = delete;
  KafkaSender& operator=(const KafkaSender&) = delete;

  // Queues one message; librdkafka copies key and value. While its queue is full, serves delivery
  // reports until there is room. False when it gave up instead: `stop` was set while waiting, or
  // the producer hit a fatal error. A message librdkafka refuses outright counts as failed.
  bool send(std::string_view key, std::string_view value, const std::atomic<bool>& stop);

  // Serves delivery reports for up to `at_most` (returns sooner when one arrives).
  void serve(std::chrono::milliseconds at_most);

  // Waits up to `timeout` until every queued message has its delivery report. True when none is
  // left in flight.
  bool flush(std::chrono::milliseconds timeout);

  const DeliveryCounts& counts() const { return counts_; }
  // The first failure's reason ("" when none): one line for the user.
  const std::string& first_error() const { return first_error_; }
  // librdkafka reported a fatal error (e.g. the idempotent producer lost its guarantees).
  bool fatal() const { return fatal_; }

 private:
  class DeliveryReports;
  void note_failure(const std::string& reason);

  DeliveryCounts counts_;
  std::string first_error_;
  bool fatal_ = false;
  std::unique_ptr<DeliveryReports> reports_;
  std::unique_ptr<RdKafka::Conf> conf_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::unique_ptr<RdKafka::Topic> topic_;
};

class KafkaOutlet final : public RatingOutlet {
 public:
  enum class Output {
    echo,      // "Sent: {json}" on stdout per message (as the original did)
    progress,  // a progress line per second on stderr (load mode)
    none,      // --quiet in schedule mode
  };

  // `sender`, `clock` and `stop` must outlive the outlet.
  KafkaOutlet(KafkaSender& sender, const Clock& clock, const std::atomic<bool>& stop, Output output);

  bool send(const rating::Rating& rating) override;
  void idle(std::chrono::nanoseconds at_most) override;

 private:
  KafkaSender& sender_;
  const std::atomic<bool>& stop_;
  Output output_;
  std::optional<ProgressMeter> progress_;
  std::string line_;  // "Sent: " + JSON, reused; the JSON alone is its tail
};

}  // namespace ratingstream::produce
