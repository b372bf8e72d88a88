#include "store/table_layout.hpp"

#include <fmt/format.h>

namespace ratingstream::store {

namespace {
constexpr std::string_view kCommentPrefix = "ratingstream: bucket=";
}

std::string TableLayout::describe() const {
  return bucket ? fmt::format("bucketed by {}", bucket_size_name(*bucket)) : std::string("the original layout");
}

std::string layout_comment(BucketSize bucket) { return fmt::format("{}{}", kCommentPrefix, bucket_size_name(bucket)); }

std::optional<BucketSize> bucket_of_comment(std::string_view comment) {
  if (!comment.starts_with(kCommentPrefix)) return std::nullopt;
  return parse_bucket_size(comment.substr(kCommentPrefix.size()));
}

}  // namespace ratingstream::store
