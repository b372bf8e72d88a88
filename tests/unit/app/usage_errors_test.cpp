// Bad flags and settings are one clear line and exit 2 at once, naming the flag (and the
// variable or file:line the value came from).

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "run_in_process.hpp"
#include "test_support.hpp"

using ratingstream::testing::InProcessResult;
using ratingstream::testing::run_in_process;
using ratingstream::testing::ScopedEnv;
using ratingstream::testing::TempDir;

namespace {

void expect_one_line_usage_error(const InProcessResult& r, const std::string& what, const std::string& names) {
  EXPECT_EQ(r.exit_code, 2) << what << ":\n" << r.all();
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ":\n" << r.err;
  EXPECT_NE(r.err.find(names), std::string::npos) << what << ": expected " << names << " in:\n" << r.err;
}

}  // namespace

TEST(UsageErrors, BadBootstrapServersAreAUsageErrorNamingTheFlag) {
  // --timeout 1s: without the check the command would wait that long for a broker, then exit 1.
  for (const std::string servers : {"", " ", "a,,b", ",", "localhost:notaport", "localhost:0", "host:99999"}) {
    const auto r = run_in_process({"topic", "create", "-t", "t", "--timeout", "1s", "-b", servers});
    expect_one_line_usage_error(r, "-b '" + servers + "'", "-b/--bootstrap-servers");
  }
  {
    const ScopedEnv env("RATINGSTREAM_BOOTSTRAP_SERVERS", "");
    const auto r = run_in_process({"topic", "create", "-t", "t", "--timeout", "1s"});
    expect_one_line_usage_error(r, "RATINGSTREAM_BOOTSTRAP_SERVERS=''", "RATINGSTREAM_BOOTSTRAP_SERVERS");
    EXPECT_NE(r.err.find("-b/--bootstrap-servers"), std::string::npos) << r.err;
  }
}

TEST(UsageErrors, GoodBootstrapServersPassTheCheck) {
  // schema --print takes no -b; produce --help shows that every form parses.
  for (const std::string servers :
       {"localhost:29092", "a:1,b:2", "kafka1", "[::1]:9092", "SSL://broker:9093", "10.0.0.1:9092, 10.0.0.2:9092"}) {
    const auto r = run_in_process({"produce", "-b", servers, "--help"});
    EXPECT_EQ(r.exit_code, 0) << servers << ": " << r.err;
  }
}

TEST(UsageErrors, LogLevelComesFromTheEnvironmentAndTheFileAndABadOneIsNamed) {
  {
    const ScopedEnv env("RATINGSTREAM_LOG_LEVEL", "loud");
    const auto r = run_in_process({"schema", "--print"});
    expect_one_line_usage_error(r, "RATINGSTREAM_LOG_LEVEL=loud", "RATINGSTREAM_LOG_LEVEL");
  }
  TempDir dir;
  const auto loud = dir.write("loud.toml", "# levels\nlog-level = \"loud\"\n");
  expect_one_line_usage_error(run_in_process({"schema", "--print", "--config", loud.string()}), "log-level in a file",
                              loud.string() + ":2:");
  {
    const ScopedEnv env("RATINGSTREAM_LOG_LEVEL", "debug");
    ASSERT_EQ(run_in_process({"schema", "--print"}).exit_code, 0);
    EXPECT_EQ(spdlog::get_level(), spdlog::level::debug);
    ASSERT_EQ(run_in_process({"schema", "--print", "--log-level", "warn"}).exit_code, 0);
    EXPECT_EQ(spdlog::get_level(), spdlog::level::warn);  // the flag beats the environment
  }
  const auto quiet = dir.write("quiet.toml", "log-level = \"error\"\n");
  ASSERT_EQ(run_in_process({"schema", "--print", "--config", quiet.string()}).exit_code, 0);
  EXPECT_EQ(spdlog::get_level(), spdlog::level::err);
}

TEST(UsageErrors, UnreachableBrokerSaysWhereAndHowLongAndWhichFlagToCheck) {
  const auto r = run_in_process({"topic", "create", "-b", "127.0.0.1:1", "-t", "t", "--timeout", "1s"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1s"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("check -b/--bootstrap-servers"), std::string::npos) << r.err;
}

TEST(UsageErrors, AConfigKeyForAnotherSubcommandIsIgnoredButATypoIsNot) {
  TempDir dir;
  const auto shared = dir.write("shared.toml", "trigger = \"5s\"\npeople = 3\n[process]\ngroup = \"g\"\n");
  EXPECT_EQ(run_in_process({"schema", "--print", "--config", shared.string()}).exit_code, 0);
  const auto typo = dir.write("typo.toml", "[schema]\nreplication_factor = 3\n");
  const auto r = run_in_process({"schema", "--print", "--config", typo.string()});
  expect_one_line_usage_error(r, "a typo", typo.string() + ":2:");
  EXPECT_NE(r.err.find("replication-factor"), std::string::npos) << "a hint at the right name: " << r.err;
}
