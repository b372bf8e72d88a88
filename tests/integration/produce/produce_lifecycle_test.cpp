// `ratingstream produce` at its edges: a broker that is down, bad input, a signal, load mode.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace ratingstream {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kBootstrap = "localhost:29092";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The binary running in the background with stdout and stderr in files, for tests that signal it.
class Background {
 public:
  Background(const std::vector<std::string>& args, const testing::TempDir& dir)
      : out_(dir.path() / "stdout"), err_(dir.path() / "stderr") {
    std::vector<std::string> argv{testing::binary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(out, 1);
      ::dup2(err, 2);
      std::vector<char*> c_argv;
      for (auto& a : argv) c_argv.push_back(a.data());
      c_argv.push_back(nullptr);
      ::execv(c_argv[0], c_argv.data());
      ::_exit(127);
    }
  }
  ~Background() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::string out() const { return read_text(out_); }
  std::string err() const { return read_text(err_); }
  void signal(int number) const { ::kill(pid_, number); }
  // The exit code once it has exited within `timeout`; -1 when it has not (or died of a signal).
  int wait(std::chrono::milliseconds timeout) {
    int status = 0;
    const bool done = testing::eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout, 20ms);
    if (!done) return -1;
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
  bool exited_ = false;
};

// How many records `topic` holds in all (the sum of its partitions' high watermarks), asked
// until it reaches `expected` or 15 s passed: a watermark is the broker's answer at one moment,
// and on a loaded machine one asked right after the last acknowledgement has come back short.
// A record really missing still fails the comparison after the wait. -1 when no answer came.
std::int64_t records_in(const std::string& topic, int partitions, std::int64_t expected) {
  std::string err;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", kBootstrap, err);
  std::unique_ptr<RdKafka::Producer> client(RdKafka::Producer::create(conf.get(), err));
  std::int64_t total = -1;
  testing::eventually(
      [&] {
        total = 0;
        for (int p = 0; p < partitions; ++p) {
          int64_t low = 0, high = 0;
          if (client->query_watermark_offsets(topic, p, &low, &high, 10'000) != RdKafka::ERR_NO_ERROR) {
            total = -1;
            return false;
          }
          total += high;
        }
        return total == expected;
      },
      15s, 200ms);
  return total;
}

std::size_t lines_starting_with(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.starts_with(prefix) ? 1 : 0;
  return n;
}

TEST(ProduceLifecycle, ABrokerThatIsDownIsAClearErrorNotAHang) {
  const auto started = std::chrono::steady_clock::now();
  const auto run = testing::run_ratingstream({"produce", "-b", "127.0.0.1:1", "--count", "5", "--interval", "0"}, 60s);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(run.timed_out) << "produce hung with the broker down";
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_LT(took, 30s);
  EXPECT_NE(run.err.find("127.0.0.1:1"), std::string::npos) << "the error names the servers:\n" << run.err;
  EXPECT_EQ(run.out, "") << "nothing was sent";
}

TEST(ProduceLifecycle, AnUnknownKafkaPropertyIsAUsageErrorNamingIt) {
  const auto run = testing::run_ratingstream({"produce", "-X", "no.such.property=1", "--count", "1"}, 30s);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("no.such.property"), std::string::npos) << run.err;
}

TEST(ProduceLifecycle, AMissingMoviesFileIsAUsageErrorNamingIt) {
  testing::TempDir dir;
  const fs::path missing = dir.path() / "missing-movies.csv";
  const auto run = testing::run_ratingstream({"produce", "--movies", missing.string(), "--count", "1"}, 30s);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find(missing.string()), std::string::npos) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << "one clear line:\n" << run.err;
}

TEST(ProduceLifecycle, BadFlagsAreUsageErrors) {
  EXPECT_EQ(testing::run_ratingstream({"produce", "--people", "0"}, 30s).exit_code, 2);
  EXPECT_EQ(testing::run_ratingstream({"produce", "--interval", "soon"}, 30s).exit_code, 2);
  EXPECT_EQ(testing::run_ratingstream({"produce", "--rate", "-1"}, 30s).exit_code, 2);
  EXPECT_EQ(testing::run_ratingstream({"produce", "--rate", "nan"}, 30s).exit_code, 2);
  EXPECT_EQ(testing::run_ratingstream({"produce", "--rate", "10", "--interval", "1s"}, 30s).exit_code, 2);
  EXPECT_EQ(testing::run_ratingstream({"produce", "--compression", "brotli"}, 30s).exit_code, 2);
}

