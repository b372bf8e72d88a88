#include "app/configuration.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "common/errors.hpp"
#include "test_support.hpp"

using ratingstream::InputError;
using ratingstream::app::apply_environment_and_file;
using ratingstream::app::environment_name;

namespace {

// A small command tree like the real one: root > process (--trigger, --group) and
// root > produce (--people).
struct Tree {
  CLI::App root{"t"};
  std::string trigger = "30s";
  std::string group = "ratingstream";
  int people = 14;
  Tree() {
    auto* process = root.add_subcommand("process");
    process->add_option("--trigger", trigger);
    process->add_option("--group", group);
    auto* produce = root.add_subcommand("produce");
    produce->add_option("--people", people)->check(CLI::Range(1, 100));
  }
  void parse(std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());
    root.parse(args);
  }
};

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }

 private:
  const char* name_;
};

}  // namespace

TEST(Configuration, EnvironmentNameIsPrefixedUpperSnakeCase) {
  CLI::App app;
  EXPECT_EQ(environment_name(*app.add_option("-b,--bootstrap-servers")), "RATINGSTREAM_BOOTSTRAP_SERVERS");
  EXPECT_EQ(environment_name(*app.add_option("-X")), "");
}

TEST(Configuration, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  ratingstream::testing::TempDir dir;
  const auto file = dir.write("c.toml", "[process]\ntrigger = \"5s\"\ngroup = \"from-file\"\n");
  ScopedEnv env("RATINGSTREAM_GROUP", "from-env");
  {
    Tree t;
    t.parse({"process", "--group", "from-flag"});
    apply_environment_and_file(t.root, file);
    EXPECT_EQ(t.group, "from-flag");
    EXPECT_EQ(t.trigger, "5s");  // file beats the default
  }
  {
    Tree t;
    t.parse({"process"});
    apply_environment_and_file(t.root, file);
    EXPECT_EQ(t.group, "from-env");
  }
  {
    Tree t;
    t.parse({"process"});
    apply_environment_and_file(t.root, std::nullopt);
    EXPECT_EQ(t.trigger, "30s");  // nothing set: the default stays
  }
}

TEST(Configuration, SectionBeatsTopLevelAndOtherSubcommandsKeysAreIgnored) {
  ratingstream::testing::TempDir dir;
  const auto file = dir.write("c.toml", "trigger = \"1s\"\npeople = 3\n[process]\ntrigger = \"2s\"\n");
  Tree t;
  t.parse({"process"});
  apply_environment_and_file(t.root, file);
  EXPECT_EQ(t.trigger, "2s");
  EXPECT_EQ(t.people, 14);  // a produce key, not applied to process
}

TEST(Configuration, UnknownKeyNamesFileAndKey) {
  ratingstream::testing::TempDir dir;
  const auto file = dir.write("c.toml", "[process]\ntriger = \"1s\"\n");
  Tree t;
  t.parse({"process"});
  try {
    apply_environment_and_file(t.root, file);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("process.triger"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
  const auto top = dir.write("d.toml", "no_such_option = 1\n");
  Tree u;
  u.parse({"process"});
  EXPECT_THROW(apply_environment_and_file(u.root, top), InputError);
}

TEST(Configuration, BadValuesNameWhereTheyCameFrom) {
  {
    ScopedEnv env("RATINGSTREAM_PEOPLE", "0");
    Tree t;
    t.parse({"produce"});
    try {
      apply_environment_and_file(t.root, std::nullopt);
      FAIL() << "expected InputError";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("RATINGSTREAM_PEOPLE"), std::string::npos) << e.what();
    }
  }
  ratingstream::testing::TempDir dir;
  const auto file = dir.write("c.toml", "[produce]\npeople = 1000\n");
  Tree t;
  t.parse({"produce"});
  try {
    apply_environment_and_file(t.root, file);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'produce.people'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(apply_environment_and_file(t.root, dir.path() / "missing.toml"), InputError);
}
