#include "dashboard/pipeline_history.hpp"

#include "common/json.hpp"

namespace ratingstream::dashboard {
namespace {

std::int64_t unix_millis(PipelineHistory::WallClock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

std::uint64_t total_rejected(const observe::MetricsSnapshot& s) {
  std::uint64_t total = 0;
  for (const auto& [reason, count] : s.rejected) total += count;
  return total;
}

// Counters only grow, except when the processor restarted (a standalone dashboard may watch
// several lives of it): a drop then counts as 0, not as a huge negative rate.
double per_second(std::uint64_t before, std::uint64_t after, double seconds) {
  return after >= before ? static_cast<double>(after - before) / seconds : 0.0;
}

Json lag_json(std::int64_t lag) { return lag < 0 ? Json(nullptr) : Json(lag); }

}  // namespace

PipelineHistory::PipelineHistory(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

void PipelineHistory::add(WallClock::time_point at, observe::MetricsSnapshot snapshot) {
  std::lock_guard lock(mutex_);
  samples_.push_back({at, std::move(snapshot)});
  while (samples_.size() > capacity_ + 1) samples_.pop_front();
}

std::string PipelineHistory::json() const {
  std::lock_guard lock(mutex_);
  Json points = Json::array();
  for (std::size_t i = 1; i < samples_.size(); ++i) {
    const auto& a = samples_[i - 1].counters;
    const auto& b = samples_[i].counters;
    const double seconds = std::chrono::duration<double>(samples_[i].at - samples_[i - 1].at).count();
    if (seconds <= 0) continue;
    // The mean duration of the batches that finished in this second; null when none did.
    Json batch_seconds = nullptr;
    if (b.duration_count > a.duration_count) {
      batch_seconds =
          json_number((b.duration_sum - a.duration_sum) / static_cast<double>(b.duration_count - a.duration_count));
    }
    points.push_back({{"t", unix_millis(samples_[i].at)},
                      {"records_in", json_number(per_second(a.records_in, b.records_in, seconds))},
                      {"written", json_number(per_second(a.written, b.written, seconds))},
                      {"unmatched", json_number(per_second(a.unmatched, b.unmatched, seconds))},
                      {"rejected", json_number(per_second(total_rejected(a), total_rejected(b), seconds))},
                      {"lag", lag_json(b.lag)},
                      {"batch_seconds", batch_seconds}});
  }
  observe::MetricsSnapshot last;
  if (!samples_.empty()) last = samples_.back().counters;
  Json reasons = Json::object();
  for (const auto& [reason, count] : last.rejected) reasons[reason] = count;
  // The servers the processor reaches, as /healthz lists them.
  const auto servers = [](const std::vector<observe::ServerState>& list) {
    Json out = Json::array();
    for (const auto& server : list) {
      out.push_back({{"address", server.address}, {"detail", server.detail}, {"reachable", server.reachable}});
    }
    return out;
  };
  return json_text({{"samples", points},
                    {"totals",
                     {{"batches", last.batches},
                      {"records_in", last.records_in},
                      {"written", last.written},
                      {"unmatched", last.unmatched},
                      {"rejected", total_rejected(last)},
                      {"dead_lettered", last.dead_lettered},
                      {"write_retries", last.write_retries}}},
                    {"rejected_by_reason", reasons},
                    {"lag", lag_json(last.lag)},
                    {"cassandra_up", last.cassandra_reachable},
                    {"cassandra_nodes", servers(last.cassandra_nodes)},
                    {"kafka_brokers", servers(last.kafka_brokers)},
                    {"sampled", !samples_.empty()}}) +
         "\n";
}

PipelineSampler::PipelineSampler(PipelineHistory& history, std::function<observe::MetricsSnapshot()> source,
                                 std::chrono::milliseconds every) {
  thread_ = std::thread([this, &history, source = std::move(source), every] {
    std::unique_lock lock(mutex_);
    auto next = std::chrono::steady_clock::now();
    while (!stopping_) {
      history.add(PipelineHistory::WallClock::now(), source());
      next += every;
      wake_.wait_until(lock, next, [this] { return stopping_; });
    }
  });
}

PipelineSampler::~PipelineSampler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace ratingstream::dashboard
