// `ratingstream produce` refuses numbers that are not what the user wrote (a negative count read
// as 2^64 - 1, a number too big for its type, a rate too small to schedule) and names and titles
// its own processor would refuse, with exit 2 and one line naming the flag (or the variable, or
// the file and key, or the file and line), before anything is sent. Needs no servers: every run
// here ends before the producer connects.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace ratingstream {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Args = std::vector<std::string>;

// A run that passes every check of the options stops at this movies file (exit 2 naming it), so
// no run reaches a server, and a run refused for an option says nothing about it.
class ProduceOptions : public ::testing::Test {
 protected:
  testing::CommandResult produce(Args args, const std::vector<std::string>& env = {}) {
    Args all{"produce", "-b", "127.0.0.1:1", "--movies", missing_movies_.string()};
    all.insert(all.end(), args.begin(), args.end());
    return testing::run_ratingstream(all, 30s, env);
  }

  // Exit 2, one line, naming `names` (all of them), about the option and not the movies file.
  void expect_refused(const testing::CommandResult& run, const std::vector<std::string>& names,
                      const std::string& what) {
    EXPECT_EQ(run.exit_code, 2) << what << ": " << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << what << ": one line:\n" << run.err;
    for (const auto& name : names) EXPECT_NE(run.err.find(name), std::string::npos) << what << ": " << run.err;
    EXPECT_EQ(run.err.find("missing-movies"), std::string::npos) << what << ": got past the options: " << run.err;
    EXPECT_TRUE(
        std::all_of(run.err.begin(), run.err.end(), [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7F); }))
        << what << ": raw bytes in: " << run.err;
  }

  void expect_accepted(const testing::CommandResult& run, const std::string& what) {
    EXPECT_EQ(run.exit_code, 2) << what << ": " << run.err;
    EXPECT_NE(run.err.find("missing-movies"), std::string::npos) << what << ": refused: " << run.err;
  }

  testing::TempDir dir_;
  fs::path missing_movies_ = dir_.path() / "missing-movies.csv";
};

TEST_F(ProduceOptions, NumbersThatAreNotWhatWasWrittenAreRefusedNamingTheFlag) {
  const std::vector<Args> refused = {
      {"--count", "-1"},
      {"--count", "99999999999999999999999"},
      {"--count", "18446744073709551616"},
      {"--count", "1.5"},
      {"--count", "0x10"},
      {"--count", ""},
      {"--count", "+5"},
      {"--count", " 5"},
      {"--count",
       "\x1B[2J\x9B"
       "1"},
      {"--seed", "-1"},
      {"--seed", "18446744073709551616"},
      {"--seed", "seven"},
      {"--people", "-18446744073709551615"},
      {"--people", "0"},
      {"--people", "100001"},
      {"--people", "-1"},
      {"--partitions", "0"},
      {"--partitions", "-1"},
      {"--partitions", "99999999999"},
      {"--partitions", "100001"},
      {"--rate", "-1"},
      {"--rate", "nan"},
      {"--rate", "inf"},
      {"--rate", "1e-300"},
      {"--rate", "0.0001"},
      {"--rate", "5x"},
      {"--rate", "1e10"},
      {"--interval", "-1s"},
      {"--interval", "9223372036854775807ms"},
      {"--interval", "25h"},
      {"--flush-timeout", "9999999999ms"},
      {"--flush-timeout", "25h"},
      {"--rate", "\x1B[2J"},
      {"--interval", "\x1B[2J"},
  };
  for (const auto& args : refused) expect_refused(produce(args), {args[0]}, args[0] + " '" + args[1] + "'");
}

TEST_F(ProduceOptions, TheWholeRangeOfEachNumberIsAccepted) {
  const std::vector<Args> accepted = {
      {"--count", "0"},
      {"--count", "18446744073709551615"},
      {"--count", "010"},
      {"--seed", "0"},
      {"--seed", "18446744073709551615"},
      {"--people", "1"},
      {"--people", "100000"},
      {"--partitions", "1"},
      {"--partitions", "100000"},
      {"--rate", "0"},
      {"--rate", "0.001"},
      {"--rate", "1e9"},
      {"--rate", "2500.5"},
      {"--interval", "0"},
      {"--interval", "24h"},
      {"--flush-timeout", "0"},
      {"--flush-timeout", "24h"},
  };
  for (const auto& args : accepted) expect_accepted(produce(args), args[0] + " '" + args[1] + "'");
}

