#pragma once
// librdkafka configurations for `produce`: the producer's safe defaults, and a quiet one for the
// start-up topic check.

#include <librdkafka/rdkafkacpp.h>

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

}  // namespace ratingstream::produce
