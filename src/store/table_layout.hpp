#pragma once
// The two layouts of the ratings table (docs/data-over-time.md): the original one, byte for byte
// the original system's, and the bucketed one, whose partition key is (name, bucket). A bucketed
// table says its bucket size in its CQL comment, so that every process reads the layout from
// the table itself.

#include <optional>
#include <string>
#include <string_view>

#include "store/time_bucket.hpp"

namespace ratingstream::store {

struct TableLayout {
  std::optional<BucketSize> bucket;  // nullopt: the original layout
  bool bucketed() const { return bucket.has_value(); }
  // "the original layout" or "bucketed by day".
  std::string describe() const;
  friend bool operator==(const TableLayout&, const TableLayout&) = default;
};

// The comment a bucketed table is created with: "ratingstream: bucket=day".
std::string layout_comment(BucketSize bucket);
// The bucket size a table's comment names; nullopt when it names none.
std::optional<BucketSize> bucket_of_comment(std::string_view comment);

}  // namespace ratingstream::store
