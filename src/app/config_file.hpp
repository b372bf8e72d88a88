#pragma once
// Reading the --config file: a small UTF-8 TOML text file, read with a bound and parsed by
// toml++. Every error is one line naming the file (and line:column for TOML errors) and never
// quotes the file's text, which may hold passwords.

#include <toml++/toml.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace ratingstream::app {

// A config file holds a few dozen settings; 1 MiB is far more than any needs and small enough
// to read whole at once.
inline constexpr std::size_t kMaxConfigFileBytes = std::size_t{1} << 20;

// The bytes of `file`, refused (InputError) when it is missing or unreadable, a directory, not
// a regular file (a device such as /dev/zero, a FIFO, a socket: never opened for a blocking
// read), larger than kMaxConfigFileBytes, holds a NUL byte or is not valid UTF-8.
std::string read_config_text(const std::filesystem::path& file);

// `text` parsed as TOML. A syntax error is an InputError "<file>:<line>:<column>: not valid
// TOML: <what>", where <what> is toml++'s description without the pieces of the text it quotes.
toml::table parse_config_toml(const std::string& text, const std::filesystem::path& file);

// toml++'s description of a syntax error with every quoted piece of the input taken out (the
// character it saw, a number it could not read, a key that is not a plain name), so that a
// mistyped password is not shown; fixed tokens such as '=' stay. Exposed for tests.
std::string description_without_input(std::string_view description);

}  // namespace ratingstream::app
