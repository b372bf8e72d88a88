#pragma once
// The page and its charting library, embedded at build time (embed_assets.cmake generates the
// bytes from web/ and the npm-installed uPlot), so the binary serves them without internet.

#include <span>
#include <string_view>

namespace ratingstream::dashboard {

struct PageAsset {
  std::string_view path;  // as served: "/", "/dashboard.js", "/vendor/uPlot.min.js"
  std::string_view content_type;
  std::string_view bytes;
};

std::span<const PageAsset> page_assets();

}  // namespace ratingstream::dashboard
