#pragma once
// Runs the ratingstream command line in this process, capturing what it writes to stdout and
// stderr (file descriptors 1 and 2, so spdlog's and fmt's output are caught too).

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "app/run_command_line.hpp"

namespace ratingstream::testing {

struct InProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string all() const { return out + err; }
};

inline InProcessResult run_in_process(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"ratingstream"};
  for (const auto& a : args) argv.push_back(a.c_str());
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  InProcessResult result;
  result.exit_code = app::run_command_line(static_cast<int>(argv.size()), argv.data());
  std::cout.flush();
  std::cerr.flush();
  std::fflush(stdout);
  std::fflush(stderr);
  result.out = ::testing::internal::GetCapturedStdout();
  result.err = ::testing::internal::GetCapturedStderr();
  return result;
}

// Sets an environment variable for the lifetime of the object (unset before and after).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) { ::setenv(name, value.c_str(), 1); }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

}  // namespace ratingstream::testing
