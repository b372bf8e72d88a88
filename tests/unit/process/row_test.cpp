// The join and the Cassandra row: deterministic ids (checked against Python's uuid.uuid5),
// millisecond timestamps, inner and left joins, duplicate and non-ASCII titles, bound values.

#include "process/row.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#define RS_DEFINE_ALLOCATION_COUNTER
#include "../allocation_counter.hpp"
#include "catalogue/load.hpp"

namespace ratingstream::process {
namespace {

using store::BoundValue;

// "b1117264-32f9-5dd7-b76e-34ff4ae01972" as bytes.
store::Uuid uuid(std::string_view text) {
  store::Uuid out{};
  std::size_t byte = 0;
  for (std::size_t i = 0; i < text.size(); i += (text[i] == '-') ? 1 : 2) {
    if (text[i] == '-') continue;
    out[byte++] = static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16));
  }
  return out;
}

catalogue::Catalogue sample_catalogue() {
  return catalogue::parse_catalogue(
      "show_id,title,director,country,release_year,rating,duration\n"
      "s1,Ζωή στο Λιμάνι,Eleni Marangou,Greece,2020,TV-14,88\n"
      "s2,Twin Harbours,Ottilie Marsh,United Kingdom,2011,PG-13,102\n"
      "s3,\"Salt, Smoke and Silver\",Tobias Ferrand,France,2021,TV-MA,117\n"
      "s4,Twin Harbours,Jun Takeda,Japan,2022,TV-MA,119\n"
      "s5,東京の小さな灯り,Not Given,Not Given,2023,TV-G,84\n",
      "test catalogue");
}

rating::DecodedRating a_rating(std::string_view movie, std::int64_t timestamp_us = 1'741'894'010'863'211) {
  return {"Stelios Giagkos", movie, 7, timestamp_us};
}

const RecordPosition kAt{"movies_ratings", 0, 0};

TEST(RowId, MatchesAnIndependentUuid5Computation) {
  // python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID("a3d74a49-7807-41a0-9ba7-0518eb115378"), s))'
  EXPECT_EQ(row_id({"movies_ratings", 0, 0}), uuid("b1117264-32f9-5dd7-b76e-34ff4ae01972"));
  EXPECT_EQ(row_id({"movies_ratings", 0, 1}), uuid("f7e6a929-212d-52eb-8feb-fcc8b1084bed"));
  EXPECT_EQ(row_id({"movies_ratings", 2, 42}), uuid("a9fbc3ba-4892-566b-8a11-1cc73391c1b6"));
  EXPECT_EQ(row_id({"movies_ratings", 3, 123456789}), uuid("ec30d7b4-88b7-5ffc-b7e3-bc6af984fa77"));
  EXPECT_EQ(kRowIdNamespace, uuid("a3d74a49-7807-41a0-9ba7-0518eb115378"));
}

TEST(RowId, IsAVersion5UuidThatIsDeterministicAndDifferentPerRecord) {
  const auto id = row_id({"movies_ratings", 1, 7});
  EXPECT_EQ(id, row_id({"movies_ratings", 1, 7}));
  EXPECT_EQ(id[6] >> 4, 5);        // version 5
  EXPECT_EQ(id[8] & 0xC0, 0x80);   // RFC 4122 variant
  std::set<store::Uuid> ids;
  for (std::int64_t offset = 0; offset < 1000; ++offset) ids.insert(row_id({"movies_ratings", 0, offset}));
  for (std::int32_t partition = 1; partition < 10; ++partition) ids.insert(row_id({"movies_ratings", partition, 0}));
  ids.insert(row_id({"other_topic", 0, 0}));
  EXPECT_EQ(ids.size(), 1000u + 9u + 1u);
  // "a/1/23" and "a/12/3" are different names: the separators keep them apart.
  EXPECT_NE(row_id({"a", 1, 23}), row_id({"a", 12, 3}));
  // The largest offset and a topic of Kafka's maximum length fit.
  const std::string long_topic(249, 't');
  EXPECT_NE(row_id({long_topic, 2147483647, 9223372036854775807}), row_id({long_topic, 2147483647, 0}));
}

