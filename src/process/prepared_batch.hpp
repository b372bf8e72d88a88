#pragma once
// The pure middle of a micro-batch: raw Kafka records in; rows to write, rejected records and
// unmatched positions out, with the counts of what happened to each record: every record read
// ends in exactly one of written, unmatched, expired, rejected(reason)
// (docs/contract.md, "The catalogue and the join"). No I/O.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "kafka/dead_letter_sink.hpp"
#include "kafka/record.hpp"
#include "observe/batch_report.hpp"
#include "process/offset_tracker.hpp"
#include "process/row.hpp"
#include "rating/decode.hpp"
#include "rating/reject_reason.hpp"
#include "store/row_expiry.hpp"

namespace ratingstream::process {

// What became of the records of one batch.
struct BatchCounts {
  std::uint64_t records_in = 0;
  std::uint64_t written = 0;    // rows Cassandra acknowledged (left-join rows without a film too)
  std::uint64_t unmatched = 0;  // inner join, movie not in the catalogue: dropped
  std::uint64_t expired = 0;    // older than the table's retention: not written (docs/data-over-time.md)
  std::array<std::uint64_t, rating::kAllRejectReasons.size()> rejected_by_reason{};  // by enum value

  std::uint64_t rejected() const;
  // Records still waiting for Cassandra: read, neither rejected, unmatched nor expired, not yet written.
  std::uint64_t unwritten() const { return records_in - written - unmatched - expired - rejected(); }
  // The invariant: every record is exactly one of written, unmatched, expired or rejected.
  bool adds_up() const { return records_in == written + unmatched + expired + rejected(); }
};

// A record refused by the decoder, kept whole for the dead-letter topic.
struct RejectedRecord {
  kafka::Record record;
  rating::RejectReason reason;
  std::string detail;
};

// The rejected records as the dead-letter sink writes them; they view `rejected`, which must
// outlive them.
std::vector<kafka::DeadLetter> dead_letters(const std::vector<RejectedRecord>& rejected);

struct PreparedBatch {
  std::vector<Row> rows;
  std::vector<kafka::PartitionOffset> row_positions;  // row_positions[i]: where rows[i] came from
  std::vector<kafka::PartitionOffset> unmatched;      // records dropped by the inner join
  std::vector<kafka::PartitionOffset> expired;        // records past the table's retention
  std::vector<RejectedRecord> rejected;               // in read order
  BatchCounts counts;                                 // `written` is 0 until the sink reports
};

// Decodes, validates and joins each record (in order), and sets apart the rows past `expiry`
// (when the table has a retention); takes the records so that rejected ones keep their bytes for
// the dead-letter topic without a copy.
PreparedBatch prepare_batch(std::vector<kafka::Record> records, rating::RatingDecoder& decoder,
                            const catalogue::Catalogue& catalogue, JoinMode join_mode,
                            std::optional<store::ExpiryCheck> expiry = std::nullopt);

// The counts as a progress report (rates, duration and lag are the caller's to fill in); reasons
// with no record are left out, in kAllRejectReasons order.
observe::BatchReport report_counts(const BatchCounts& counts, std::uint64_t batch_number);

}  // namespace ratingstream::process
