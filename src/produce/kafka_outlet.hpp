#pragma once
// The loop's outlet in the binary: each rating encoded as the message's JSON (docs/contract.md,
// "Message format") and sent to Kafka keyed by the person's name; echoed as "Sent: {json}" in
// schedule mode, a progress line per second in load mode.

#include <atomic>
#include <optional>
#include <string>

#include "produce/kafka_sender.hpp"
#include "produce/progress_meter.hpp"
#include "produce/rating_loop.hpp"

namespace ratingstream::produce {

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
