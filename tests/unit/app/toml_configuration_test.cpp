// The --config file is real TOML (toml++): strings decoded as TOML says, comments only outside
// strings, arrays for repeatable options, numbers and booleans where an option takes them, and
// file:line on every error.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/configuration.hpp"
#include "common/errors.hpp"
#include "test_support.hpp"

using ratingstream::InputError;
using ratingstream::app::apply_environment_and_file;
using ratingstream::testing::TempDir;

namespace {

// root (--log-level) > produce (--me, -X/--kafka-property, --people, --rate, --quiet),
// root > query > movies (--tz, --page-size).
struct Tree {
  CLI::App root{"t"};
  std::string log_level = "info";
  std::string me = "Stelios Giagkos";
  std::vector<std::string> properties;
  int people = 14;
  double rate = 1;
  bool quiet = false;
  std::string tz;
  int page_size = 5000;
  Tree() {
    root.add_option("--log-level", log_level)->check(CLI::IsMember({"info", "debug", "off"}));
    auto* produce = root.add_subcommand("produce");
    produce->add_option("--me", me);
    produce->add_option("-X,--kafka-property", properties)->allow_extra_args(false);
    produce->add_option("--people", people)->check(CLI::Range(1, 100));
    produce->add_option("--rate", rate);
    produce->add_flag("--quiet", quiet);
    auto* query = root.add_subcommand("query");
    auto* movies = query->add_subcommand("movies");
    movies->add_option("--tz", tz);
    movies->add_option("--page-size", page_size);
  }
  void parse(std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());
    root.parse(args);
  }
};

// Applies `text` as the config file of `ratingstream <args>`; the error message, if any.
std::optional<std::string> apply(Tree& t, const std::vector<std::string>& args, const std::string& text,
                                 std::string* file_name = nullptr) {
  TempDir dir;
  const auto file = dir.write("ratingstream.toml", text);
  if (file_name != nullptr) *file_name = file.string();
  t.parse(args);
  try {
    apply_environment_and_file(t.root, file);
    return std::nullopt;
  } catch (const InputError& e) {
    return std::string(e.what());
  }
}

}  // namespace

TEST(TomlConfiguration, StringsAreDecodedAsTomlSaysAndHashIsNoCommentInside) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"me = \"Ann#Lee\"", "Ann#Lee"},
      {"me = \"Ann#Lee\" # the own name", "Ann#Lee"},
      {"me = 'Ann#Lee'", "Ann#Lee"},
      {R"(me = "a\\b")", "a\\b"},
      {R"(me = "Ren\u00e9e")",
       "Ren\xc3\xa9"
       "e"},
      {R"(me = "tab\there")", "tab\there"},
      {R"(me = "say \"hi\"")", "say \"hi\""},
      {R"(me = 'C:\path\no escapes')", R"(C:\path\no escapes)"},
      {"me = \"\"\"\nfirst\nsecond\"\"\"", "first\nsecond"},
      {"me = \"\"\"one \\\n    two\"\"\"", "one two"},
      {"me = '''\nraw \\n #kept'''", "raw \\n #kept"},
      {"me = \"\"", ""},
      {"me = \"Zo\xc3\xab\"", "Zo\xc3\xab"},
  };
  for (const auto& [line, expected] : cases) {
    Tree t;
    const auto error = apply(t, {"produce"}, "[produce]\n" + line + "\n");
    ASSERT_FALSE(error) << line << ": " << *error;
    EXPECT_EQ(t.me, expected) << line;
  }
}

TEST(TomlConfiguration, ArraysFillRepeatableOptionsAndASingleStringIsOneValue) {
  {
    Tree t;
    const auto error = apply(t, {"produce"},
                             "kafka-property = [\"security.protocol=SASL_SSL\",  # TLS\n"
                             "  \"sasl.password=p#ss=word\",\n]\n");
    ASSERT_FALSE(error) << *error;
    EXPECT_EQ(t.properties, (std::vector<std::string>{"security.protocol=SASL_SSL", "sasl.password=p#ss=word"}));
  }
  {
    Tree t;
    ASSERT_FALSE(apply(t, {"produce"}, "kafka-property = \"linger.ms=5\"\n"));
    EXPECT_EQ(t.properties, (std::vector<std::string>{"linger.ms=5"}));
  }
  {
    Tree t;  // the flag wins over the file as a whole
    ASSERT_FALSE(apply(t, {"produce", "-X", "acks=1"}, "kafka-property = [\"linger.ms=5\"]\n"));
    EXPECT_EQ(t.properties, (std::vector<std::string>{"acks=1"}));
  }
}

