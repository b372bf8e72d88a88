#include "app/configuration.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <vector>

#include "common/errors.hpp"

namespace ratingstream::app {
namespace {

// The subcommands that ran, outermost first (e.g. query, movies).
std::vector<CLI::App*> chosen_path(CLI::App& root) {
  std::vector<CLI::App*> path;
  CLI::App* app = &root;
  while (true) {
    const auto chosen = app->get_subcommands();
    if (chosen.empty()) break;
    app = chosen.front();
    path.push_back(app);
  }
  return path;
}

std::string long_name(const CLI::Option& option) {
  const auto& names = option.get_lnames();
  return names.empty() ? std::string() : names.front();
}

std::string section_of(const CLI::App* app) {
  std::string section;
  for (const CLI::App* a = app; a != nullptr && a->get_parent() != nullptr; a = a->get_parent()) {
    section = section.empty() ? a->get_name() : a->get_name() + "." + section;
  }
  return section;
}

// Every long option name any subcommand has, so that a top-level key meant for another
// subcommand (a shared file) is not mistaken for a typo.
void collect_long_names(const CLI::App& app, std::set<std::string>& names) {
  for (const CLI::Option* option : app.get_options()) {
    if (!long_name(*option).empty()) names.insert(long_name(*option));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    collect_long_names(*sub, names);
  }
}

const CLI::App* find_section(const CLI::App& root, const std::vector<std::string>& parents) {
  const CLI::App* app = &root;
  for (const auto& name : parents) {
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->get_name() == name) next = sub;
    }
    if (next == nullptr) return nullptr;
    app = next;
  }
  return app;
}

struct FileValue {
  std::vector<std::string> inputs;
  std::string key;  // as written, for messages
};

// Reads the TOML file into (section, long name) -> value, checking every key names an option.
std::map<std::pair<std::string, std::string>, FileValue> read_config_file(CLI::App& root,
                                                                          const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(fmt::format("--config {}: cannot read the file", file.string()));
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_config(in);
  } catch (const CLI::ParseError& e) {
    throw InputError(fmt::format("--config {}: not valid TOML: {}", file.string(), e.what()));
  }
  std::set<std::string> all_names;
  collect_long_names(root, all_names);

  std::map<std::pair<std::string, std::string>, FileValue> values;
  for (const auto& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // section markers
    const CLI::App* section = find_section(root, item.parents);
    const bool known = section == nullptr ? false
                       : item.parents.empty() ? all_names.contains(item.name)
                                              : section->get_option_no_throw("--" + item.name) != nullptr;
    if (!known) {
      throw InputError(fmt::format("--config {}: unknown key '{}'; keys are the long option names, e.g. "
                                   "trigger = \"5s\" under [process]",
                                   file.string(), item.fullname()));
    }
    values[{CLI::detail::join(item.parents, "."), item.name}] = {item.inputs, item.fullname()};
  }
  return values;
}

void set_option(CLI::Option& option, const std::vector<std::string>& inputs, const std::string& origin) {
  try {
    for (const auto& input : inputs) option.add_result(input);
    option.run_callback();
  } catch (const CLI::Error& e) {
    throw InputError(fmt::format("{}: {}", origin, e.what()));
  }
}

}  // namespace

std::string environment_name(const CLI::Option& option) {
  std::string name = long_name(option);
  if (name.empty()) return name;
  for (char& c : name) c = (c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "RATINGSTREAM_" + name;
}

void apply_environment_and_file(CLI::App& root, const std::optional<std::filesystem::path>& config_file) {
  std::map<std::pair<std::string, std::string>, FileValue> file_values;
  if (config_file) file_values = read_config_file(root, *config_file);

  for (CLI::App* app : chosen_path(root)) {
    const std::string section = section_of(app);
    for (CLI::Option* option : app->get_options()) {
      const std::string name = long_name(*option);
      if (name.empty() || name == "help" || option->count() > 0) continue;  // the flag wins
      const std::string variable = environment_name(*option);
      if (const char* value = std::getenv(variable.c_str()); value != nullptr) {
        set_option(*option, {value}, variable);
        continue;
      }
      // A value in the subcommand's own section beats a top-level one.
      for (const auto& key : {std::pair{section, name}, std::pair{std::string(), name}}) {
        if (const auto it = file_values.find(key); it != file_values.end()) {
          set_option(*option, it->second.inputs, fmt::format("--config {} key '{}'", config_file->string(), it->second.key));
          break;
        }
      }
    }
  }
}

}  // namespace ratingstream::app
