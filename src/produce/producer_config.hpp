#pragma once
// librdkafka configurations for `produce` (the producer's safe defaults, and a quiet one for the
// start-up topic check) and that check: the broker answers and the topic exists, created if
// missing.

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace ratingstream::produce {

// The compression codecs --compression accepts (librdkafka's names).
const std::vector<std::string>& compression_codecs();

// The producer configuration: bootstrap servers and -X properties (make_client_config), and, for
// whatever -X does not set (under any of its aliases): enable.idempotence=true, acks=all,
// compression.codec=`compression`, and the murmur2 partitioner of the Java client and aiokafka,
// so a person's ratings land in the same partition as the original producer put them.
// Throws InputError naming an unknown or invalid -X property.
std::unique_ptr<RdKafka::Conf> make_producer_config(const std::string& bootstrap_servers,
                                                    const std::vector<std::string>& properties,
                                                    const std::string& compression);

// The configuration of the short-lived clients that check and create the topic: the same servers
// and -X properties, no automatic topic creation (the broker would make a 1-partition topic).
std::unique_ptr<RdKafka::Conf> make_admin_config(const std::string& bootstrap_servers,
                                                 const std::vector<std::string>& properties);

// Makes sure `topic` exists, creating it with `partitions` partitions and the broker's default
// replication factor when it does not, and logs which of the two happened. Throws RuntimeFailure
// naming the bootstrap servers when the broker does not answer within `timeout`, so a broker that
// is down gives a clear error instead of a producer that waits forever.
void ensure_topic(const RdKafka::Conf& admin_conf, const std::string& topic, int partitions,
                  std::chrono::milliseconds timeout);

}  // namespace ratingstream::produce
