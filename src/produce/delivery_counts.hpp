#pragma once
// What became of the messages handed to Kafka.

#include <cstdint>

namespace ratingstream::produce {

struct DeliveryCounts {
  std::uint64_t sent = 0;       // handed to the producer (refused ones included)
  std::uint64_t delivered = 0;  // acknowledged by the broker (acks=all)
  std::uint64_t failed = 0;     // refused by the producer or reported failed

  // Neither delivered nor failed yet.
  std::uint64_t in_flight() const { return sent - delivered - failed; }
  // Failed, or still unconfirmed when the run ended.
  std::uint64_t undelivered() const { return sent - delivered; }
};

}  // namespace ratingstream::produce
