#pragma once
// Rows of one partition (a person, the table's partition key `name`; in a bucketed table a person
// and a bucket, docs/data-over-time.md) are sent to Cassandra together as one
// UNLOGGED BATCH: Cassandra applies a single-partition batch as one mutation (one commit log
// entry, one memtable update), which costs it far less per row than one request per row. The
// spark-cassandra-connector groups its writes the same way. Rows of different persons are never
// batched together: a multi-partition batch makes one node coordinate writes it does not own.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "process/row.hpp"
#include "store/row_expiry.hpp"

namespace ratingstream::process {

// Cassandra's batch size thresholds (batch_size_warn/fail_threshold) apply to multi-partition
// batches only. Rows per second of the ceiling loader (bench/ceiling, 64 requests in flight, local
// node, 2 cores) by rows per batch: 1: 4,500; 8: 15,100; 16: 18,100; 32: 21,800; 64: 37,100;
// 128: 41,600. 64 takes most of the gain while a request stays small (about 20 KB).
inline constexpr std::size_t kDefaultBatchRows = 64;

// A batch also closes before its rows' values pass this many bytes. Cassandra refuses a mutation
// larger than half its commit log segment (16 MiB by default), and a single-partition batch is
// one mutation: without a bound, --batch-rows 1000 of rows near the 64 KiB record limit would be
// refused on every attempt. 1 MiB stays far below any configured limit and costs nothing for
// ordinary rows (64 rows of about 300 bytes). A row larger than this goes alone.
inline constexpr std::size_t kMaxBatchBytes = 1024 * 1024;

// The bytes of a row's values as sent (text lengths plus fixed-size columns), for kMaxBatchBytes.
std::size_t row_bytes(const Row& row);

// Reorders `order` (indices into `rows`) so that the rows of each partition (a person; in a
// bucketed table a person and bucket) are adjacent, keeping their order within it, and returns
// where each batch ends (positions in `order`, rising to order.size()): runs of one partition of
// at most `max_rows` rows and, unless a single row is larger, `max_bytes` bytes. With
// max_rows <= 1, `order` is left as it is and the result is empty: one request per row.
std::vector<std::size_t> group_by_partition(std::span<const Row> rows, std::vector<std::size_t>& order,
                                            std::size_t max_rows, std::size_t max_bytes = kMaxBatchBytes,
                                            const store::TableLayout& layout = {});

// What a writer sends: groups `order` as above, binds its rows one after the other into `values`
// (cleared first) and returns the batch ends for store::Session::execute_many, whose row indices
// are then positions in `order`.
// With `expiry` (the table has a retention), each row's time to live follows its values
// (store::row_time_to_live; a row that expired since it was prepared gets 1 s).
std::vector<std::size_t> bind_in_partition_batches(std::span<const Row> rows, std::vector<std::size_t>& order,
                                                   std::size_t max_rows, std::vector<store::BoundValue>& values,
                                                   const store::TableLayout& layout = {},
                                                   std::optional<store::ExpiryCheck> expiry = std::nullopt);

}  // namespace ratingstream::process
