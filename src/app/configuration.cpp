#include "app/configuration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <vector>

#include "app/config_file.hpp"
#include "common/errors.hpp"

namespace ratingstream::app {
namespace {

// The subcommands that ran, outermost first, after the root itself (root, query, movies).
std::vector<CLI::App*> chosen_path(CLI::App& root) {
  std::vector<CLI::App*> path{&root};
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

// Options that never come from the environment or the file: the file itself, help, version.
bool is_settable(const CLI::Option& option) {
  const std::string name = long_name(option);
  return !name.empty() && name != "help" && name != "help-all" && name != "version" && name != "config";
}

std::string section_of(const CLI::App* app) {
  std::string section;
  for (const CLI::App* a = app; a != nullptr && a->get_parent() != nullptr; a = a->get_parent()) {
    section = section.empty() ? a->get_name() : a->get_name() + "." + section;
  }
  return section;
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  std::vector<const CLI::App*> subs;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) subs.push_back(sub);
  return subs;
}

// The long option names of `app` and every subcommand below it: a key in a section may be meant
// for a subcommand of that section ([query] for every question), and a top-level key for any
// subcommand (one file shared by all of them), so neither is mistaken for a typo.
void collect_long_names(const CLI::App& app, std::set<std::string>& names) {
  for (const CLI::Option* option : app.get_options()) {
    if (is_settable(*option)) names.insert(long_name(*option));
  }
  for (const CLI::App* sub : subcommands_of(app)) collect_long_names(*sub, names);
}

const CLI::App* subcommand_named(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : subcommands_of(app)) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

bool is_plain_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string joined(const std::string& section, const std::string& key) {
  return section.empty() ? key : section + "." + key;
}

// A value of the file, kept with where it was written.
struct FileValue {
  const toml::node* node = nullptr;
  std::string key;  // with its section ("process.trigger"), for messages
  std::size_t line = 0;
};

class ConfigFile {
 public:
  ConfigFile(const CLI::App& root, const std::filesystem::path& file)
      : name_(file.string()), text_(read_config_text(file)), table_(parse_config_toml(text_, file)) {
    collect(root, table_, "");
  }

  const FileValue* find(const std::string& section, const std::string& name) const {
    const auto it = values_.find({section, name});
    return it == values_.end() ? nullptr : &it->second;
  }

  const std::string& name() const { return name_; }

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw InputError(fmt::format("{}:{}: {}", name_, line, what));
  }

 private:
  // Whether the line holding `line` starts a [table] header rather than a dotted key.
  bool is_header_line(std::size_t line) const {
    std::size_t start = 0;
    for (std::size_t n = 1; n < line && start != std::string::npos; ++n) {
      start = text_.find('\n', start);
      if (start != std::string::npos) ++start;
    }
    if (start == std::string::npos) return false;
    const auto first = text_.find_first_not_of(" \t", start);
    return first != std::string::npos && text_[first] == '[';
  }

  // The first plain leaf key below `table`, for a message about a dotted key ("sasl.password").
  static std::string first_leaf(const toml::table& table, const std::string& prefix) {
    for (auto&& [key, node] : table) {
      const std::string name(key.str());
      if (!is_plain_name(name)) return prefix;
      if (const auto* inner = node.as_table(); inner != nullptr && !inner->is_inline()) {
        return first_leaf(*inner, prefix + "." + name);
      }
      return prefix + "." + name;
    }
    return prefix;
  }

  [[noreturn]] void unknown_key(const std::string& section, const std::string& key, std::size_t line,
                                const std::set<std::string>& known) const {
    if (!is_plain_name(key)) {
      fail(line,
           "a key that is not an option name (not shown, as it may hold a secret); keys are the long "
           "option names, e.g. trigger = \"5s\" under [process]");
    }
    std::string hint = "keys are the long option names, e.g. trigger = \"5s\" under [process]";
    std::string dashed = key;
    std::replace(dashed.begin(), dashed.end(), '_', '-');
    std::transform(dashed.begin(), dashed.end(), dashed.begin(), [](unsigned char c) { return std::tolower(c); });
    if (dashed != key && known.contains(dashed)) hint = fmt::format("did you mean '{}'?", joined(section, dashed));
    fail(line, fmt::format("unknown key '{}'; {}", joined(section, key), hint));
  }

