#include "process/rollup_keeper.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "common/clock.hpp"
#include "process/cassandra_sink.hpp"
#include "process/side_writes.hpp"

namespace ratingstream::process {
namespace {

store::Uuid random_mark() {
  thread_local std::mt19937_64 random(random_seed());
  store::Uuid id{};
  for (std::size_t i = 0; i < id.size(); i += 8) {
    const std::uint64_t bits = random();
    for (std::size_t b = 0; b < 8; ++b) id[i + b] = static_cast<std::uint8_t>(bits >> (8 * b));
  }
  id[6] = static_cast<std::uint8_t>((id[6] & 0x0f) | 0x40);  // version 4
  id[8] = static_cast<std::uint8_t>((id[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return id;
}

}  // namespace

RollupKeeper::RollupKeeper(std::shared_ptr<store::Session> session, const store::TableRef& ratings,
                           const store::TableLayout& layout, std::optional<std::chrono::seconds> retention,
                           RollupSettings settings, observe::Metrics& metrics)
    : session_(std::move(session)),
      ratings_(ratings),
      layout_(layout),
      settings_(settings),
      metrics_(&metrics),
      rollups_(std::make_unique<store::HourRollups>(*session_, ratings, layout, retention)) {
  next_sweep_ = real_clock().now();  // the first sweep at once: marks a stopped processor left
  for (std::size_t i = 0; i < std::max<std::size_t>(1, settings_.workers); ++i)
    workers_.emplace_back([this] { work(); });
}

RollupKeeper::~RollupKeeper() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

WriteMarks RollupKeeper::marks_for(std::span<const Row> rows) {
  WriteMarks marks;
  for (const auto& row : rows) marks.keys.push_back({row.name, store::hour_of(row.timestamp)});
  std::sort(marks.keys.begin(), marks.keys.end());
  marks.keys.erase(std::unique(marks.keys.begin(), marks.keys.end()), marks.keys.end());
  return marks;
}

bool RollupKeeper::begin_write(const WriteMarks& marks, const RetryPolicy& retry, const StopFlag& stop,
                               const KeepAlive& keep_alive) {
  {
    const std::lock_guard lock(mutex_);
    for (const auto& key : marks.keys) ++hours_[key].writing;
  }
  return write_missing(marks, settings_.stale_after / 4, retry, stop, keep_alive);
}

bool RollupKeeper::refresh(const WriteMarks& marks, const RetryPolicy& retry, const StopFlag& stop,
                           const KeepAlive& keep_alive) {
  return write_missing(marks, settings_.stale_after / 4, retry, stop, keep_alive);
}

bool RollupKeeper::write_missing(const WriteMarks& marks, std::chrono::steady_clock::duration older_than,
                                 const RetryPolicy& retry, const StopFlag& stop, const KeepAlive& keep_alive) {
  // Well inside stale_after: a sweep never takes the mark of an hour a write goes on in.
  const auto now = real_clock().now();
  std::vector<std::pair<store::HourKey, store::Uuid>> to_write;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& key : marks.keys) {
      auto& hour = hours_[key];
      // A mark past half of stale_after may have been taken by a sweep meanwhile: writing it again
      // could lose to that deletion on a host whose clock is behind, so a new one stands in.
      // (One that another write is writing now counts as fresh: both write it.)
      const bool fresh = !hour.live.empty() && (hour.live.back().written == Clock::TimePoint{} ||
                                                now - hour.live.back().written < settings_.stale_after / 2);
      if (!fresh) hour.live.push_back({random_mark(), Clock::TimePoint{}});
      const auto& mark = hour.live.back();
      if (now - mark.written >= older_than) to_write.emplace_back(key, mark.id);
    }
  }
  if (to_write.empty()) return true;
  const store::Timestamp marked_at{millis_since_epoch(real_clock().wall_now())};
  std::vector<store::BoundValue> values;
  std::vector<std::size_t> batch_ends;
  values.reserve(to_write.size() * 4);
  for (std::size_t i = 0; i < to_write.size(); ++i) {
    const auto& [key, id] = to_write[i];
    values.push_back(store::BoundValue::of_text(key.name));
    values.push_back(store::BoundValue::of_timestamp(key.hour));
    values.push_back(store::BoundValue::of_uuid(id));
    values.push_back(store::BoundValue::of_timestamp(marked_at));
    // One batch per person: the marks' partition.
    if (i + 1 == to_write.size() || to_write[i + 1].first.name != key.name) batch_ends.push_back(i + 1);
  }
  const std::string doing =
      fmt::format("marking the hours of a write in {}",
                  store::qualified_name(store::rollup_tables_of(ratings_).pending, store::NameQuoting::as_given));
  if (!write_side_rows(*session_, rollups_->mark_insert(), values, batch_ends, {doing, "the rollups would miss rows"},
                       retry, stop, keep_alive)) {
    return false;
  }
  const std::lock_guard lock(mutex_);
  for (const auto& [key, id] : to_write) {
    auto& hour = hours_[key];
    for (auto& mark : hour.live) {
      if (mark.id == id) mark.written = now;
    }
  }
  return true;
}

void RollupKeeper::end_write(const WriteMarks& marks) {
  if (marks.keys.empty()) return;
  const auto now = real_clock().now();
  {
    const std::lock_guard lock(mutex_);
    for (const auto& key : marks.keys) {
      auto& hour = hours_[key];
      --hour.writing;
      hour.dirty = true;
      hour.last_written = now;
    }
  }
  wake_.notify_one();
}

std::size_t RollupKeeper::hours_pending() const {
  const std::lock_guard lock(mutex_);
  return count_pending();
}

std::size_t RollupKeeper::count_pending() const {
  return static_cast<std::size_t>(std::count_if(hours_.begin(), hours_.end(), [](const auto& entry) {
    return entry.second.dirty || entry.second.busy || entry.second.writing > 0;
  }));
}

std::size_t RollupKeeper::closed_dirty_hours() const {
  const std::int64_t wall_now = millis_since_epoch(real_clock().wall_now());
  std::size_t count = 0;
  for (const auto& [key, hour] : hours_) {
    if ((hour.dirty || hour.busy) && key.hour.millis + store::kMillisPerHour <= wall_now) ++count;
  }
  return count;
}

std::size_t RollupKeeper::flush(std::chrono::milliseconds within) {
  std::unique_lock lock(mutex_);
  flushing_ = true;
  wake_.notify_all();
  recomputed_.wait_for(lock, within, [this] { return closed_dirty_hours() == 0; });
  return closed_dirty_hours();
}

bool RollupKeeper::is_due(const store::HourKey& key, const HourState& hour, Clock::TimePoint now,
                          std::int64_t wall_now) const {
  if (hour.busy || !hour.dirty || hour.writing > 0) return false;
  // An open hour is still being written: it stays marked (read raw) until it closes.
  if (key.hour.millis + store::kMillisPerHour > wall_now) return false;
  return flushing_ || now - hour.last_written >= settings_.settle;
}

bool RollupKeeper::take_due(DueHours& due) {
  const auto now = real_clock().now();
  const std::int64_t wall_now = millis_since_epoch(real_clock().wall_now());
  auto it = hours_.begin();
  while (it != hours_.end() && !is_due(it->first, it->second, now, wall_now)) ++it;
  if (it == hours_.end()) return false;
  due.name = it->first.name;
  due.hours.clear();
  due.marks.clear();
  const store::Timestamp first = it->first.hour;
  // The same person's later due hours that one read covers (the map is ordered by name, hour).
  for (; it != hours_.end() && it->first.name == due.name && store::hours_read_together(layout_, first, it->first.hour);
       ++it) {
    auto& hour = it->second;
    if (!is_due(it->first, hour, now, wall_now)) continue;
    due.hours.push_back(it->first.hour);
    // Retired: a write from now on marks the hour anew.
    auto& marks = due.marks.emplace_back();
    for (const auto& mark : hour.live) marks.push_back(mark.id);
    hour.live.clear();
    hour.dirty = false;
    hour.busy = true;
  }
  return true;
}

void RollupKeeper::forget_if_idle(const store::HourKey& key) {
  const auto it = hours_.find(key);
  if (it == hours_.end()) return;
  const auto& hour = it->second;
  if (!hour.busy && !hour.dirty && hour.writing == 0 && hour.live.empty()) hours_.erase(it);
}

void RollupKeeper::sweep() {
  const std::int64_t started = millis_since_epoch(real_clock().wall_now());
  std::map<store::HourKey, std::vector<store::Uuid>> stale;
  for (auto& mark : rollups_->all_marks()) {
    if (mark.marked_at.millis < started - settings_.stale_after.count()) stale[mark.key].push_back(mark.mark);
  }
  for (const auto& [key, marks] : stale) {
    // The read starts after `started`: every write these marks belong to ended before it.
    rollups_->recompute(key);
    rollups_->remove_marks(key, marks);
    metrics_->add_rollup_hours_recomputed(1);
  }
  if (!stale.empty()) spdlog::info("rollups: recomputed {} hours whose marks were left over", stale.size());
}

void RollupKeeper::work() {
  WarningThrottle throttle;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!sweeping_ && real_clock().now() >= next_sweep_) {
      sweeping_ = true;
      lock.unlock();
      try {
        sweep();
      } catch (const std::exception& e) {
        if (throttle.due(real_clock().now()))
          spdlog::warn("rollups: sweeping left-over marks failed ({}); tried again later", e.what());
      }
      lock.lock();
      sweeping_ = false;
      next_sweep_ = real_clock().now() + settings_.sweep_every;
      continue;
    }
    DueHours due;
    if (!take_due(due)) {
      metrics_->set_rollup_hours_pending(count_pending());
      wake_.wait_for(lock, std::chrono::milliseconds(200));
      continue;
    }
    lock.unlock();
    bool done = false;
    try {
      rollups_->recompute(due.name, due.hours);
      rollups_->remove_marks(due.name, due.hours, due.marks);
      metrics_->add_rollup_hours_recomputed(due.hours.size());
      done = true;
    } catch (const std::exception& e) {
      if (throttle.due(real_clock().now()))
        spdlog::warn("rollups: recomputing hours of {} failed ({}); they stay marked and are tried again", due.name,
                     e.what());
    }
    lock.lock();
    for (std::size_t i = 0; i < due.hours.size(); ++i) {
      const store::HourKey key{due.name, due.hours[i]};
      auto& hour = hours_[key];
      hour.busy = false;
      if (!done) {
        // Its marks stand (nothing was removed, or the rollups are exact already and the marks
        // only make readers read raw); tried again after the settle time.
        for (const auto& id : due.marks[i]) hour.live.push_back({id, real_clock().now()});
        hour.dirty = true;
        hour.last_written = real_clock().now();
      }
      forget_if_idle(key);
    }
    recomputed_.notify_all();
  }
}

}  // namespace ratingstream::process
