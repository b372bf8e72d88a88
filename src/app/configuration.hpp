#pragma once
// Settings from beside the command line: a TOML file (--config, or RATINGSTREAM_CONFIG) and
// RATINGSTREAM_* environment variables. Precedence: flag > environment > file > default.
//
// Every long option of a subcommand has an environment name: RATINGSTREAM_ followed by the
// option's long name in upper case with '-' as '_' (--bootstrap-servers ->
// RATINGSTREAM_BOOTSTRAP_SERVERS, --cassandra-password -> RATINGSTREAM_CASSANDRA_PASSWORD).
// In the file, keys are the long names; top-level keys apply to whichever subcommand runs (when
// it has that option), keys under [process], [produce], [query], [query.movies], ... only there.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>

namespace ratingstream::app {

// "RATINGSTREAM_" + long name in upper case, '-' -> '_'; empty for options without a long name.
std::string environment_name(const CLI::Option& option);

// After parsing: fills every option of the chosen subcommand path that the command line left
// unset, first from the environment, then from `config_file` (if any). Throws InputError naming
// the variable or the file and key for an unknown key or a bad value, and naming the file when
// it cannot be read.
void apply_environment_and_file(CLI::App& root, const std::optional<std::filesystem::path>& config_file);

}  // namespace ratingstream::app