  void collect(const CLI::App& app, const toml::table& table, const std::string& section) {
    std::set<std::string> known;
    collect_long_names(app, known);
    for (auto&& [toml_key, node] : table) {
      const std::string key(toml_key.str());
      const std::size_t line = toml_key.source().begin.line;
      const auto* inner = node.as_table();
      if (inner != nullptr && !inner->is_inline()) {
        if (const CLI::App* sub = is_plain_name(key) ? subcommand_named(app, key) : nullptr; sub != nullptr) {
          collect(*sub, *inner, joined(section, key));
          continue;
        }
        if (is_plain_name(key) && is_header_line(line)) {
          fail(line, fmt::format("unknown section [{}]; sections are subcommands: [process], [produce], "
                                 "[query], [query.movies], ...",
                                 joined(section, key)));
        }
        // A dotted key: most likely a librdkafka property written as a key.
        const std::string dotted = is_plain_name(key) ? first_leaf(*inner, joined(section, key)) : key;
        if (!is_plain_name(key) || dotted.find('.') == std::string::npos) unknown_key(section, key, line, known);
        fail(line, fmt::format("unknown key '{}'; librdkafka properties go in kafka-property = "
                               "[\"key=value\", ...]",
                               dotted));
      }
      if (!is_plain_name(key) || !known.contains(key)) unknown_key(section, key, line, known);
      values_[{section, key}] = FileValue{&node, joined(section, key), line};
    }
  }

  std::string name_;
  std::string text_;
  toml::table table_;
  std::map<std::pair<std::string, std::string>, FileValue> values_;
};

enum class ValueKind { flag, number, text };

ValueKind kind_of(const CLI::Option& option) {
  if (option.get_expected_max() == 0) return ValueKind::flag;  // CLI11 flags expect no value
  const std::string type = option.get_type_name();
  for (const char* number : {"INT", "UINT", "FLOAT", "NUMBER"}) {
    if (type.starts_with(number)) return ValueKind::number;
  }
  return ValueKind::text;
}

const char* toml_type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

// The text CLI11 parses for one TOML value, or what is wrong with its type. Never quotes the
// value: the option may be a password.
struct Input {
  std::string text;
  std::string problem;
};

Input input_of(const toml::node& node, ValueKind kind) {
  const auto wrong = [&](const char* wanted) {
    return Input{{}, fmt::format("expects {}, not {}", wanted, toml_type_name(node))};
  };
  if (kind == ValueKind::flag) {
    if (const auto* b = node.as_boolean()) return {b->get() ? "true" : "false", {}};
    return wrong("true or false");
  }
  if (const auto* s = node.as_string()) return {s->get(), {}};
  if (kind == ValueKind::number) {
    if (const auto* i = node.as_integer()) return {std::to_string(i->get()), {}};
    if (const auto* f = node.as_floating_point()) return {fmt::format("{}", f->get()), {}};
    return wrong("a number");
  }
  return wrong("a string: put the value in double quotes");
}

std::string without_option_prefix(const std::string& message, const CLI::Option& option) {
  const std::string prefix = "--" + long_name(option) + ": ";
  return message.starts_with(prefix) ? message.substr(prefix.size()) : message;
}

void set_from_environment(CLI::Option& option, const std::string& variable, const std::string& value) {
  try {
    option.add_result(value);
    option.run_callback();
  } catch (const CLI::Error& e) {
    throw InputError(fmt::format("{}: --{}: {}", variable, long_name(option), without_option_prefix(e.what(), option)));
  }
}

void set_from_file(CLI::Option& option, const FileValue& value, const ConfigFile& file) {
  const ValueKind kind = kind_of(option);
  const auto fail = [&](std::size_t line, const std::string& what) {
    file.fail(line, fmt::format("key '{}' (--{}): {}", value.key, long_name(option), what));
  };
  std::vector<std::pair<const toml::node*, std::size_t>> elements;
  if (const auto* array = value.node->as_array()) {
    if (option.get_expected_max() <= 1) fail(value.line, "takes one value, not an array");
    for (const toml::node& element : *array) elements.emplace_back(&element, element.source().begin.line);
  } else {
    elements.emplace_back(value.node, value.line);
  }
  for (const auto& [node, line] : elements) {
    const Input input = input_of(*node, kind);
    if (!input.problem.empty()) fail(line, input.problem);
    // One element at a time, so that a refused element is named by its own line.
    try {
      option.add_result(input.text);
      option.run_callback();
    } catch (const CLI::Error& e) {
      fail(line, without_option_prefix(e.what(), option));
    }
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
  std::optional<ConfigFile> file;
  if (config_file) file.emplace(root, *config_file);

  for (CLI::App* app : chosen_path(root)) {
    // The sections that may set this subcommand's options, most specific first: query.movies,
    // query, then the top level.
    std::vector<std::string> sections;
    for (std::string s = section_of(app);;) {
      sections.push_back(s);
      if (s.empty()) break;
      const auto dot = s.rfind('.');
      s = dot == std::string::npos ? std::string() : s.substr(0, dot);
    }
    for (CLI::Option* option : app->get_options()) {
      if (!is_settable(*option) || option->count() > 0) continue;  // the flag wins
      const std::string variable = environment_name(*option);
      if (const char* value = std::getenv(variable.c_str()); value != nullptr) {
        set_from_environment(*option, variable, value);
        continue;
      }
      if (!file) continue;
      for (const auto& section : sections) {
        if (const FileValue* value = file->find(section, long_name(*option))) {
          set_from_file(*option, *value, *file);
          break;
        }
      }
    }
  }
}

}  // namespace ratingstream::app