TEST(Row, TakesEveryColumnFromTheRatingTheFilmAndThePosition) {
  const auto catalogue = sample_catalogue();
  const auto row = join(a_rating("Salt, Smoke and Silver"), catalogue, JoinMode::inner, {"movies_ratings", 2, 42});
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->name, "Stelios Giagkos");
  EXPECT_EQ(row->timestamp, store::Timestamp{1'741'894'010'863});
  EXPECT_EQ(row->id, uuid("a9fbc3ba-4892-566b-8a11-1cc73391c1b6"));
  EXPECT_EQ(row->rating_movie, 7);
  EXPECT_EQ(row->movie(), "Salt, Smoke and Silver");
  ASSERT_NE(row->film, nullptr);
  EXPECT_EQ(row->film->show_id, "s3");
}

TEST(Row, TimestampIsTruncatedToMilliseconds) {
  const auto catalogue = sample_catalogue();
  const auto at = [&](std::int64_t us) { return join(a_rating("Twin Harbours", us), catalogue, JoinMode::inner, kAt)->timestamp.millis; };
  EXPECT_EQ(at(1'741'894'010'863'211), 1'741'894'010'863);
  EXPECT_EQ(at(1'741'894'010'863'999), 1'741'894'010'863);  // truncated, not rounded
  EXPECT_EQ(at(1'741'894'010'863'000), 1'741'894'010'863);
  EXPECT_EQ(at(0), 0);
  EXPECT_EQ(at(-1), -1);      // before 1970: towards the past, like every later instant
  EXPECT_EQ(at(-1000), -1);
  EXPECT_EQ(at(-1001), -2);
}

TEST(Join, InnerDropsUnmatchedAndLeftKeepsThemWithNullCatalogueColumns) {
  const auto catalogue = sample_catalogue();
  EXPECT_FALSE(join(a_rating("Not In The Catalogue"), catalogue, JoinMode::inner, kAt).has_value());
  const auto left = join(a_rating("Not In The Catalogue"), catalogue, JoinMode::left, kAt);
  ASSERT_TRUE(left.has_value());
  EXPECT_EQ(left->film, nullptr);
  EXPECT_EQ(left->movie(), "Not In The Catalogue");
  const auto values = bind_row(*left);
  for (const auto column : {"country", "director", "duration", "rating", "release_year", "show_id"}) {
    const auto index = static_cast<std::size_t>(std::find(kRowColumns.begin(), kRowColumns.end(), column) - kRowColumns.begin());
    EXPECT_EQ(values[index].type, BoundValue::Type::null) << column;
  }
  EXPECT_EQ(values[6].type, BoundValue::Type::text);
  EXPECT_EQ(values[6].text, "Not In The Catalogue");
  // A matched rating is the same under both joins.
  const auto inner = join(a_rating("Twin Harbours"), catalogue, JoinMode::inner, kAt);
  const auto left_matched = join(a_rating("Twin Harbours"), catalogue, JoinMode::left, kAt);
  ASSERT_TRUE(inner && left_matched);
  EXPECT_EQ(inner->film, left_matched->film);
}

TEST(Join, DuplicateTitlesJoinTheFirstRow) {
  const auto catalogue = sample_catalogue();
  const auto row = join(a_rating("Twin Harbours"), catalogue, JoinMode::inner, kAt);
  ASSERT_TRUE(row && row->film);
  EXPECT_EQ(row->film->show_id, "s2");
  EXPECT_EQ(row->film->director, "Ottilie Marsh");
}

TEST(Join, NonAsciiTitlesMatchExactly) {
  const auto catalogue = sample_catalogue();
  const auto greek = join(a_rating("Ζωή στο Λιμάνι"), catalogue, JoinMode::inner, kAt);
  ASSERT_TRUE(greek && greek->film);
  EXPECT_EQ(greek->film->show_id, "s1");
  const auto japanese = join(a_rating("東京の小さな灯り"), catalogue, JoinMode::inner, kAt);
  ASSERT_TRUE(japanese && japanese->film);
  EXPECT_EQ(japanese->film->director, "Not Given");
  EXPECT_FALSE(join(a_rating("ζωή στο λιμάνι"), catalogue, JoinMode::inner, kAt).has_value());
  EXPECT_FALSE(join(a_rating("Ζωή στο Λιμάνι "), catalogue, JoinMode::inner, kAt).has_value());
}

TEST(Row, OwnsItsTextSoTheDecoderCanMoveOn) {
  const auto catalogue = sample_catalogue();
  rating::RatingDecoder decoder;
  const auto first = decoder.decode(
      R"({"name":"A person with a rather long name","movie":"Not Matched At All, Long Title","rating":3,"timestamp":"2025-03-13T19:26:50Z"})");
  const auto row = join(std::get<rating::DecodedRating>(first), catalogue, JoinMode::left, kAt);
  const auto second = decoder.decode(
      R"({"name":"Somebody else entirely, also long","movie":"Another title that overwrites things","rating":4,"timestamp":"2025-03-13T19:26:50Z"})");
  ASSERT_TRUE(std::holds_alternative<rating::DecodedRating>(second));
  EXPECT_EQ(row->name, "A person with a rather long name");
  EXPECT_EQ(row->movie(), "Not Matched At All, Long Title");
}

TEST(Row, AMatchedRowCopiesOnlyTheName) {
  const auto catalogue = sample_catalogue();
  const auto rating = a_rating("Salt, Smoke and Silver");  // the name fits the small-string buffer
  std::optional<Row> row;
  const long allocations = testing::allocations_during([&] { row = join(rating, catalogue, JoinMode::inner, kAt); });
  EXPECT_EQ(allocations, 0);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->movie(), "Salt, Smoke and Silver");
}

TEST(BindRow, GivesTheValuesInTheColumnOrderOfTheTable) {
  EXPECT_EQ(kRowColumns, (std::array<std::string_view, kRowColumnCount>{
                             "name", "timestamp", "id", "country", "director", "duration", "movie", "rating",
                             "rating_movie", "release_year", "show_id"}));
  const auto catalogue = sample_catalogue();
  const auto row = join(a_rating("Ζωή στο Λιμάνι"), catalogue, JoinMode::inner, {"movies_ratings", 0, 1});
  const auto v = bind_row(*row);
  EXPECT_EQ(v[0].type, BoundValue::Type::text);
  EXPECT_EQ(v[0].text, "Stelios Giagkos");
  EXPECT_EQ(v[1].type, BoundValue::Type::timestamp);
  EXPECT_EQ(v[1].integer, 1'741'894'010'863);
  EXPECT_EQ(v[2].type, BoundValue::Type::uuid);
  EXPECT_EQ(v[2].uuid, uuid("f7e6a929-212d-52eb-8feb-fcc8b1084bed"));
  EXPECT_EQ(v[3].text, "Greece");
  EXPECT_EQ(v[4].text, "Eleni Marangou");
  EXPECT_EQ(v[5].type, BoundValue::Type::int32);
  EXPECT_EQ(v[5].integer, 88);
  EXPECT_EQ(v[6].text, "Ζωή στο Λιμάνι");
  EXPECT_EQ(v[7].type, BoundValue::Type::text);
  EXPECT_EQ(v[7].text, "TV-14");
  EXPECT_EQ(v[8].type, BoundValue::Type::int32);
  EXPECT_EQ(v[8].integer, 7);
  EXPECT_EQ(v[9].type, BoundValue::Type::int32);
  EXPECT_EQ(v[9].integer, 2020);
  EXPECT_EQ(v[10].text, "s1");
  // Text is borrowed, not copied: it points at the row and the catalogue.
  EXPECT_EQ(v[0].text.data(), row->name.data());
  EXPECT_EQ(v[6].text.data(), row->film->title.data());
}

TEST(InsertStatement, NamesEveryColumnAndHasOneMarkerPerColumn) {
  EXPECT_EQ(insert_statement("netflix", "movie_ratings"),
            "INSERT INTO netflix.movie_ratings (name, timestamp, id, country, director, duration, movie, "
            "rating, rating_movie, release_year, show_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  // Names that are not plain lower case keep their exact spelling.
  EXPECT_EQ(insert_statement("MyKs", "t").substr(0, 20), "INSERT INTO \"MyKs\".t");
}

}  // namespace
}  // namespace ratingstream::process