TEST(TomlConfiguration, NumbersAndBooleansWhereTheOptionTakesThem) {
  Tree t;
  const auto error = apply(t, {"produce"}, "[produce]\npeople = 50\nrate = 0.5\nquiet = true\n");
  ASSERT_FALSE(error) << *error;
  EXPECT_EQ(t.people, 50);
  EXPECT_DOUBLE_EQ(t.rate, 0.5);
  EXPECT_TRUE(t.quiet);
  Tree u;
  ASSERT_FALSE(apply(u, {"produce"}, "[produce]\nquiet = false\nrate = 2\npeople = \"7\"\n"));
  EXPECT_FALSE(u.quiet);
  EXPECT_DOUBLE_EQ(u.rate, 2);
  EXPECT_EQ(u.people, 7);
}

TEST(TomlConfiguration, AValueOfTheWrongTypeIsAnErrorWithFileAndLine) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"[produce]\n\nme = 5\n", ":3:"},             // a number for a text option
      {"[produce]\nquiet = \"yes\"\n", ":2:"},      // a string for a flag
      {"[produce]\npeople = true\n", ":2:"},        // a boolean for a number
      {"[produce]\nme = [\"a\", \"b\"]\n", ":2:"},  // an array for a single value
      {"[produce]\nme = { first = \"Ann\" }\n", ":2:"},
      {"[produce]\nme = 2025-03-13\n", ":2:"},
      {"[produce]\npeople = 0\n", ":2:"},  // out of range: the option's own check
      {"[produce]\nkafka-property = [1, 2]\n", ":2:"},
  };
  for (const auto& [text, where] : cases) {
    Tree t;
    std::string file;
    const auto error = apply(t, {"produce"}, text, &file);
    ASSERT_TRUE(error) << text;
    EXPECT_NE(error->find(file + where), std::string::npos) << text << "\n" << *error;
  }
}

TEST(TomlConfiguration, SyntaxErrorsAndUnknownKeysNameFileAndLine) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"[produce]\nme = \"unterminated\n", ":2:"},        {"[produce]\nme \"no equals\"\n", ":2:"},
      {"[produce]\nme = \"a\"\nme = \"twice\"\n", ":3:"}, {"[produce\nme = \"a\"\n", ":1:"},
      {"\n\n[produce]\nmee = \"typo\"\n", ":4:"},         {"[nosuch]\nme = \"a\"\n", ":1:"},
      {"[query.nosuch]\ntz = \"UTC\"\n", ":1:"},          {"log_level = \"debug\"\n", ":1:"},
  };
  for (const auto& [text, where] : cases) {
    Tree t;
    std::string file;
    const auto error = apply(t, {"produce"}, text, &file);
    ASSERT_TRUE(error) << text;
    EXPECT_NE(error->find(file + where), std::string::npos) << text << "\n" << *error;
    EXPECT_EQ(error->find('\n'), std::string::npos) << *error;
  }
}

TEST(TomlConfiguration, SectionsNestAndTheMostSpecificOneWins) {
  Tree t;
  const auto error = apply(t, {"query", "movies"},
                           "tz = \"UTC\"\npage-size = 10\n[query]\ntz = \"Europe/Athens\"\n"
                           "[query.movies]\npage-size = 20\n");
  ASSERT_FALSE(error) << *error;
  EXPECT_EQ(t.tz, "Europe/Athens");
  EXPECT_EQ(t.page_size, 20);
  Tree u;  // dotted keys are the same tables
  ASSERT_FALSE(apply(u, {"query", "movies"}, "query.movies.tz = \"Asia/Tokyo\"\n"));
  EXPECT_EQ(u.tz, "Asia/Tokyo");
}

TEST(TomlConfiguration, RootOptionsComeFromTheFileAndTheEnvironment) {
  {
    Tree t;
    ASSERT_FALSE(apply(t, {"produce"}, "log-level = \"debug\"\n"));
    EXPECT_EQ(t.log_level, "debug");
  }
  {
    Tree t;
    std::string file;
    const auto error = apply(t, {"produce"}, "\nlog-level = \"loud\"\n", &file);
    ASSERT_TRUE(error);
    EXPECT_NE(error->find(file + ":2:"), std::string::npos) << *error;
    EXPECT_NE(error->find("log-level"), std::string::npos) << *error;
  }
  {
    ::setenv("RATINGSTREAM_LOG_LEVEL", "off", 1);
    Tree t;
    const auto error = apply(t, {"produce"}, "log-level = \"debug\"\n");
    ::unsetenv("RATINGSTREAM_LOG_LEVEL");
    ASSERT_FALSE(error) << *error;
    EXPECT_EQ(t.log_level, "off");
  }
}
