// The join and the Cassandra row: deterministic ids (checked against Python's uuid.uuid5),
// millisecond timestamps, inner and left joins, duplicate and non-ASCII titles, bound values.

#include "process/row.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "process/partition_batches.hpp"

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

TEST(RowId, MatchesAnIndependentUuid5Computation) {
  // python3 -c 'import uuid; n = "1c513856-3283-4955-85bc-05d375acdac7"
  //   print(uuid.uuid5(uuid.UUID(n), "15:Stelios Giagkos,13:Twin Harbours,1741894010863211,7"))'
  // (and "6:Ζωή,0:,-1,10" for the second: byte counts of UTF-8, an empty movie, before 1970)
  EXPECT_EQ(row_id("Stelios Giagkos", 1'741'894'010'863'211, "Twin Harbours", 7),
            uuid("2cb153c2-1e69-54d2-96a7-ebad9b727f24"));
  EXPECT_EQ(row_id("Ζωή", -1, "", 10), uuid("875fd8cb-53ed-58b9-ab4d-53d6da0ba4c9"));
  EXPECT_EQ(kRowIdNamespace, uuid("1c513856-3283-4955-85bc-05d375acdac7"));
}

// The id is a function of the rating alone: the same rating read again (a replay, a producer's
// retry, a mirrored topic) gets the same id and so overwrites its own row, whatever partition or
// offset it came from; any field that differs gives another id.
TEST(RowId, IsAVersion5UuidOfTheRatingsContent) {
  const auto id = row_id("Ann Lee", 1'000'000, "Twin Harbours", 7);
  EXPECT_EQ(id, row_id(rating::DecodedRating{"Ann Lee", "Twin Harbours", 7, 1'000'000}));
  EXPECT_EQ(id[6] >> 4, 5);       // version 5
  EXPECT_EQ(id[8] & 0xC0, 0x80);  // RFC 4122 variant
  std::set<store::Uuid> ids{id};
  ids.insert(row_id("Ann Leo", 1'000'000, "Twin Harbours", 7));
  ids.insert(row_id("Ann Lee", 1'000'001, "Twin Harbours", 7));  // one microsecond apart
  ids.insert(row_id("Ann Lee", 1'000'000, "Twin Harbour", 7));
  ids.insert(row_id("Ann Lee", 1'000'000, "Twin Harbours", 8));
  // The lengths keep the fields apart: moving characters between name and movie is another id.
  ids.insert(row_id("Ann Lee,", 1'000'000, "Twin Harbours", 7));
  ids.insert(row_id("Ann Lee", 1'000'000, ",Twin Harbours", 7));
  ids.insert(row_id("A", 1'000'000, "1:B", 7));
  ids.insert(row_id("A,1:B", 1'000'000, "", 7));
  EXPECT_EQ(ids.size(), 9u);
  // Long fields (the decoder takes values up to 64 KiB) and extreme instants fit.
  const std::string long_name(60'000, 'n');
  EXPECT_NE(row_id(long_name, INT64_MAX, long_name, 10), row_id(long_name, INT64_MIN, long_name, 10));
}

TEST(RowId, AllocatesNothingOnceWarm) {
  (void)row_id("Stelios Giagkos", 1, "Twin Harbours", 7);
  EXPECT_EQ(testing::allocations_during([] {
              for (int i = 0; i < 100; ++i) (void)row_id("Stelios Giagkos", i, "Twin Harbours", 7);
            }),
            0);
}

TEST(Row, TakesEveryColumnFromTheRatingAndTheFilm) {
  const auto catalogue = sample_catalogue();
  const auto row = join(a_rating("Salt, Smoke and Silver"), catalogue, JoinMode::inner);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->name, "Stelios Giagkos");
  EXPECT_EQ(row->timestamp, store::Timestamp{1'741'894'010'863});
  EXPECT_EQ(row->id, row_id("Stelios Giagkos", 1'741'894'010'863'211, "Salt, Smoke and Silver", 7));
  EXPECT_EQ(row->rating_movie, 7);
  EXPECT_EQ(row->movie(), "Salt, Smoke and Silver");
  ASSERT_NE(row->film, nullptr);
  EXPECT_EQ(row->film->show_id, "s3");
}

TEST(Row, TimestampIsTruncatedToMilliseconds) {
  const auto catalogue = sample_catalogue();
  const auto at = [&](std::int64_t us) {
    return join(a_rating("Twin Harbours", us), catalogue, JoinMode::inner)->timestamp.millis;
  };
  EXPECT_EQ(at(1'741'894'010'863'211), 1'741'894'010'863);
  EXPECT_EQ(at(1'741'894'010'863'999), 1'741'894'010'863);  // truncated, not rounded
  EXPECT_EQ(at(1'741'894'010'863'000), 1'741'894'010'863);
  EXPECT_EQ(at(0), 0);
  EXPECT_EQ(at(-1), -1);  // before 1970: towards the past, like every later instant
  EXPECT_EQ(at(-1000), -1);
  EXPECT_EQ(at(-1001), -2);
}

TEST(Join, InnerDropsUnmatchedAndLeftKeepsThemWithUnsetCatalogueColumns) {
  const auto catalogue = sample_catalogue();
  EXPECT_FALSE(join(a_rating("Not In The Catalogue"), catalogue, JoinMode::inner).has_value());
  const auto left = join(a_rating("Not In The Catalogue"), catalogue, JoinMode::left);
  ASSERT_TRUE(left.has_value());
  EXPECT_EQ(left->film, nullptr);
  EXPECT_EQ(left->movie(), "Not In The Catalogue");
  const auto values = bind_row(*left);
  for (const auto column : {"country", "director", "duration", "rating", "release_year", "show_id"}) {
    const auto& columns = store::kRatingTableColumns;
    const auto index = static_cast<std::size_t>(
        std::find_if(columns.begin(), columns.end(), [&](const auto& c) { return c.name == column; }) -
        columns.begin());
    EXPECT_EQ(values[index].type, BoundValue::Type::unset) << column;  // no tombstones
  }
  EXPECT_EQ(values[6].type, BoundValue::Type::text);
  EXPECT_EQ(values[6].text(), "Not In The Catalogue");
  // A matched rating is the same under both joins.
  const auto inner = join(a_rating("Twin Harbours"), catalogue, JoinMode::inner);
  const auto left_matched = join(a_rating("Twin Harbours"), catalogue, JoinMode::left);
  ASSERT_TRUE(inner && left_matched);
  EXPECT_EQ(inner->film, left_matched->film);
}

TEST(Join, DuplicateTitlesJoinTheFirstRow) {
  const auto catalogue = sample_catalogue();
  const auto row = join(a_rating("Twin Harbours"), catalogue, JoinMode::inner);
  ASSERT_TRUE(row && row->film);
  EXPECT_EQ(row->film->show_id, "s2");
  EXPECT_EQ(row->film->director, "Ottilie Marsh");
}

TEST(Join, NonAsciiTitlesMatchExactly) {
  const auto catalogue = sample_catalogue();
  const auto greek = join(a_rating("Ζωή στο Λιμάνι"), catalogue, JoinMode::inner);
  ASSERT_TRUE(greek && greek->film);
  EXPECT_EQ(greek->film->show_id, "s1");
  const auto japanese = join(a_rating("東京の小さな灯り"), catalogue, JoinMode::inner);
  ASSERT_TRUE(japanese && japanese->film);
  EXPECT_EQ(japanese->film->director, "Not Given");
  EXPECT_FALSE(join(a_rating("ζωή στο λιμάνι"), catalogue, JoinMode::inner).has_value());
  EXPECT_FALSE(join(a_rating("Ζωή στο Λιμάνι "), catalogue, JoinMode::inner).has_value());
}

TEST(Row, OwnsItsTextSoTheDecoderCanMoveOn) {
  const auto catalogue = sample_catalogue();
  rating::RatingDecoder decoder;
  const auto first = decoder.decode(
      R"({"name":"A person with a rather long name","movie":"Not Matched At All, Long Title","rating":3,"timestamp":"2025-03-13T19:26:50Z"})");
  const auto row = join(std::get<rating::DecodedRating>(first), catalogue, JoinMode::left);
  const auto second = decoder.decode(
      R"({"name":"Somebody else entirely, also long","movie":"Another title that overwrites things","rating":4,"timestamp":"2025-03-13T19:26:50Z"})");
  ASSERT_TRUE(std::holds_alternative<rating::DecodedRating>(second));
  EXPECT_EQ(row->name, "A person with a rather long name");
  EXPECT_EQ(row->movie(), "Not Matched At All, Long Title");
}

TEST(Row, AMatchedRowCopiesOnlyTheName) {
  const auto catalogue = sample_catalogue();
  const auto rating = a_rating("Salt, Smoke and Silver");             // the name fits the small-string buffer
  std::optional<Row> row = join(rating, catalogue, JoinMode::inner);  // grows the id's buffer once
  const long allocations = testing::allocations_during([&] { row = join(rating, catalogue, JoinMode::inner); });
  EXPECT_EQ(allocations, 0);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->movie(), "Salt, Smoke and Silver");
}

TEST(BindRow, GivesTheValuesInTheColumnOrderOfTheTable) {
  std::vector<std::string_view> names;
  for (const auto& c : store::kRatingTableColumns) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string_view>{"name", "timestamp", "id", "country", "director", "duration", "movie",
                                                  "rating", "rating_movie", "release_year", "show_id"}));
  const auto catalogue = sample_catalogue();
  const auto row = join(a_rating("Ζωή στο Λιμάνι"), catalogue, JoinMode::inner);
  const auto v = bind_row(*row);
  EXPECT_EQ(v[0].type, BoundValue::Type::text);
  EXPECT_EQ(v[0].text(), "Stelios Giagkos");
  EXPECT_EQ(v[1].type, BoundValue::Type::timestamp);
  EXPECT_EQ(v[1].integer, 1'741'894'010'863);
  EXPECT_EQ(v[2].type, BoundValue::Type::uuid);
  EXPECT_EQ(v[2].uuid, row->id);
  EXPECT_EQ(v[3].text(), "Greece");
  EXPECT_EQ(v[4].text(), "Eleni Marangou");
  EXPECT_EQ(v[5].type, BoundValue::Type::int32);
  EXPECT_EQ(v[5].integer, 88);
  EXPECT_EQ(v[6].text(), "Ζωή στο Λιμάνι");
  EXPECT_EQ(v[7].type, BoundValue::Type::text);
  EXPECT_EQ(v[7].text(), "TV-14");
  EXPECT_EQ(v[8].type, BoundValue::Type::int32);
  EXPECT_EQ(v[8].integer, 7);
  EXPECT_EQ(v[9].type, BoundValue::Type::int32);
  EXPECT_EQ(v[9].integer, 2020);
  EXPECT_EQ(v[10].text(), "s1");
  // Text is borrowed, not copied: it points at the row and the catalogue.
  EXPECT_EQ(v[0].text().data(), row->name.data());
  EXPECT_EQ(v[6].text().data(), row->film->title.data());
}

TEST(InsertStatement, NamesEveryColumnAndHasOneMarkerPerColumn) {
  EXPECT_EQ(insert_statement("netflix", "movie_ratings"),
            "INSERT INTO netflix.movie_ratings (name, timestamp, id, country, director, duration, movie, "
            "rating, rating_movie, release_year, show_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  // Names that are not plain lower case keep their exact spelling.
  EXPECT_EQ(insert_statement("MyKs", "t").substr(0, 20), "INSERT INTO \"MyKs\".t");
}

TEST(Row, ATableWithARetentionBindsEachRowsTimeToLiveLast) {
  EXPECT_EQ(insert_statement("ks", "t", {}, true).substr(insert_statement("ks", "t").size()), " USING TTL ?");
  std::vector<Row> rows(2);
  rows[0].name = "Ann";
  rows[0].timestamp = store::Timestamp{1'000'000};
  rows[1].name = "Ann";
  rows[1].timestamp = store::Timestamp{0};
  std::vector<std::size_t> order{0, 1};
  std::vector<store::BoundValue> values;
  bind_in_partition_batches(rows, order, 64, values, {},
                            store::ExpiryCheck{std::chrono::seconds{3600}, store::Timestamp{1'500'000}});
  ASSERT_EQ(values.size(), 2 * (kRowColumnCount + 1));
  EXPECT_EQ(values[kRowColumnCount].type, store::BoundValue::Type::int32);
  EXPECT_EQ(values[kRowColumnCount].integer, 3600 - 500);  // an hour after 1,000 s, seen at 1,500 s
  EXPECT_EQ(values[2 * kRowColumnCount + 1].integer, 3600 - 1500);
}

TEST(Row, ABucketedTablesInsertBindsTheRowsBucketAfterItsName) {
  EXPECT_EQ(insert_statement("netflix", "movie_ratings", store::TableLayout{store::BucketSize::hour}),
            "INSERT INTO netflix.movie_ratings (name, bucket, timestamp, id, country, director, duration, movie, "
            "rating, rating_movie, release_year, show_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  Row row;
  row.name = "Ann";
  row.timestamp = store::Timestamp{3 * 3'600'000 + 59 * 60'000};  // 03:59 on 1 January 1970
  row.unmatched_movie = "Film";
  std::vector<store::BoundValue> values;
  append_row_values(row, store::TableLayout{}, values);
  EXPECT_EQ(values.size(), kRowColumnCount);
  append_row_values(row, store::TableLayout{store::BucketSize::hour}, values);
  ASSERT_EQ(values.size(), 2 * kRowColumnCount + 1);
  const auto* bucketed = values.data() + kRowColumnCount;
  EXPECT_EQ(bucketed[0].text(), "Ann");
  EXPECT_EQ(bucketed[1].type, store::BoundValue::Type::timestamp);
  EXPECT_EQ(bucketed[1].integer, 3 * 3'600'000);
  EXPECT_EQ(bucketed[2].integer, row.timestamp.millis);
  EXPECT_EQ(bucketed[7].text(), "Film");  // movie: the columns after the bucket keep their order
}

}  // namespace
}  // namespace ratingstream::process
