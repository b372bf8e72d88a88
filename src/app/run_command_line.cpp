#include "app/run_command_line.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/command_line.hpp"
#include "app/configuration.hpp"
#include "common/errors.hpp"
#include "csv/csv_reader.hpp"

namespace ratingstream::app {
namespace {

// Diagnostics go to stderr so stdout carries only data (messages sent, query results). The
// logger is made once per process: the function may run more than once (tests).
void use_stderr_logger(const std::string& level) {
  auto logger = spdlog::get("ratingstream");
  if (!logger) {
    logger = spdlog::stderr_color_mt("ratingstream");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  }
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace

int run_command_line(int argc, const char* const* argv) {
  CLI::App root{"ratingstream: movie ratings from Kafka, joined with a catalogue, into Cassandra"};
  root.require_subcommand(1);
  root.fallthrough();  // --config and --log-level may follow the subcommand too
  root.set_version_flag("--version", "ratingstream 0.1.0");
  std::string log_level = "info";
  root.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  std::string config_file;
  root.add_option("--config", config_file,
                  "TOML file of settings (flag > RATINGSTREAM_* environment > file > default)")
      ->envname("RATINGSTREAM_CONFIG");

  Action chosen;
  add_schema_command(root, chosen);
  add_topic_command(root, chosen);
  add_produce_command(root, chosen);
  add_process_command(root, chosen);
  add_query_command(root, chosen);
  add_dashboard_command(root, chosen);

  try {
    root.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return root.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "ratingstream: " << e.what() << " (see ratingstream --help)\n";
    return kExitUsage;
  }

  try {
    apply_environment_and_file(root, config_file.empty() ? std::nullopt
                                                          : std::optional<std::filesystem::path>(config_file));
  } catch (const InputError& e) {
    std::cerr << "ratingstream: " << e.what() << "\n";
    return kExitUsage;
  }

  use_stderr_logger(log_level);

  try {
    return chosen ? chosen() : kExitUsage;
  } catch (const InputError& e) {
    std::cerr << "ratingstream: " << e.what() << "\n";
    return kExitUsage;
  } catch (const csv::FileError& e) {
    std::cerr << "ratingstream: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "ratingstream: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace ratingstream::app
