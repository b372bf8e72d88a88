#include "app/sample_files.hpp"

#include <system_error>

namespace ratingstream::app {

std::filesystem::path running_binary() {
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path{} : path;
}

std::string sample_file(const std::string& name, const std::filesystem::path& binary) {
  std::error_code error;
  const auto installed = (binary.parent_path() / RS_SAMPLES_FROM_BIN / name).lexically_normal();
  if (!binary.empty() && std::filesystem::is_regular_file(installed, error)) return installed.string();
  const auto source_tree = std::filesystem::path(RS_SOURCE_ROOT) / "data" / "sample" / name;
  if (std::filesystem::is_regular_file(source_tree, error)) return source_tree.string();
  return binary.empty() ? source_tree.string() : installed.string();
}

}  // namespace ratingstream::app
