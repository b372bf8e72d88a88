// Rows grouped into single-partition batches: each person's rows adjacent and in their order,
// runs cut at the batch size, no batch mixing persons, and no grouping when batches are off.

#include "process/partition_batches.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

namespace ratingstream::process {
namespace {

std::vector<Row> rows_of(const std::vector<std::string>& names) {
  std::vector<Row> rows(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) rows[i].name = names[i];
  return rows;
}

std::vector<std::size_t> all(std::size_t n) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  return order;
}

TEST(PartitionBatches, EachPersonsRowsAreAdjacentInTheirOrderAndCutAtTheBatchSize) {
  const auto rows = rows_of({"Bo", "Ann", "Bo", "Ann", "Ann", "Cy", "Ann", "Bo"});
  auto order = all(rows.size());
  const auto ends = group_by_partition(rows, order, 3);
  EXPECT_EQ(order, (std::vector<std::size_t>{1, 3, 4, 6, 0, 2, 7, 5}));
  // Ann has four rows: a batch of three and one of one; Bo three; Cy one.
  EXPECT_EQ(ends, (std::vector<std::size_t>{3, 4, 7, 8}));
}

TEST(PartitionBatches, NoBatchHoldsTwoPersons) {
  const auto rows = rows_of({"Ann", "Bo", "Ann", "Bo", "Cy"});
  auto order = all(rows.size());
  const auto ends = group_by_partition(rows, order, 16);
  std::size_t start = 0;
  for (const auto end : ends) {
    for (std::size_t k = start + 1; k < end; ++k) EXPECT_EQ(rows[order[k]].name, rows[order[start]].name);
    start = end;
  }
  EXPECT_EQ(ends.back(), rows.size());
  EXPECT_EQ(ends.size(), 3u);
}

TEST(PartitionBatches, ASubsetOfTheRowsIsGroupedWithoutTheOthers) {
  // The sink retries only the rows that failed: `order` is then a subset of the batch.
  const auto rows = rows_of({"Ann", "Bo", "Ann", "Bo", "Ann"});
  std::vector<std::size_t> order{4, 1, 0};
  const auto ends = group_by_partition(rows, order, 16);
  EXPECT_EQ(order, (std::vector<std::size_t>{4, 0, 1}));
  EXPECT_EQ(ends, (std::vector<std::size_t>{2, 3}));
}

TEST(PartitionBatches, InABucketedTableABatchHoldsOnePersonsRowsOfOneBucket) {
  constexpr std::int64_t kDay = 86'400'000;
  auto rows = rows_of({"Ann", "Ann", "Bo", "Ann", "Ann"});
  const std::int64_t times[] = {2 * kDay + 5, kDay + 7, kDay, 2 * kDay + 1, kDay + 9};
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].timestamp = store::Timestamp{times[i]};
  auto order = all(rows.size());
  const store::TableLayout by_day{store::BucketSize::day};
  const auto ends = group_by_partition(rows, order, 16, kMaxBatchBytes, by_day);
  // Ann's day 1 (rows 1 and 4, in their order), Ann's day 2 (0 and 3), Bo's day 1.
  EXPECT_EQ(order, (std::vector<std::size_t>{1, 4, 0, 3, 2}));
  EXPECT_EQ(ends, (std::vector<std::size_t>{2, 4, 5}));
  // The original layout batches all of Ann's rows together.
  auto original_order = all(rows.size());
  EXPECT_EQ(group_by_partition(rows, original_order, 16), (std::vector<std::size_t>{4, 5}));
}

TEST(PartitionBatches, OneRowPerRequestLeavesTheOrderAlone) {
  const auto rows = rows_of({"Bo", "Ann", "Bo"});
  for (const std::size_t max_rows : {std::size_t{0}, std::size_t{1}}) {
    auto order = all(rows.size());
    EXPECT_TRUE(group_by_partition(rows, order, max_rows).empty());
    EXPECT_EQ(order, all(rows.size()));
  }
  std::vector<std::size_t> none;
  EXPECT_TRUE(group_by_partition(rows, none, 16).empty());
}

// Cassandra refuses a mutation over half its commit log segment (16 MiB by default), and a
// person's batch is one mutation: many large rows of one person must not make one oversized batch.
TEST(PartitionBatches, ABatchIsCutBeforeItsRowsPassTheByteLimit) {
  std::vector<Row> rows(300);
  for (auto& row : rows) {
    row.name = "Ann";
    row.unmatched_movie.assign(60'000, 'x');  // a left-joined row near the 64 KiB record limit
  }
  auto order = all(rows.size());
  const auto ends = group_by_partition(rows, order, 1000);
  ASSERT_FALSE(ends.empty());
  EXPECT_EQ(ends.back(), rows.size());
  std::size_t start = 0;
  for (const auto end : ends) {
    std::size_t bytes = 0;
    for (std::size_t k = start; k < end; ++k) bytes += row_bytes(rows[order[k]]);
    EXPECT_LE(bytes, kMaxBatchBytes);
    EXPECT_GT(end - start, 1u);  // still batched
    start = end;
  }
  // A single row above the limit goes alone rather than not at all.
  const auto one_each = group_by_partition(rows, order, 1000, 50'000);
  EXPECT_EQ(one_each.size(), rows.size());
}

TEST(PartitionBatches, RowBytesCountTheTextOfEveryColumn) {
  catalogue::Film film;
  film.title = "Twin Harbours";
  film.country = "United Kingdom";
  film.director = "Ottilie Marsh";
  film.age_rating = "PG-13";
  film.show_id = "s1";
  Row matched;
  matched.name = "Ann";
  matched.film = &film;
  Row unmatched;
  unmatched.name = "Ann";
  unmatched.unmatched_movie = "Twin Harbours";
  EXPECT_EQ(row_bytes(matched) - row_bytes(unmatched),
            film.country.size() + film.director.size() + film.age_rating.size() + film.show_id.size());
  unmatched.unmatched_movie.assign(1000, 'x');
  EXPECT_GT(row_bytes(unmatched), 1000u);
}

}  // namespace
}  // namespace ratingstream::process
