#include "process/side_writes.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "common/errors.hpp"
#include "common/setting.hpp"
#include "process/cassandra_sink.hpp"

namespace ratingstream::process {

bool write_side_rows(store::Session& session, const store::PreparedStatement& statement,
                     std::span<const store::BoundValue> values, std::span<const std::size_t> batch_ends,
                     const SideWrite& what, const RetryPolicy& retry, const StopFlag& stop,
                     const KeepAlive& keep_alive) {
  // Few rows, small requests: a modest number in flight.
  constexpr std::size_t kInFlight = 16;
  RetryPacer pacer(retry);
  while (true) {
    const auto outcome = session.execute_many(statement, values, kInFlight, batch_ends);
    if (outcome.failed.empty()) return true;
    const store::Error& error = outcome.failed.front().error;
    const std::string why = fmt::format("{}: {}", store::to_string(error.kind()), error.what());
    if (failure_handling(error) == FailureHandling::fatal) {
      throw RuntimeFailure(
          fmt::format("{} was refused by Cassandra ({}); stopping, as {}", what.doing, why, what.otherwise));
    }
    pacer.failed();
    if (pacer.give_up_due()) {
      throw RuntimeFailure(fmt::format(
          "{} failed for {} s ({}): giving up, as a run with {} must end; what was not written is read again on the "
          "next start",
          what.doing, std::chrono::duration_cast<std::chrono::seconds>(pacer.failing_for()).count(), why,
          Setting::until_idle));
    }
    if (pacer.warning_due()) spdlog::warn("{} failed ({}); retrying", what.doing, why);
    if (!pacer.wait(stop, keep_alive)) return false;
  }
}

}  // namespace ratingstream::process
