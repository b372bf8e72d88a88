#pragma once
// Rows a write needs beside the ratings, written before them: the rollups' pending marks and the
// people index (docs/data-over-time.md). They are retried while Cassandra fails, as the ratings
// are (cassandra_sink.hpp), and the same errors stop the processor.

#include <cstddef>
#include <span>
#include <string_view>

#include "common/retry.hpp"
#include "store/session.hpp"

namespace ratingstream::process {

// What the rows are for, in messages: `doing` ("marking the hours of a write in ks.t_hourly_pending")
// and what skipping them would break (`otherwise`: "the rollups would miss rows").
struct SideWrite {
  std::string_view doing;
  std::string_view otherwise;
};

// Executes `statement` with `values` (batch_ends as execute_many takes them) until every row is
// acknowledged, waiting between rounds as `retry` says and warning as it is due. false when `stop`
// was set first. Throws RuntimeFailure when Cassandra refuses the rows (invalid query,
// unauthorized) or once retry.give_up_after has passed.
bool write_side_rows(store::Session& session, const store::PreparedStatement& statement,
                     std::span<const store::BoundValue> values, std::span<const std::size_t> batch_ends,
                     const SideWrite& what, const RetryPolicy& retry, const StopFlag& stop,
                     const KeepAlive& keep_alive);

}  // namespace ratingstream::process
