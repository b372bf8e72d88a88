#pragma once
// Helpers for tests: where things are, unique names, running the binary, polling for a condition.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "original_data.hpp"

namespace ratingstream::testing {

// The repository root (from RS_SOURCE_ROOT, set by CTest; the build's source tree otherwise).
std::filesystem::path source_root();
// The folder of the original data files (original_data_folder() from the repository root). Only
// tests of the label `data` use it, and they skip when the folder does not exist.
std::filesystem::path shared_data_dir();
// <shared_data_dir()>/<name>.
std::filesystem::path shared_data(const std::string& name);
// The ratingstream binary under test (from RS_BINARY, set by CTest; the build's otherwise).
std::filesystem::path binary();

// A name no other test run uses: <prefix>_<pid>_<counter>_<random>, lower case, [a-z0-9_] only,
// so it is valid as a Kafka topic and a Cassandra keyspace.
std::string unique_name(const std::string& prefix);

// A temporary directory removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to <dir>/<name> and returns the path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;  // -1 when killed by the timeout or a signal
  std::string out;
  std::string err;
  bool timed_out = false;
};

// Runs argv (argv[0] is a path) with stdin from /dev/null, capturing stdout and stderr. Kills the
// process when it runs longer than `timeout`.
CommandResult run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = std::chrono::seconds(60),
                  const std::vector<std::string>& extra_env = {});

// Runs the ratingstream binary with `args`.
CommandResult run_ratingstream(const std::vector<std::string>& args,
                               std::chrono::milliseconds timeout = std::chrono::seconds(60),
                               const std::vector<std::string>& extra_env = {});

// The command line a test's processor starts from: `process` reading `topic` into `keyspace` as
// group `group`, joined with the catalogue file `catalogue`, a new group from the earliest record;
// then `extra` (the test's trigger, batch sizes, -X properties, ...).
std::vector<std::string> processor_command(const std::string& topic, const std::string& keyspace,
                                           const std::string& group, const std::filesystem::path& catalogue,
                                           const std::vector<std::string>& extra = {});

// Polls `condition` every `every` until it holds (true) or `timeout` passes (false).
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = std::chrono::milliseconds(100));

}  // namespace ratingstream::testing
