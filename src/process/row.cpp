#include "process/row.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <stdexcept>

#include "store/schema.hpp"

namespace ratingstream::process {
namespace {

// SHA-1 through OpenSSL, which uses the CPU's SHA instructions where there are some: a row id took
// 466 ns with libuuid's portable SHA-1 and is the largest cost of the per-record hot path
// (bench/micro). The digest is fetched once, and each thread reuses one context, so no call
// allocates.
class Sha1 {
 public:
  Sha1() : digest_(EVP_MD_fetch(nullptr, "SHA1", nullptr)), context_(EVP_MD_CTX_new()) {
    if (digest_ == nullptr || context_ == nullptr) throw std::runtime_error("OpenSSL has no SHA-1");
  }
  ~Sha1() {
    EVP_MD_CTX_free(context_);
    EVP_MD_free(digest_);
  }
  Sha1(const Sha1&) = delete;
  Sha1& operator=(const Sha1&) = delete;

  // The first 16 bytes of SHA-1(prefix || text).
  store::Uuid first_16(const store::Uuid& prefix, std::string_view text) {
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestInit_ex2(context_, digest_, nullptr) != 1 ||
        EVP_DigestUpdate(context_, prefix.data(), prefix.size()) != 1 ||
        EVP_DigestUpdate(context_, text.data(), text.size()) != 1 || EVP_DigestFinal_ex(context_, hash, &size) != 1 ||
        size < 16) {
      throw std::runtime_error("SHA-1 failed");
    }
    store::Uuid out;
    std::copy(hash, hash + out.size(), out.begin());
    return out;
  }

 private:
  EVP_MD* digest_;
  EVP_MD_CTX* context_;
};

}  // namespace

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

  // UUID version 5 (RFC 4122, 4.3): SHA-1 of the namespace's bytes and the name, the version in
  // the high nibble of byte 6, the RFC's variant in the top bits of byte 8.
  thread_local Sha1 sha1;
  store::Uuid id = sha1.first_16(kRowIdNamespace, content);
  id[6] = static_cast<std::uint8_t>((id[6] & 0x0f) | 0x50);
  id[8] = static_cast<std::uint8_t>((id[8] & 0x3f) | 0x80);
  return id;
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

std::string insert_statement(std::string_view keyspace, std::string_view table, const store::TableLayout& layout,
                             bool with_ttl) {
  std::string columns;
  std::string markers;
  const auto add = [&](std::string_view name) {
    if (!columns.empty()) {
      columns += ", ";
      markers += ", ";
    }
    columns += store::quote_identifier(name);
    markers += '?';
  };
  for (const auto& column : store::kRatingTableColumns) {
    add(column.name);
    if (layout.bucketed() && column.name == "name") add(store::kBucketColumn);
  }
  const store::TableRef ref{std::string(keyspace), std::string(table)};
  return "INSERT INTO " + store::qualified_name(ref, store::NameQuoting::for_cql) + " (" + columns + ") VALUES (" +
         markers + ")" + (with_ttl ? " USING TTL ?" : "");
}

void append_row_values(const Row& row, const store::TableLayout& layout, std::vector<store::BoundValue>& values) {
  const auto bound = bind_row(row);
  if (!layout.bucketed()) {
    values.insert(values.end(), bound.begin(), bound.end());
    return;
  }
  // The bucket follows the name, as insert_statement lists it.
  values.push_back(bound[0]);
  values.push_back(store::BoundValue::of_timestamp(store::bucket_start(*layout.bucket, row.timestamp)));
  values.insert(values.end(), bound.begin() + 1, bound.end());
}

}  // namespace ratingstream::process
