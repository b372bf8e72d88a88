// Every whole-number option of every subcommand is read strictly (decimal digits within its
// range, from the command line, RATINGSTREAM_* or the config file alike), and no message about a
// bad value echoes its raw bytes (numbers and durations here; times in query_time_range_test).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "app/command_line.hpp"
#include "run_in_process.hpp"
#include "test_support.hpp"

using ratingstream::testing::InProcessResult;
using ratingstream::testing::run_in_process;
using ratingstream::testing::ScopedEnv;
using ratingstream::testing::TempDir;

namespace {

// An integer option and how to run its subcommand so that, were the value taken, the run would
// still end at once (a bad --keyspace, an unreachable broker with a short timeout, --print).
struct IntegerOption {
  std::vector<std::string> command;  // the subcommand path
  std::string flag;
  std::string variable;
  std::string section;  // of the config file
  std::vector<std::string> ends_quickly;
};

const std::vector<IntegerOption>& integer_options() {
  const std::vector<std::string> bad_keyspace{"--keyspace", "bad keyspace"};
  static const std::vector<IntegerOption> options{
      {{"process"}, "--max-records-per-trigger", "RATINGSTREAM_MAX_RECORDS_PER_TRIGGER", "process", bad_keyspace},
      {{"process"}, "--metrics-port", "RATINGSTREAM_METRICS_PORT", "process", bad_keyspace},
      {{"process"}, "--max-in-flight", "RATINGSTREAM_MAX_IN_FLIGHT", "process", bad_keyspace},
      {{"process"}, "--batch-rows", "RATINGSTREAM_BATCH_ROWS", "process", bad_keyspace},
      {{"process"}, "--writers", "RATINGSTREAM_WRITERS", "process", bad_keyspace},
      {{"dashboard"}, "--port", "RATINGSTREAM_PORT", "dashboard", bad_keyspace},
      {{"query", "sample"}, "--limit", "RATINGSTREAM_LIMIT", "query", bad_keyspace},
      {{"query", "sample"}, "--page-size", "RATINGSTREAM_PAGE_SIZE", "query", bad_keyspace},
      {{"schema"}, "--replication-factor", "RATINGSTREAM_REPLICATION_FACTOR", "schema", {"--print"}},
      {{"topic", "create"},
       "--partitions",
       "RATINGSTREAM_PARTITIONS",
       "topic.create",
       {"-t", "t", "-b", "127.0.0.1:1", "--timeout", "100ms"}},
      {{"topic", "create"},
       "--replication-factor",
       "RATINGSTREAM_REPLICATION_FACTOR",
       "topic.create",
       {"-t", "t", "-b", "127.0.0.1:1", "--timeout", "100ms"}},
      {{"produce"}, "--people", "RATINGSTREAM_PEOPLE", "produce", {"--movies", "/nonexistent/movies.csv"}},
      {{"produce"}, "--count", "RATINGSTREAM_COUNT", "produce", {"--movies", "/nonexistent/movies.csv"}},
      {{"produce"}, "--seed", "RATINGSTREAM_SEED", "produce", {"--movies", "/nonexistent/movies.csv"}},
      {{"produce"}, "--partitions", "RATINGSTREAM_PARTITIONS", "produce", {"--movies", "/nonexistent/movies.csv"}},
  };
  return options;
}

// Not a whole number in decimal digits, or beyond every option's range (2^64 and more; -1,
// which CLI11 wrapped to 2^64 - 1 for an unsigned option; hexadecimal and octal forms it read).
const std::vector<std::string>& bad_numbers() {
  static const std::vector<std::string> values{"-1",
                                               "-0",
                                               "0x10",
                                               "99999999999999999999",
                                               "18446744073709551616",
                                               "1e2",
                                               "1.5",
                                               "",
                                               " 3",
                                               "3 ",
                                               "+3",
                                               "3k",
                                               "\xd9\xa3" /* ARABIC-INDIC DIGIT THREE */,
                                               "\x1b[31m3"};
  return values;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// Exit 2 and one line naming `names`, without a byte that is not printable ASCII.
void expect_one_clean_line(const InProcessResult& r, const std::string& what, const std::vector<std::string>& names) {
  EXPECT_EQ(r.exit_code, 2) << what << ":\n" << r.all();
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ":\n" << r.err;
  for (const auto& name : names)
    EXPECT_NE(r.err.find(name), std::string::npos) << what << ": expected " << name << " in:\n" << r.err;
  EXPECT_TRUE(std::all_of(r.err.begin(), r.err.end(), [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7F); }))
      << what << ": raw bytes in the message:\n"
      << r.err;
}

// The value in a test's failure message, escaped.
std::string shown(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c >= 0x20 && c < 0x7F) {
      out += c;
    } else {
      out += "\\x";
      out += "0123456789abcdef"[static_cast<unsigned char>(c) >> 4];
      out += "0123456789abcdef"[static_cast<unsigned char>(c) & 15];
    }
  }
  return "'" + out + "'";
}

}  // namespace

