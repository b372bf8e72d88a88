#include "app/run_command_line.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <librdkafka/rdkafkacpp.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <set>
#include <string_view>

#include "app/command_line.hpp"
#include "app/configuration.hpp"
#include "app/setting_flags.hpp"
#include "common/errors.hpp"
#include "csv/csv_reader.hpp"
#include "store/session.hpp"

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

void collect_option_names(const CLI::App& app, std::set<std::string>& names) {
  for (const CLI::Option* option : app.get_options()) {
    for (const auto& name : option->get_lnames()) names.insert("--" + name);
    for (const auto& name : option->get_snames()) names.insert("-" + name);
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    collect_option_names(*sub, names);
  }
}

bool is_option_shape(std::string_view name) {
  const auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  };
  if (name.size() == 2 && name[0] == '-' && plain(name[1]) && name[1] != '-') return true;
  return name.size() > 2 && name.starts_with("--") && std::all_of(name.begin() + 2, name.end(), plain);
}

// Whether the command line carries a password or -X property: then even an unknown option name
// among the leftovers may be part of one ("--cassandra-password ab --cd" unquoted).
bool has_secret_flag(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg.starts_with("--cassandra-password") || arg.starts_with("-X") || arg.starts_with("--kafka-property")) {
      return true;
    }
  }
  return false;
}

// CLI11 lists the arguments it did not expect as they were typed, and one of them may be a
// secret typed without quotes ("-X sasl.password hunter2"). Option names are shown (a typo is
// the likely mistake), values only counted.
std::string unexpected_arguments(const CLI::App& root, int argc, const char* const* argv) {
  std::set<std::string> known;
  collect_option_names(root, known);
  const bool secret_flag = has_secret_flag(argc, argv);
  std::vector<std::string> shown;
  std::size_t hidden = 0;
  for (const std::string& arg : root.remaining(true)) {
    const std::string name = arg.substr(0, arg.find('='));
    if (is_option_shape(name) && (known.contains(name) || !secret_flag)) {
      shown.push_back(name.size() < arg.size() ? name + "=..." : name);
    } else {
      ++hidden;
    }
  }
  std::string what;
  if (!shown.empty()) what = fmt::format("{} (an option this subcommand does not take?)", fmt::join(shown, ", "));
  if (hidden > 0) {
    what += fmt::format("{}{} value{} (not shown, as {} may be a secret; quote a value that holds spaces)",
                        shown.empty() ? "" : " and ", hidden, hidden == 1 ? "" : "s", hidden == 1 ? "it" : "one");
  }
  return "unexpected on the command line: " + what;
}

// What --version prints: ours, and the versions of the two client libraries, since what a
// cluster accepts (protocol versions, SASL mechanisms, TLS) depends on them.
std::string version_text() {
  return fmt::format("ratingstream {}\nlibrdkafka {}\nCassandra driver: {}", RS_VERSION, RdKafka::version_str(),
                     store::driver_version());
}

}  // namespace

int run_command_line(int argc, const char* const* argv) {
  // Every message, of every layer, names a setting by the flag that gives it.
  spell_settings_as(flag_of);
  CLI::App root{"ratingstream: movie ratings from Kafka, joined with a catalogue, into Cassandra"};
  root.require_subcommand(1);
  root.fallthrough();  // --config and --log-level may follow the subcommand too
  root.set_version_flag("--version", version_text());
  std::string log_level = "info";
  root.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  std::string config_file;
  root.add_option("--config", config_file, "TOML file of settings (flag > RATINGSTREAM_* environment > file > default)")
      ->envname("RATINGSTREAM_CONFIG");

  Action chosen;
  add_all_commands(root, chosen);

  try {
    root.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return root.exit(e);
  } catch (const CLI::ExtrasError&) {
    std::cerr << "ratingstream: " << unexpected_arguments(root, argc, argv) << " (see ratingstream --help)\n";
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    std::cerr << "ratingstream: " << e.what() << " (see ratingstream --help)\n";
    return kExitUsage;
  }

  try {
    apply_environment_and_file(root,
                               config_file.empty() ? std::nullopt : std::optional<std::filesystem::path>(config_file));
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
