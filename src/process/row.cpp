#include "process/row.hpp"

#include "store/schema.hpp"

#include <uuid/uuid.h>

#include <algorithm>
#include <charconv>

namespace ratingstream::process {

store::Uuid row_id(const RecordPosition& position) {
  // Kafka topic names are at most 249 characters; longer ones are cut, which cannot happen with
  // a topic Kafka accepted.
  // Room for the topic, two '/' and the longest int32 and int64 in decimal.
  char name[256 + 2 + 11 + 20];
  const std::size_t topic_length = std::min<std::size_t>(position.topic.size(), 256);
  std::copy_n(position.topic.data(), topic_length, name);
  char* out = name + topic_length;
  char* const end = name + sizeof name;
  // The buffer always fits; the checks keep that visible to the compiler too.
  if (out < end) *out++ = '/';
  out = std::to_chars(out, end, position.partition).ptr;
  if (out < end) *out++ = '/';
  out = std::to_chars(out, end, position.offset).ptr;

  uuid_t ns;
  std::copy(kRowIdNamespace.begin(), kRowIdNamespace.end(), ns);
  uuid_t id;
  uuid_generate_sha1(id, ns, name, static_cast<std::size_t>(out - name));
  store::Uuid result;
  std::copy(std::begin(id), std::end(id), result.begin());
  return result;
}

Row make_row(const rating::DecodedRating& rating, const catalogue::Film* film, const RecordPosition& position) {
  Row row;
  row.name.assign(rating.name);
  // Floor, not truncation towards zero, so instants before 1970 also round to the earlier ms.
  const std::int64_t us = rating.timestamp_us;
  row.timestamp = store::Timestamp{us / 1000 - (us % 1000 < 0 ? 1 : 0)};
  row.id = row_id(position);
  row.rating_movie = rating.rating;
  row.film = film;
  if (film == nullptr) row.unmatched_movie.assign(rating.movie);
  return row;
}

std::optional<Row> join(const rating::DecodedRating& rating, const catalogue::Catalogue& catalogue,
                        JoinMode mode, const RecordPosition& position) {
  const catalogue::Film* film = catalogue.find(rating.movie);
  if (film == nullptr && mode == JoinMode::inner) return std::nullopt;
  return make_row(rating, film, position);
}

std::array<store::BoundValue, kRowColumnCount> bind_row(const Row& row) {
  using store::BoundValue;
  const catalogue::Film* film = row.film;
  const auto text_or_null = [&](const std::string catalogue::Film::*column) {
    return film != nullptr ? BoundValue::of_text(film->*column) : BoundValue::null();
  };
  const auto int_or_null = [&](std::int32_t catalogue::Film::*column) {
    return film != nullptr ? BoundValue::of_int32(film->*column) : BoundValue::null();
  };
  return {
      BoundValue::of_text(row.name),                    // name
      BoundValue::of_timestamp(row.timestamp),          // timestamp
      BoundValue::of_uuid(row.id),                      // id
      text_or_null(&catalogue::Film::country),          // country
      text_or_null(&catalogue::Film::director),         // director
      int_or_null(&catalogue::Film::duration_minutes),  // duration
      BoundValue::of_text(row.movie()),                 // movie
      text_or_null(&catalogue::Film::age_rating),       // rating
      BoundValue::of_int32(row.rating_movie),           // rating_movie
      int_or_null(&catalogue::Film::release_year),      // release_year
      text_or_null(&catalogue::Film::show_id),          // show_id
  };
}

std::string insert_statement(std::string_view keyspace, std::string_view table) {
  std::string columns;
  std::string markers;
  for (const auto column : kRowColumns) {
    if (!columns.empty()) {
      columns += ", ";
      markers += ", ";
    }
    columns += store::quote_identifier(column);
    markers += '?';
  }
  return "INSERT INTO " + store::quote_identifier(keyspace) + "." + store::quote_identifier(table) + " (" + columns +
         ") VALUES (" + markers + ")";
}

}  // namespace ratingstream::process