TEST(StrictWholeNumbers, EveryIntegerFlagRefusesWhatIsNotADecimalNumberInItsRange) {
  for (const auto& option : integer_options()) {
    for (const auto& value : bad_numbers()) {
      const auto r = run_in_process(with(with(option.command, {option.flag, value}), option.ends_quickly));
      const std::string what = option.flag + " " + shown(value);
      expect_one_clean_line(r, what, {option.flag + ": "});
      EXPECT_NE(r.err.find("is not a whole number from "), std::string::npos) << what << ":\n" << r.err;
    }
  }
}

TEST(StrictWholeNumbers, ValuesFromTheEnvironmentAreReadAsStrictlyAndTheVariableIsNamed) {
  for (const auto& option : integer_options()) {
    for (const std::string value : {"-1", "0x10", "99999999999999999999", "\x1b[2J"}) {
      const ScopedEnv env(option.variable.c_str(), value);
      const auto r = run_in_process(with(option.command, option.ends_quickly));
      expect_one_clean_line(r, option.variable + "=" + shown(value), {option.variable, option.flag});
    }
  }
}

TEST(StrictWholeNumbers, ValuesFromTheConfigFileAreReadAsStrictlyAndTheKeyIsNamed) {
  TempDir dir;
  for (const auto& option : integer_options()) {
    const std::string key = option.flag.substr(2);
    for (const std::string value : {"-1", "\"0x10\"", "99999999999999999999.0", "\"\\u001b[2J\""}) {
      const auto file = dir.write("numbers.toml", "# numbers\n[" + option.section + "]\n" + key + " = " + value + "\n");
      const auto r = run_in_process(with(with(option.command, {"--config", file.string()}), option.ends_quickly));
      expect_one_clean_line(r, option.section + "." + key + " = " + value,
                            {file.string() + ":3:", option.section + "." + key, option.flag});
    }
  }
}

TEST(StrictWholeNumbers, AWholeNumberInRangeIsTakenFromEverySource) {
  TempDir dir;
  {
    const auto r = run_in_process({"schema", "--print", "--replication-factor", "07"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("'replication_factor': '7'"), std::string::npos) << "decimal, not octal:\n" << r.out;
  }
  {
    const ScopedEnv env("RATINGSTREAM_REPLICATION_FACTOR", "100");
    const auto r = run_in_process({"schema", "--print"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("'replication_factor': '100'"), std::string::npos) << r.out;
  }
  const auto file = dir.write("three.toml", "[schema]\nreplication-factor = 3\n");
  const auto r = run_in_process({"schema", "--print", "--config", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("'replication_factor': '3'"), std::string::npos) << r.out;
}

TEST(StrictWholeNumbers, TheHelperTakesItsWholeRangeAndNothingBeyond) {
  const auto parse = [](const std::string& text) -> std::optional<std::uint64_t> {
    CLI::App app;
    std::uint64_t value = 0;
    ratingstream::app::add_whole_number_option<std::uint64_t>(app, "--n", value, 0,
                                                              std::numeric_limits<std::uint64_t>::max(), "n");
    try {
      app.parse(std::vector<std::string>{text, "--n"});  // CLI11 takes the arguments in reverse
    } catch (const CLI::ParseError&) {
      return std::nullopt;
    }
    return value;
  };
  EXPECT_EQ(parse("0"), 0u);
  EXPECT_EQ(parse("010"), 10u);
  EXPECT_EQ(parse("18446744073709551615"), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(parse("18446744073709551616"), std::nullopt);
  EXPECT_EQ(parse("-1"), std::nullopt);

  CLI::App app;
  int port = 8080;
  auto* option = ratingstream::app::add_whole_number_option(app, "--port", port, 0, 65535, "port");
  EXPECT_EQ(option->get_default_str(), "8080");
  app.parse(std::vector<std::string>{"65535", "--port"});
  EXPECT_EQ(port, 65535);
  CLI::App again;
  ratingstream::app::add_whole_number_option(again, "--port", port, 0, 65535, "port");
  EXPECT_THROW(again.parse(std::vector<std::string>{"65536", "--port"}), CLI::ValidationError);
}

TEST(ShownValues, ABadDurationIsNamedWithoutItsRawBytes) {
  for (const std::string value : {"\x1b[31m5s", "\r10s", "5s\n", "\xff\xfe"}) {
    const auto r = run_in_process({"process", "--trigger", value, "--keyspace", "bad keyspace"});
    expect_one_clean_line(r, "--trigger " + shown(value), {"--trigger: ", "is not a duration"});
  }
  const ScopedEnv env("RATINGSTREAM_FLUSH_TIMEOUT", "\x1b]0;owned\x07");
  const auto r = run_in_process({"produce", "--movies", "/nonexistent/movies.csv"});
  expect_one_clean_line(r, "RATINGSTREAM_FLUSH_TIMEOUT", {"RATINGSTREAM_FLUSH_TIMEOUT", "--flush-timeout"});
}
