#include "process/row.hpp"

#include <uuid/uuid.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "store/schema.hpp"

namespace ratingstream::process {

store::Uuid row_id(std::string_view name, std::int64_t timestamp_us, std::string_view movie, int rating) {
  thread_local std::string content;
  content.clear();
  char number[24];
  const auto append_number = [&](auto value) {
    content.append(number, static_cast<std::size_t>(std::to_chars(number, number + sizeof number, value).ptr - number));
  };
  append_number(name.size());
  content += ':';
  content += name;
  content += ',';
  append_number(movie.size());
  content += ':';
  content += movie;
  content += ',';
  append_number(timestamp_us);
  content += ',';
  append_number(rating);

  uuid_t ns;
  std::copy(kRowIdNamespace.begin(), kRowIdNamespace.end(), ns);
  uuid_t id;
  uuid_generate_sha1(id, ns, content.data(), content.size());
  store::Uuid result;
  std::copy(std::begin(id), std::end(id), result.begin());
  return result;
}

store::Uuid row_id(const rating::DecodedRating& rating) {
  return row_id(rating.name, rating.timestamp_us, rating.movie, rating.rating);
}

Row make_row(const rating::DecodedRating& rating, const catalogue::Film* film) {
  Row row;
  row.name.assign(rating.name);
  // Floor, not truncation towards zero, so instants before 1970 also round to the earlier ms.
  const std::chrono::microseconds us{rating.timestamp_us};
  row.timestamp = store::Timestamp{std::chrono::floor<std::chrono::milliseconds>(us).count()};
  row.id = row_id(rating);
  row.rating_movie = rating.rating;
  row.film = film;
  if (film == nullptr) row.unmatched_movie.assign(rating.movie);
  return row;
}

std::optional<Row> join(const rating::DecodedRating& rating, const catalogue::Catalogue& catalogue, JoinMode mode) {
  const catalogue::Film* film = catalogue.find(rating.movie);
  if (film == nullptr && mode == JoinMode::inner) return std::nullopt;
  return make_row(rating, film);
}

std::array<store::BoundValue, kRowColumnCount> bind_row(const Row& row) {
  using store::BoundValue;
  const catalogue::Film* film = row.film;
  // An unmatched row (--join left) leaves its film columns unset, not null: a null is a cell
  // tombstone per column, written for every such row and read past by every query after it.
  const auto text_or_unset = [&](const std::string catalogue::Film::*column) {
    return film != nullptr ? BoundValue::of_text(film->*column) : BoundValue::unset();
  };
  const auto int_or_unset = [&](std::int32_t catalogue::Film::*column) {
    return film != nullptr ? BoundValue::of_int32(film->*column) : BoundValue::unset();
  };
  return {
      BoundValue::of_text(row.name),                     // name
      BoundValue::of_timestamp(row.timestamp),           // timestamp
      BoundValue::of_uuid(row.id),                       // id
      text_or_unset(&catalogue::Film::country),          // country
      text_or_unset(&catalogue::Film::director),         // director
      int_or_unset(&catalogue::Film::duration_minutes),  // duration
      BoundValue::of_text(row.movie()),                  // movie
      text_or_unset(&catalogue::Film::age_rating),       // rating
      BoundValue::of_int32(row.rating_movie),            // rating_movie
      int_or_unset(&catalogue::Film::release_year),      // release_year
      text_or_unset(&catalogue::Film::show_id),          // show_id
  };
}

std::string insert_statement(std::string_view keyspace, std::string_view table) {
  std::string columns;
  std::string markers;
  for (const auto& column : store::kRatingTableColumns) {
    if (!columns.empty()) {
      columns += ", ";
      markers += ", ";
    }
    columns += store::quote_identifier(column.name);
    markers += '?';
  }
  const store::TableRef ref{std::string(keyspace), std::string(table)};
  return "INSERT INTO " + store::qualified_name(ref, store::NameQuoting::for_cql) + " (" + columns + ") VALUES (" +
         markers + ")";
}

}  // namespace ratingstream::process
