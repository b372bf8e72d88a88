// The pure middle of a batch: every record ends in exactly one of written (a row), unmatched or
// rejected(reason), and the counts say so; rejected records keep their bytes for the dead-letter
// topic; rows carry the position they came from.

#include "process/prepared_batch.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "catalogue/load.hpp"

namespace ratingstream::process {
namespace {

using rating::RejectReason;

catalogue::Catalogue test_catalogue() {
  return catalogue::parse_catalogue(
      "show_id,title,director,country,release_year,rating,duration\n"
      "s1,Ζωή στο Λιμάνι,Eleni Marangou,Greece,2020,TV-14,88\n"
      "s2,Twin Harbours,Ottilie Marsh,United Kingdom,2011,PG-13,102\n",
      "test catalogue");
}

// Values live in a vector of strings owned by the test; records view them.
struct Records {
  std::vector<std::string> values;
  std::vector<kafka::Record> list;

  Records& add(std::int32_t partition, std::int64_t offset, std::optional<std::string> value,
               std::optional<std::string_view> key = "Ann") {
    values.reserve(64);  // views must stay valid: no reallocation in a test
    kafka::Record r;
    r.partition = partition;
    r.offset = offset;
    r.key = key;
    if (value) {
      values.push_back(std::move(*value));
      r.value = values.back();
    }
    list.push_back(std::move(r));
    return *this;
  }
};

std::string rating_json(std::string_view movie, int rating = 7,
                        std::string_view timestamp = "2025-03-13T19:26:50.863211Z") {
  return std::string(R"({"name":"Ann","movie":")") + std::string(movie) + R"(","rating":)" + std::to_string(rating) +
         R"(,"timestamp":")" + std::string(timestamp) + R"("})";
}

std::size_t index_of(RejectReason reason) { return static_cast<std::size_t>(reason); }

Records mixed_records() {
  Records r;
  r.add(0, 10, rating_json("Twin Harbours"))                                                      // written
      .add(0, 11, rating_json("Not In The Catalogue"))                                            // unmatched (inner)
      .add(0, 12, std::string("{not json"))                                                       // malformed_json
      .add(1, 3, std::string(R"({"name":"Ann","rating":3,"timestamp":"2025-03-13T19:26:50Z"})"))  // missing_field
      .add(
          1, 4,
          std::string(
              R"({"name":"Ann","movie":"Twin Harbours","rating":"7","timestamp":"2025-03-13T19:26:50Z"})"))  // bad_type
      .add(1, 5, rating_json("Twin Harbours", 11))                         // rating_out_of_range
      .add(1, 6, rating_json("Twin Harbours", 5, "2025-02-30T10:00:00Z"))  // bad_timestamp
      .add(2, 0, std::string(70 * 1024, ' '))                              // too_large
      .add(2, 1, std::nullopt, std::nullopt)                               // a null value: malformed_json
      .add(2, 2, rating_json("Ζωή στο Λιμάνι", 10));                       // written
  return r;
}

TEST(PrepareBatch, EveryRecordEndsInExactlyOneOutcome) {
  const auto catalogue = test_catalogue();
  rating::RatingDecoder decoder;
  Records records = mixed_records();
  const auto batch = prepare_batch(std::move(records.list), decoder, catalogue, JoinMode::inner);

  EXPECT_EQ(batch.counts.records_in, 10u);
  EXPECT_EQ(batch.rows.size(), 2u);
  EXPECT_EQ(batch.counts.unmatched, 1u);
  EXPECT_EQ(batch.counts.rejected(), 7u);
  EXPECT_EQ(batch.counts.rejected_by_reason[index_of(RejectReason::malformed_json)], 2u);
  EXPECT_EQ(batch.counts.rejected_by_reason[index_of(RejectReason::missing_field)], 1u);
  EXPECT_EQ(batch.counts.rejected_by_reason[index_of(RejectReason::bad_type)], 1u);
  EXPECT_EQ(batch.counts.rejected_by_reason[index_of(RejectReason::rating_out_of_range)], 1u);
  EXPECT_EQ(batch.counts.rejected_by_reason[index_of(RejectReason::bad_timestamp)], 1u);
  EXPECT_EQ(batch.counts.rejected_by_reason[index_of(RejectReason::too_large)], 1u);

  // Nothing is written before the sink says so; then the counts add up.
  EXPECT_EQ(batch.counts.unwritten(), 2u);
  EXPECT_FALSE(batch.counts.adds_up());
  BatchCounts after = batch.counts;
  after.written = batch.rows.size();
  EXPECT_TRUE(after.adds_up());
  EXPECT_EQ(after.unwritten(), 0u);

  // Every position appears in exactly one list.
  std::set<std::pair<int, long>> seen;
  for (const auto& p : batch.row_positions) EXPECT_TRUE(seen.insert({p.partition, p.offset}).second);
  for (const auto& p : batch.unmatched) EXPECT_TRUE(seen.insert({p.partition, p.offset}).second);
  for (const auto& r : batch.rejected) EXPECT_TRUE(seen.insert({r.record.partition, r.record.offset}).second);
  EXPECT_EQ(seen.size(), 10u);
}

// A table with a retention: a row older than it is expired, counted and not written.
TEST(PrepareBatch, RowsPastTheTablesRetentionAreCountedExpiredAndNotWritten) {
  const auto catalogue = test_catalogue();
  rating::RatingDecoder decoder;
  constexpr std::int64_t kRatedAt = 1'741'894'010'863;  // the rows' time, in ms
  const std::chrono::seconds day{86'400};
  {
    Records records = mixed_records();
    const auto batch = prepare_batch(std::move(records.list), decoder, catalogue, JoinMode::inner,
                                     store::ExpiryCheck{day, store::Timestamp{kRatedAt + 86'400'000}});
    EXPECT_TRUE(batch.rows.empty());
    EXPECT_EQ(batch.counts.expired, 2u);
    EXPECT_EQ(batch.expired, (std::vector<kafka::PartitionOffset>{{0, 10}, {2, 2}}));
    EXPECT_EQ(batch.counts.unmatched, 1u);  // the join comes first
    EXPECT_TRUE(batch.counts.adds_up());
    EXPECT_EQ(report_counts(batch.counts, 1).expired, 2u);
  }
  Records records = mixed_records();
  const auto batch = prepare_batch(std::move(records.list), decoder, catalogue, JoinMode::inner,
                                   store::ExpiryCheck{day, store::Timestamp{kRatedAt + 86'399'000}});
  EXPECT_EQ(batch.rows.size(), 2u);
  EXPECT_EQ(batch.counts.expired, 0u);
}

TEST(PrepareBatch, RowsKnowWhereTheyCameFrom) {
  const auto catalogue = test_catalogue();
  rating::RatingDecoder decoder;
  Records records = mixed_records();
  const auto batch = prepare_batch(std::move(records.list), decoder, catalogue, JoinMode::inner);
  ASSERT_EQ(batch.rows.size(), 2u);
  ASSERT_EQ(batch.row_positions.size(), 2u);
  EXPECT_EQ(batch.row_positions[0], (kafka::PartitionOffset{0, 10}));
  EXPECT_EQ(batch.row_positions[1], (kafka::PartitionOffset{2, 2}));
  EXPECT_EQ(batch.rows[0].id, row_id("Ann", 1'741'894'010'863'211, "Twin Harbours", 7));
  EXPECT_EQ(batch.rows[1].id, row_id("Ann", 1'741'894'010'863'211, "Ζωή στο Λιμάνι", 10));
  EXPECT_EQ(batch.rows[1].movie(), "Ζωή στο Λιμάνι");
  EXPECT_EQ(batch.rows[1].rating_movie, 10);
  EXPECT_EQ(batch.rows[0].timestamp.millis, 1'741'894'010'863);
  EXPECT_EQ(batch.unmatched, (std::vector<kafka::PartitionOffset>{{0, 11}}));
}

TEST(PrepareBatch, RejectedRecordsKeepKeyValueAndReasonInReadOrder) {
  const auto catalogue = test_catalogue();
  rating::RatingDecoder decoder;
  Records records = mixed_records();
  const auto batch = prepare_batch(std::move(records.list), decoder, catalogue, JoinMode::inner);
  ASSERT_EQ(batch.rejected.size(), 7u);
  const auto& first = batch.rejected.front();
  EXPECT_EQ(first.record.partition, 0);
  EXPECT_EQ(first.record.offset, 12);
  EXPECT_EQ(first.reason, RejectReason::malformed_json);
  EXPECT_EQ(first.record.value, std::optional<std::string_view>("{not json"));
  EXPECT_EQ(first.record.key, std::optional<std::string_view>("Ann"));
  EXPECT_FALSE(first.detail.empty());
  const auto& null_value = batch.rejected.back();
  EXPECT_EQ(null_value.record.offset, 1);
  EXPECT_EQ(null_value.reason, RejectReason::malformed_json);
  EXPECT_FALSE(null_value.record.value.has_value());
  EXPECT_FALSE(null_value.record.key.has_value());
  std::vector<RejectReason> reasons;
  for (const auto& r : batch.rejected) reasons.push_back(r.reason);
  EXPECT_EQ(reasons, (std::vector<RejectReason>{RejectReason::malformed_json, RejectReason::missing_field,
                                                RejectReason::bad_type, RejectReason::rating_out_of_range,
                                                RejectReason::bad_timestamp, RejectReason::too_large,
                                                RejectReason::malformed_json}));
}

TEST(PrepareBatch, LeftJoinWritesUnmatchedMoviesWithoutAFilm) {
  const auto catalogue = test_catalogue();
  rating::RatingDecoder decoder;
  Records records = mixed_records();
  const auto batch = prepare_batch(std::move(records.list), decoder, catalogue, JoinMode::left);
  EXPECT_EQ(batch.counts.unmatched, 0u);
  ASSERT_EQ(batch.rows.size(), 3u);
  EXPECT_EQ(batch.rows[1].film, nullptr);
  EXPECT_EQ(batch.rows[1].movie(), "Not In The Catalogue");
  BatchCounts after = batch.counts;
  after.written = 3;
  EXPECT_TRUE(after.adds_up());
}

TEST(PrepareBatch, EmptyBatch) {
  const auto catalogue = test_catalogue();
  rating::RatingDecoder decoder;
  const auto batch = prepare_batch({}, decoder, catalogue, JoinMode::inner);
  EXPECT_EQ(batch.counts.records_in, 0u);
  EXPECT_TRUE(batch.counts.adds_up());
}

TEST(ReportCounts, ListsOnlyReasonsThatOccurredInTheirFixedOrder) {
  BatchCounts counts;
  counts.records_in = 9;
  counts.written = 5;
  counts.unmatched = 1;
  counts.rejected_by_reason[index_of(RejectReason::bad_timestamp)] = 2;
  counts.rejected_by_reason[index_of(RejectReason::malformed_json)] = 1;
  const auto report = report_counts(counts, 4);
  EXPECT_EQ(report.batch, 4u);
  EXPECT_EQ(report.records_in, 9u);
  EXPECT_EQ(report.written, 5u);
  EXPECT_EQ(report.unmatched, 1u);
  EXPECT_EQ(report.rejected, 3u);
  using Pair = std::pair<std::string, std::uint64_t>;
  EXPECT_EQ(report.rejected_by_reason, (std::vector<Pair>{{"malformed_json", 1}, {"bad_timestamp", 2}}));
}

}  // namespace
}  // namespace ratingstream::process
