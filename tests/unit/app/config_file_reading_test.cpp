// --config reads a small UTF-8 text file and nothing else: a device, a FIFO, a directory, a
// huge or binary file is one clear error at once, with bounded memory.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <string>

#include "run_in_process.hpp"
#include "test_support.hpp"

using ratingstream::testing::InProcessResult;
using ratingstream::testing::run_in_process;
using ratingstream::testing::TempDir;

namespace {

// Runs `body` in a child process with at most 512 MiB of address space (not under ASan) and 20 s
// of time, so a reader that grows without bound or blocks fails this test instead of the machine
// or the run.
// Returns the child's exit code, or -signal when it was killed.
int in_bounded_child(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
#ifndef __SANITIZE_ADDRESS__  // AddressSanitizer reserves terabytes of address space up front
    const rlimit memory{512ull << 20, 512ull << 20};
    ::setrlimit(RLIMIT_AS, &memory);
#endif
    ::alarm(20);
    int code = 99;
    try {
      code = body();
    } catch (...) {
      code = 98;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// Exit 10 when `schema --print --config <path>` is a usage error (exit 2) whose one line names
// the path and says the file should be a UTF-8 TOML text file; 11 for exit 2 with another
// message; the exit code itself otherwise.
int config_is_refused(const std::string& path) {
  const auto r = run_in_process({"schema", "--print", "--config", path});
  if (r.exit_code != 2) return r.exit_code;
  const bool one_line = r.err.find('\n') == r.err.size() - 1;
  const bool names_it = r.err.find(path) != std::string::npos;
  const bool says_what = r.err.find("TOML") != std::string::npos;
  if (!(one_line && names_it && says_what)) {
    std::fprintf(stderr, "unexpected message: %s", r.err.c_str());
    return 11;
  }
  return 10;
}

}  // namespace

TEST(ConfigFileReading, DevZeroIsRefusedAtOnceWithBoundedMemory) {
  EXPECT_EQ(in_bounded_child([] { return config_is_refused("/dev/zero"); }), 10);
}

TEST(ConfigFileReading, AFifoIsRefusedWithoutWaitingForAWriter) {
  TempDir dir;
  const auto fifo = dir.path() / "settings.toml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(in_bounded_child([&] { return config_is_refused(fifo.string()); }), 10);
}

TEST(ConfigFileReading, ADirectoryIsRefused) {
  TempDir dir;
  EXPECT_EQ(in_bounded_child([&] { return config_is_refused(dir.path().string()); }), 10);
}

TEST(ConfigFileReading, AFileOverTheLimitIsRefusedSayingTheLimit) {
  TempDir dir;
  // Valid TOML (comments only), one byte over 1 MiB.
  std::string text;
  while (text.size() < (1u << 20)) text += "# a comment line of a config file that is far too long\n";
  text.resize((1u << 20) + 1, '#');
  const auto file = dir.write("big.toml", text);
  const auto r = run_in_process({"schema", "--print", "--config", file.string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("1 MiB"), std::string::npos) << r.err;
  // Exactly at the limit is fine.
  text.resize(1u << 20);
  text.back() = '\n';
  const auto fits = dir.write("fits.toml", text);
  EXPECT_EQ(run_in_process({"schema", "--print", "--config", fits.string()}).exit_code, 0);
}

TEST(ConfigFileReading, ABinaryFileIsRefusedWithoutEchoingItsBytes) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> files{
      {"nul.toml", std::string("group = \"a\"\n\0\0\x01\x02rest", 20)},
      {"latin1.toml", "me = \"Ann\xe9 Lee\"\n"},      // ISO-8859-1, not UTF-8
      {"overlong.toml", "me = \"\xc0\xaf\"\n"},       // an overlong encoding of '/'
      {"surrogate.toml", "me = \"\xed\xa0\x80\"\n"},  // a UTF-16 surrogate
      {"truncated.toml", "me = \"\xe2\x82\"\n"},
      {"elf.toml", std::string("\x7f"
                               "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                               16)},
  };
  for (const auto& [name, bytes] : files) {
    const auto file = dir.write(name, bytes);
    const auto r = run_in_process({"schema", "--print", "--config", file.string()});
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.err;
    EXPECT_NE(r.err.find("UTF-8 TOML text file"), std::string::npos) << name << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << name << ": " << r.err;
    for (const char c : r.err) {
      EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << name << ": the message holds byte " << int(c);
    }
  }
}

TEST(ConfigFileReading, AMissingFileIsOneLineNamingIt) {
  const auto r = run_in_process({"schema", "--print", "--config", "/nonexistent/ratingstream.toml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/ratingstream.toml"), std::string::npos) << r.err;
}
