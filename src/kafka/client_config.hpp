#pragma once
// librdkafka client configuration from the common flags: -b/--bootstrap-servers and -X key=value.

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ratingstream::kafka {

// "key=value" as given to -X, split at the first '='. Throws InputError when there is no '='.
std::pair<std::string, std::string> split_property(const std::string& key_value);

// A global librdkafka configuration whose log goes to spdlog (debug level), with
// bootstrap.servers set, then every -X property applied in
// order (so -X bootstrap.servers=... wins over -b), then `defaults` for keys the user did not set.
// Throws InputError naming the property for an unknown key or an invalid value.
std::unique_ptr<RdKafka::Conf> make_client_config(
    const std::string& bootstrap_servers, const std::vector<std::string>& properties,
    const std::vector<std::pair<std::string, std::string>>& defaults = {});

// Sets one property, throwing InputError naming it when librdkafka refuses it.
void set_property(RdKafka::Conf& conf, const std::string& key, const std::string& value);

}  // namespace ratingstream::kafka