TEST_F(ProduceOptions, TheSameChecksHoldForTheEnvironmentAndTheConfigFile) {
  expect_refused(produce({}, {"RATINGSTREAM_COUNT=-1"}), {"RATINGSTREAM_COUNT", "--count"}, "environment count");
  expect_refused(produce({}, {"RATINGSTREAM_SEED=-1"}), {"RATINGSTREAM_SEED", "--seed"}, "environment seed");
  expect_refused(produce({}, {"RATINGSTREAM_RATE=1e-300"}), {"RATINGSTREAM_RATE", "--rate"}, "environment rate");
  for (const std::string line : {"count = -3", "seed = -1", "partitions = 0", "count = \"-1\"", "count = 1.5",
                                 "people = \"-18446744073709551615\"", "interval = \"25h\"", "rate = 1e-300"}) {
    const auto config = dir_.write("produce.toml", "[produce]\n" + line + "\n");
    const std::string key = line.substr(0, line.find(' '));
    expect_refused(produce({"--config", config.string()}), {config.string(), key}, "config " + line);
  }
  // Integers beyond 64 bits are not TOML at all: the file is refused, by its reader.
  for (const std::string line : {"count = 99999999999999999999999", "people = -18446744073709551615"}) {
    const auto config = dir_.write("produce.toml", "[produce]\n" + line + "\n");
    expect_refused(produce({"--config", config.string()}), {config.string()}, "config " + line);
  }
  expect_accepted(produce({}, {"RATINGSTREAM_COUNT=18446744073709551615"}), "environment count");
  expect_accepted(produce({"--config", dir_.write("ok.toml", "[produce]\ncount = 5\n").string()}), "config count");
}

TEST_F(ProduceOptions, AnOwnNameTheProcessorWouldRefuseIsRefused) {
  expect_refused(produce({"--me", "caf\xE9"}), {"--me", "UTF-8"}, "--me Latin-1");
  expect_refused(produce({"--me", "\xFF\xFE"}), {"--me"}, "--me binary");
  const auto huge = produce({"--me", std::string(70'000, 'n')});
  expect_refused(huge, {"--me", "65536"}, "--me 70,000 bytes");
  EXPECT_LT(huge.err.size(), 500u) << "the name is not echoed";
  expect_refused(produce({}, {"RATINGSTREAM_ME=\xFF"}), {"RATINGSTREAM_ME", "--me"}, "environment me");
  expect_accepted(produce({"--me", ""}), "no own name");
  expect_accepted(produce({"--me", "Ζωή Ελευθερίου"}), "a UTF-8 name");
}

TEST_F(ProduceOptions, ATitleTheProcessorWouldRefuseIsRefusedNamingTheFileAndLine) {
  const auto movies = dir_.write("movies.csv", "Jeans\n" + std::string(70'000, 'x') + "\nSankofa\n");
  const auto run = testing::run_ratingstream({"produce", "-b", "127.0.0.1:1", "--movies", movies.string()}, 30s);
  EXPECT_EQ(run.exit_code, 2) << run.err.substr(0, 300);
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err.substr(0, 300);
  EXPECT_NE(run.err.find(movies.string() + ":2: "), std::string::npos) << run.err.substr(0, 300);
  EXPECT_LT(run.err.size(), 500u) << "the title is not echoed";
}

TEST_F(ProduceOptions, ABinaryMoviesFileIsOneLineSayingWhatTheFileMustBe) {
  const auto run = testing::run_ratingstream({"produce", "-b", "127.0.0.1:1", "--movies", "/dev/zero"}, 30s);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_NE(run.err.find("/dev/zero"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("one title per line"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace ratingstream
