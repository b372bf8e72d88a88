#pragma once
// The join and the Cassandra row (docs/contract.md, "The table" and "The catalogue and the join"):
// a decoded rating and the catalogue film whose title equals its movie make one row of the ratings
// table.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "rating/decode.hpp"
#include "store/schema.hpp"
#include "store/session.hpp"

namespace ratingstream::process {

// The namespace of every row id, fixed for the project (a random v4 UUID drawn once,
// 1c513856-3283-4955-85bc-05d375acdac7). Changing it changes every id, so a replay of old records
// would write new rows beside the old ones instead of overwriting them: never change it.
inline constexpr store::Uuid kRowIdNamespace{0x1c, 0x51, 0x38, 0x56, 0x32, 0x83, 0x49, 0x55,
                                             0x85, 0xbc, 0x05, 0xd3, 0x75, 0xac, 0xda, 0xc7};

// The row id of a rating (docs/contract.md, "Row ids"): UUID version 5 (RFC 4122, SHA-1) under
// kRowIdNamespace of the rating's content,
//   "<bytes of name>:<name>,<bytes of movie>:<movie>,<timestamp in microseconds UTC>,<rating>"
// (byte counts in decimal, so no field can run into the next). A rating read twice, whether
// replayed, produced twice or copied to another topic, gets one id and so one row; two ratings
// equal in all four fields to the microsecond are one rating. No allocation once the thread's
// buffer has grown to the longest rating.
store::Uuid row_id(std::string_view name, std::int64_t timestamp_us, std::string_view movie, int rating);
store::Uuid row_id(const rating::DecodedRating& rating);

// One row of the table. It owns its text (the decoder's buffers are reused for the next record)
// except the catalogue columns, which point into the catalogue (alive for the whole run).
struct Row {
  std::string name;
  store::Timestamp timestamp;  // the rating's time, truncated to milliseconds
  store::Uuid id{};
  std::int32_t rating_movie = 0;          // the person's rating, 1..10
  const catalogue::Film* film = nullptr;  // nullptr: not in the catalogue (left join), columns null
  std::string unmatched_movie;            // the title as received, kept only when film is nullptr

  // The title: the catalogue's copy when matched (equal by definition of the join), so a
  // matched row does not copy it.
  std::string_view movie() const { return film != nullptr ? std::string_view(film->title) : unmatched_movie; }
};

// The row of a rating and its film; `film` nullptr leaves the catalogue columns null.
Row make_row(const rating::DecodedRating& rating, const catalogue::Film* film);

// inner: a rating whose movie is not in the catalogue gives no row (counted as unmatched);
// left: it gives a row whose catalogue columns are null.
enum class JoinMode { inner, left };

// The join by exact title: the row, or nullopt when the movie is unmatched and the join inner.
std::optional<Row> join(const rating::DecodedRating& rating, const catalogue::Catalogue& catalogue, JoinMode mode);

// bind_row gives a row's values in the table's declared order, store::kRatingTableColumns.
inline constexpr std::size_t kRowColumnCount = store::kRatingTableColumns.size();

// The row's values in store::kRatingTableColumns order, for the statement of insert_statement(). Text is
// borrowed: `row` (and the catalogue) must outlive the values. An unmatched row's film columns
// are unset (nothing written for them), not null.
std::array<store::BoundValue, kRowColumnCount> bind_row(const Row& row);

// `INSERT INTO "<keyspace>"."<table>" ("name", "timestamp", ...) VALUES (?, ..., ?)`; a bucketed
// table's bucket column follows the name.
// With `with_ttl`, `... USING TTL ?`: each row's time to live is bound after its columns.
std::string insert_statement(std::string_view keyspace, std::string_view table, const store::TableLayout& layout = {},
                             bool with_ttl = false);

// Appends the row's values for insert_statement(..., layout) to `values`: bind_row's, and in a
// bucketed table the start of the row's bucket after the name. Text is borrowed as in bind_row.
void append_row_values(const Row& row, const store::TableLayout& layout, std::vector<store::BoundValue>& values);

}  // namespace ratingstream::process
