#pragma once
// The whole command line of ratingstream, as a function: main() calls it, and tests call it
// in-process to check what a command prints and which exit code it returns.

namespace ratingstream::app {

// Parses argv (flags, then RATINGSTREAM_* environment, then the --config file), runs the
// chosen subcommand and returns its exit code (0 ok, 2 bad usage or input, 1 runtime failure).
// Errors are one line on stderr.
int run_command_line(int argc, const char* const* argv);

}  // namespace ratingstream::app
