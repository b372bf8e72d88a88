#pragma once
// How the command line spells the settings that the lower layers' messages name
// (common/setting.hpp): as its flags. run_command_line installs it before anything runs.

#include <string>

#include "common/setting.hpp"

namespace ratingstream::app {

// "--keyspace", "-b/--bootstrap-servers", "-X" (one librdkafka property), ...: a setting's name
// with dashes, but for the few whose flag differs.
std::string flag_of(Setting setting);

}  // namespace ratingstream::app
