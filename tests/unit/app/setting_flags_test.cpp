// The command line spells every setting a message can name as a flag that its commands have.
#include "app/setting_flags.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "app/command_line.hpp"

namespace ratingstream::app {
namespace {

// Every option name of every command: "--keyspace", "-b", "--bootstrap-servers", ...
std::set<std::string> every_option_name() {
  CLI::App root{"t"};
  Action chosen;
  add_all_commands(root, chosen);
  std::set<std::string> names;
  std::vector<const CLI::App*> commands{&root};
  while (!commands.empty()) {
    const CLI::App* command = commands.back();
    commands.pop_back();
    for (const CLI::Option* option : command->get_options()) {
      for (const auto& name : option->get_snames()) names.insert("-" + name);
      for (const auto& name : option->get_lnames()) names.insert("--" + name);
    }
    for (const CLI::App* sub : command->get_subcommands([](const CLI::App*) { return true; })) commands.push_back(sub);
  }
  return names;
}

TEST(SettingFlags, EverySettingIsSpelledAsFlagsTheCommandLineHas) {
  const auto options = every_option_name();
  ASSERT_TRUE(options.contains("--keyspace"));
  for (int s = 0; s <= static_cast<int>(Setting::processor); ++s) {
    const auto setting = static_cast<Setting>(s);
    const std::string flags = flag_of(setting);
    std::istringstream parts(flags);
    for (std::string part; std::getline(parts, part, '/');) {
      EXPECT_TRUE(options.contains(part))
          << setting_name(setting) << " is spelled " << flags << ", but " << part << " is no option of any command";
    }
  }
}

TEST(SettingFlags, ALowerLayersMessageNamesTheFlagOnceTheCommandLineSpellsIt) {
  spell_settings_as(flag_of);
  EXPECT_EQ(fmt::format("check {}", Setting::bootstrap_servers), "check -b/--bootstrap-servers");
  EXPECT_EQ(fmt::format("{} linger.ms", Setting::kafka_property), "-X linger.ms");
  spell_settings_as(nullptr);
}

}  // namespace
}  // namespace ratingstream::app
