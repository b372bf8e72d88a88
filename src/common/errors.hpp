#pragma once
// The two kinds of failure a user sees, and the exit code each maps to
// (docs/contract.md, "Command line").

#include <stdexcept>

namespace ratingstream {

// Bad usage, a bad flag value or a bad input file. The message is one line that names what is
// wrong and how to fix it. Exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure at run time that could not be recovered (a server unreachable, a write refused).
// Exit code 1.
class RuntimeFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

}  // namespace ratingstream
