#include "app/setting_flags.hpp"

#include <algorithm>

namespace ratingstream::app {

std::string flag_of(Setting setting) {
  switch (setting) {
    // The settings with a short flag too, or a flag that is not their name.
    case Setting::bootstrap_servers: return "-b/--bootstrap-servers";
    case Setting::topic: return "-t/--topic";
    case Setting::kafka_property: return "-X";
    default: break;
  }
  // Every other flag is its setting's name with dashes: cassandra_tls_ca is --cassandra-tls-ca.
  std::string flag = "--" + std::string(setting_name(setting));
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

}  // namespace ratingstream::app
