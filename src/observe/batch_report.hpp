#pragma once
// What one micro-batch did, and its one-line progress rendering (text or JSON) for stderr.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ratingstream::observe {

struct BatchReport {
  std::uint64_t batch = 0;                                                // 1-based batch number
  std::uint64_t records_in = 0;                                           // records read from Kafka in this batch
  std::uint64_t written = 0;                                              // rows acknowledged by Cassandra
  std::uint64_t unmatched = 0;                                            // movie not in the catalogue (join inner)
  std::uint64_t expired = 0;                                              // older than the table's retention
  std::uint64_t rejected = 0;                                             // failed decoding or validation
  std::vector<std::pair<std::string, std::uint64_t>> rejected_by_reason;  // non-zero reasons only
  double input_rate = 0;        // records/s arriving: records_in over the time since the last batch
  double processing_rate = 0;   // records/s handled: records_in over the batch's duration
  double duration_seconds = 0;  // from the batch closing to its commit (Spark's processing time)
  std::int64_t lag = -1;        // records behind the end of the assigned partitions; -1 unknown
};

enum class ProgressFormat { text, json };

// "batch 12: in 500, written 480, unmatched 15, rejected 5 (malformed_json 3, bad_timestamp 2),
//  input 1.2k/s, processing 25.3k/s, took 19.8ms, lag 0"; ", expired N" after unmatched when some
// records were past the table's retention.
std::string format_progress_text(const BatchReport& report);
// The same as one JSON object on one line.
std::string format_progress_json(const BatchReport& report);
std::string format_progress(const BatchReport& report, ProgressFormat format);

}  // namespace ratingstream::observe