void expect_graceful_stop_on(int signal_number) {
  testing::TempDir dir;
  const std::string topic = testing::unique_name("produce_signal");
  // Rounds every 200ms with no count: only the signal ends it.
  Background producer({"produce", "-t", topic, "--interval", "200ms", "--people", "2"}, dir);
  ASSERT_TRUE(testing::eventually([&] { return lines_starting_with(producer.out(), "Sent: ") >= 9; }, 60s))
      << producer.err();
  producer.signal(signal_number);
  const int exit_code = producer.wait(30s);
  const std::string err = producer.err();
  EXPECT_EQ(exit_code, 0) << err;

  const std::regex summary(R"(summary: sent (\d+), delivered (\d+), failed 0, elapsed [0-9.]+s, [0-9.]+ msg/s\n)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(err, m, summary)) << err;
  EXPECT_EQ(m[1], m[2]) << "every message sent was delivered before exit";
  const auto sent = std::stoll(m[1]);
  EXPECT_EQ(static_cast<std::int64_t>(lines_starting_with(producer.out(), "Sent: ")), sent);
  EXPECT_EQ(records_in(topic, 3, sent), sent) << "the topic holds exactly what the summary says";
}

TEST(ProduceLifecycle, SigintFlushesPrintsTheSummaryAndExits) { expect_graceful_stop_on(SIGINT); }

TEST(ProduceLifecycle, SigtermFlushesPrintsTheSummaryAndExits) { expect_graceful_stop_on(SIGTERM); }

TEST(ProduceLifecycle, UndeliveredMessagesMakeTheExitCodeNonZero) {
  const std::string topic = testing::unique_name("produce_undelivered");
  // A 1 ms delivery timeout: librdkafka gives up on the messages before any broker round trip.
  const auto run = testing::run_ratingstream(
      {"produce", "-t", topic, "--count", "200", "--rate", "0", "-X", "message.timeout.ms=1", "-X", "linger.ms=0"},
      60s);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const std::regex summary(R"(summary: sent 200, delivered (\d+), failed (\d+),)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.err, m, summary)) << run.err;
  EXPECT_GT(std::stoi(m[2]), 0);
  EXPECT_NE(run.err.find("were not delivered: Local: Message timed out"), std::string::npos) << run.err;
}

TEST(ProduceLifecycle, LoadModePrintsProgressNotMessages) {
  const std::string topic = testing::unique_name("produce_load");
  // 3000 messages at 1500/s: about two seconds, so at least one progress line.
  const auto run = testing::run_ratingstream({"produce", "-t", topic, "--rate", "1500", "--count", "3000"}, 120s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "") << "load mode prints no messages";
  EXPECT_GE(lines_starting_with(run.err, "progress: sent "), 1u) << run.err;
  EXPECT_EQ(lines_starting_with(run.err, "summary: sent 3000, delivered 3000, failed 0, elapsed "), 1u) << run.err;
  const std::regex elapsed(R"(elapsed ([0-9.]+)s)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.err, m, elapsed));
  EXPECT_GE(std::stod(m[1]), 1.9) << "--rate paces the messages";
  EXPECT_EQ(records_in(topic, 3, 3000), 3000);
}

TEST(ProduceLifecycle, UnpacedLoadModeSendsAsFastAsTheBrokerTakes) {
  const std::string topic = testing::unique_name("produce_unpaced");
  const auto run = testing::run_ratingstream({"produce", "-t", topic, "--rate", "0", "--count", "50000"}, 120s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(lines_starting_with(run.err, "summary: sent 50000, delivered 50000, failed 0"), 1u) << run.err;
  EXPECT_EQ(records_in(topic, 3, 50000), 50000);
}

}  // namespace
}  // namespace ratingstream
