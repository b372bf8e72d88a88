#pragma once
// The join and the Cassandra row (SPEC: Cassandra table): a decoded rating, the catalogue film
// whose title equals its movie, and the record's Kafka position make one row of
// netflix.movie_ratings.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "catalogue/catalogue.hpp"
#include "rating/decode.hpp"
#include "store/session.hpp"

namespace ratingstream::process {

// Where a record is in Kafka; it names the record and so its row.
struct RecordPosition {
  std::string_view topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
};

// The namespace of every row id, fixed for the project (a random v4 UUID drawn once,
// a3d74a49-7807-41a0-9ba7-0518eb115378). Changing it changes every id, so a replay of old records
// would write new rows beside the old ones instead of overwriting them: never change it.
inline constexpr store::Uuid kRowIdNamespace{0xa3, 0xd7, 0x4a, 0x49, 0x78, 0x07, 0x41, 0xa0,
                                             0x9b, 0xa7, 0x05, 0x18, 0xeb, 0x11, 0x53, 0x78};

// UUID version 5 (RFC 4122, SHA-1) of "<topic>/<partition>/<offset>" under kRowIdNamespace: the
// same record always gets the same id, so a replay overwrites its row (SPEC). No allocation.
store::Uuid row_id(const RecordPosition& position);

// One row of the table. It owns its text (the decoder's buffers are reused for the next record)
// except the catalogue columns, which point into the catalogue (alive for the whole run).
struct Row {
  std::string name;
  store::Timestamp timestamp;           // the rating's time, truncated to milliseconds
  store::Uuid id{};
  std::int32_t rating_movie = 0;        // the person's rating, 1..10
  const catalogue::Film* film = nullptr;  // nullptr: not in the catalogue (left join), columns null
  std::string unmatched_movie;          // the title as received, kept only when film is nullptr

  // The title: the catalogue's copy when matched (equal by definition of the join), so a
  // matched row does not copy it.
  std::string_view movie() const { return film != nullptr ? std::string_view(film->title) : unmatched_movie; }
};

// The row of a rating and its film; `film` nullptr leaves the catalogue columns null.
Row make_row(const rating::DecodedRating& rating, const catalogue::Film* film, const RecordPosition& position);

// inner: a rating whose movie is not in the catalogue gives no row (counted as unmatched);
// left: it gives a row whose catalogue columns are null.
enum class JoinMode { inner, left };

// The join by exact title: the row, or nullopt when the movie is unmatched and the join inner.
std::optional<Row> join(const rating::DecodedRating& rating, const catalogue::Catalogue& catalogue,
                        JoinMode mode, const RecordPosition& position);

// The table's columns in the order bind_row gives their values (SPEC's CREATE TABLE order).
inline constexpr std::size_t kRowColumnCount = 11;
inline constexpr std::array<std::string_view, kRowColumnCount> kRowColumns{
    "name", "timestamp", "id", "country", "director", "duration",
    "movie", "rating", "rating_movie", "release_year", "show_id"};

// The row's values in kRowColumns order, for the statement of insert_statement(). Text is
// borrowed: `row` (and the catalogue) must outlive the values.
std::array<store::BoundValue, kRowColumnCount> bind_row(const Row& row);

// `INSERT INTO "<keyspace>"."<table>" ("name", "timestamp", ...) VALUES (?, ..., ?)`.
std::string insert_statement(std::string_view keyspace, std::string_view table);


}  // namespace ratingstream::process
