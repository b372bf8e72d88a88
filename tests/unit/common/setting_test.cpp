// How messages spell settings: the names by default, the process's spelling once installed, and
// a thread's own spelling while it lasts.
#include "common/setting.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace ratingstream {
namespace {

std::string as_flag(Setting setting) { return "--" + std::string(setting_name(setting)); }
std::string in_brackets(Setting setting) { return "<" + std::string(setting_name(setting)) + ">"; }

TEST(Setting, WithNothingInstalledASettingIsWrittenAsItsName) {
  EXPECT_EQ(fmt::format("{} is missing", Setting::from), "from is missing");
  EXPECT_EQ(spelled(Setting::query_time_zone), "tz");
}

TEST(Setting, TheProcessSpellingAppliesToEveryThreadAndAThreadsOwnWinsWhileItLasts) {
  spell_settings_as(as_flag);
  EXPECT_EQ(fmt::format("give {} and {}", Setting::from, Setting::to), "give --from and --to");
  std::string elsewhere;
  std::thread([&] { elsewhere = spelled(Setting::keyspace); }).join();
  EXPECT_EQ(elsewhere, "--keyspace");
  {
    const ScopedSettingSpelling scoped(in_brackets);
    EXPECT_EQ(spelled(Setting::hour), "<hour>");
    {
      const ScopedSettingSpelling inner(setting_name_spelling);
      EXPECT_EQ(spelled(Setting::hour), "hour");
    }
    EXPECT_EQ(spelled(Setting::hour), "<hour>");
    std::thread([&] { elsewhere = spelled(Setting::hour); }).join();
    EXPECT_EQ(elsewhere, "--hour") << "a scoped spelling is the calling thread's only";
  }
  EXPECT_EQ(spelled(Setting::hour), "--hour");
  spell_settings_as(nullptr);
  EXPECT_EQ(spelled(Setting::hour), "hour");
}

TEST(Setting, EverySettingHasANameOfItsOwn) {
  std::set<std::string_view> names;
  for (int s = 0; s <= static_cast<int>(Setting::processor); ++s) {
    const auto name = setting_name(static_cast<Setting>(s));
    EXPECT_NE(name, "setting") << s;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
}

}  // namespace
}  // namespace ratingstream
