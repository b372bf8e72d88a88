#include "process/prepared_batch.hpp"

#include <numeric>
#include <utility>
#include <variant>

namespace ratingstream::process {

std::uint64_t BatchCounts::rejected() const {
  return std::accumulate(rejected_by_reason.begin(), rejected_by_reason.end(), std::uint64_t{0});
}

std::vector<kafka::DeadLetter> dead_letters(const std::vector<RejectedRecord>& rejected) {
  std::vector<kafka::DeadLetter> letters;
  letters.reserve(rejected.size());
  for (const auto& r : rejected) letters.push_back({&r.record, rating::to_string(r.reason), r.detail});
  return letters;
}

PreparedBatch prepare_batch(std::vector<kafka::Record> records, rating::RatingDecoder& decoder,
                            const catalogue::Catalogue& catalogue, JoinMode join_mode,
                            std::optional<store::ExpiryCheck> expiry) {
  PreparedBatch batch;
  batch.rows.reserve(records.size());
  batch.row_positions.reserve(records.size());
  batch.counts.records_in = records.size();
  for (kafka::Record& record : records) {
    const kafka::PartitionOffset where{record.partition, record.offset};
    // A null value decodes as empty text: malformed_json, like any other value that is no object.
    auto decoded = decoder.decode(record.value.value_or(std::string_view{}));
    if (auto* rejection = std::get_if<rating::Rejection>(&decoded)) {
      ++batch.counts.rejected_by_reason[static_cast<std::size_t>(rejection->reason)];
      batch.rejected.push_back({std::move(record), rejection->reason, std::move(rejection->detail)});
      continue;
    }
    auto row = join(std::get<rating::DecodedRating>(decoded), catalogue, join_mode);
    if (!row) {
      ++batch.counts.unmatched;
      batch.unmatched.push_back(where);
      continue;
    }
    if (expiry && !store::row_time_to_live(expiry->retention, row->timestamp, expiry->now)) {
      ++batch.counts.expired;
      batch.expired.push_back(where);
      continue;
    }
    batch.rows.push_back(std::move(*row));
    batch.row_positions.push_back(where);
  }
  return batch;
}

observe::BatchReport report_counts(const BatchCounts& counts, std::uint64_t batch_number) {
  observe::BatchReport report;
  report.batch = batch_number;
  report.records_in = counts.records_in;
  report.written = counts.written;
  report.unmatched = counts.unmatched;
  report.expired = counts.expired;
  report.rejected = counts.rejected();
  for (const auto reason : rating::kAllRejectReasons) {
    const auto n = counts.rejected_by_reason[static_cast<std::size_t>(reason)];
    if (n != 0) report.rejected_by_reason.emplace_back(std::string(rating::to_string(reason)), n);
  }
  return report;
}

}  // namespace ratingstream::process
