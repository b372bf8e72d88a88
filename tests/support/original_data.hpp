#pragma once
// Where the original data files are (the full movies file and catalogue, which are not in the
// repository: docs/architecture.md, "The original data files"). One rule for the data tests and
// the benchmarks; header-only, so a benchmark uses it without linking the test support.

#include <cstdlib>
#include <filesystem>

namespace ratingstream::testing {

// The environment variable that names that folder.
inline constexpr const char* kSharedDataVariable = "RATINGSTREAM_SHARED_DATA";

// $RATINGSTREAM_SHARED_DATA, ../shared/data when unset or empty; a relative value is taken from
// `source_root` (the repository root). Its files are read at run time, never copied.
inline std::filesystem::path original_data_folder(const std::filesystem::path& source_root) {
  const char* value = std::getenv(kSharedDataVariable);
  const std::filesystem::path folder = (value == nullptr || *value == '\0') ? "../shared/data" : value;
  return folder.is_absolute() ? folder : source_root / folder;
}

}  // namespace ratingstream::testing
