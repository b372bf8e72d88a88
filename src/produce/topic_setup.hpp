#pragma once
// The start-up check of `produce`: the broker answers and the topic exists (created if missing).

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <string>

namespace ratingstream::produce {

// Makes sure `topic` exists, creating it with `partitions` partitions and the broker's default
// replication factor when it does not, and logs which of the two happened. Throws RuntimeFailure
// naming the bootstrap servers when the broker does not answer within `timeout`, so a broker that
// is down gives a clear error instead of a producer that waits forever.
void ensure_topic(const RdKafka::Conf& admin_conf, const std::string& topic, int partitions,
                  std::chrono::milliseconds timeout);

}  // namespace ratingstream::produce
