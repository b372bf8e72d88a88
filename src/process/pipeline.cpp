#include "process/pipeline.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/setting.hpp"
#include "rating/reject_reason.hpp"

namespace ratingstream::process {
namespace {

using namespace std::chrono_literals;

// The longest a poll waits, so a signal or --until-idle is noticed promptly.
constexpr std::chrono::milliseconds kPollSlice{200};
// How often the topic is looked for while it does not exist.
constexpr std::chrono::milliseconds kTopicCheckInterval{2000};
// How often the lag gauge is refreshed between batches, and a failed commit tried again.
constexpr std::chrono::milliseconds kLagInterval{5000};
constexpr std::chrono::milliseconds kCommitRetryInterval{1000};
// An asynchronous commit is answered within a round trip to the group coordinator; while one is
// in flight the next waits (so commits go out as fast as they are answered, not one per batch),
// unless it has gone unanswered this long.
constexpr std::chrono::milliseconds kCommitAnswerWait{2000};
// How often --until-idle asks whether every partition is read to its end (broker requests for
// partitions not fetched yet).
constexpr std::chrono::milliseconds kCaughtUpCheckInterval{500};
// A continuous batch takes the records already fetched (it closes as soon as librdkafka's local
// queue is empty), but stops taking after this long so that a steady stream cannot keep one batch
// open.
constexpr std::chrono::milliseconds kContinuousDrain{50};
// Records taken per serve_consumer() call at most (they should not come at all while paused).
constexpr int kServeLimit = 1000;
// How long the loop waits for a writer at a time before it looks at the consumer again.
constexpr std::chrono::milliseconds kWriterWait{5};
// Every writer busy this long: Cassandra is being retried or is slow; the consumer is paused and
// served until a writer is free. Longer than a batch takes when Cassandra is well (about 0.5 s
// for 20,000 rows here), so that a backlog read at full speed does not pause at every batch.
constexpr std::chrono::milliseconds kPauseAfter{2000};

kafka::ConsumerSettings for_pipeline(kafka::ConsumerSettings settings, const PipelineSettings& pipeline) {
  settings.low_latency = pipeline.trigger.count() == 0;
  if (pipeline.until_idle) settings.give_up_after = unreachable_give_up(*pipeline.until_idle);
  return settings;
}

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

std::chrono::milliseconds unreachable_give_up(std::chrono::milliseconds until_idle) {
  return std::max<std::chrono::milliseconds>(until_idle, 30s);
}

Pipeline::InFlight::InFlight(PreparedBatch prepared, std::map<std::int32_t, std::uint64_t> revocations,
                             SteadyClock::time_point closed)
    : batch(std::move(prepared)), revocations_at_start(std::move(revocations)), closed_at(closed), job(batch.rows) {}

Pipeline::Pipeline(const PipelineSettings& settings, const kafka::ConsumerSettings& consumer_settings,
                   const catalogue::Catalogue& catalogue, rating::RatingDecoder decoder, CassandraSink& sink,
                   kafka::DeadLetterSink* dead_letter, observe::Metrics& metrics, const StopFlag& stop)
    : settings_(settings),
      topic_(consumer_settings.topic),
      catalogue_(catalogue),
      decoder_(std::move(decoder)),
      sink_(sink),
      dead_letter_(dead_letter),
      metrics_(metrics),
      stop_(stop),
      trigger_(settings.trigger, settings.max_records_per_trigger),
      writers_(std::make_unique<BatchWriters>(std::max<std::size_t>(1, settings.writers),
                                              [this](std::span<const Row> rows, const StopFlag& writers_stop) {
                                                // The loop serves the consumer itself: no keep-alive.
                                                return write_in_slices(
                                                    rows, kWriteSliceRows, writers_stop,
                                                    [this](std::span<const Row> slice, const StopFlag& s) {
                                                      return sink_.write(slice, s, {});
                                                    });
                                              })),
      consumer_(for_pipeline(consumer_settings, settings), *this) {}

Pipeline::~Pipeline() {
  // Writes in flight end first (their rows are the batches'); then, as librdkafka forbids
  // destroying a consumer while messages it handed out are still alive (its destroy waits for
  // them, for ever), the records of unfinished batches go. This is the path of every exception
  // out of run(), e.g. a fatal consumer error with records buffered.
  writers_.reset();
  in_flight_.clear();
  buffer_.take();
  consumer_.close();
}

int Pipeline::run() {
  const auto partitions = consumer_.wait_for_topic(stop_, kTopicCheckInterval);
  if (!partitions) {
    spdlog::info("stopped before topic {} appeared", topic_);
    return 0;
  }
  if (dead_letter_ != nullptr && !dead_letter_->prepare(*partitions, 15s, stop_)) {
    spdlog::info("stopped before the dead-letter topic {} was ready", dead_letter_->topic());
    return 0;
  }
  consumer_.subscribe();
  spdlog::info("processing topic {} into Cassandra at {} ({}{}; trigger {}, join {}{})", topic_, sink_.address(),
               sink_.layout().describe(), sink_.keeps_rollups() ? ", with hourly rollups" : "",
               settings_.trigger.count() == 0 ? std::string("continuous") : format_duration(settings_.trigger),
               settings_.join_mode == JoinMode::inner ? "inner" : "left",
               dead_letter_ != nullptr ? ", rejected records to " + dead_letter_->topic() : std::string());

  const auto started = SteadyClock::now();
  quiet_since_ = started;
  last_batch_closed_ = started;
  next_lag_update_ = started;
  next_commit_retry_ = started;
  trigger_.open();
  for (;;) {
    if (collect()) {
      spdlog::info("nothing new for {} and everything read is committed: done ({})",
                   format_duration(*settings_.until_idle), Setting::until_idle);
      break;
    }
    if (abandoned_) break;
    trigger_.close();
    // On a signal the records collected so far are written too, within the writers' grace.
    if (!buffer_.empty()) submit_batch();
    if (stop_.load(std::memory_order_relaxed)) {
      spdlog::info("stopping on a signal");
      break;
    }
    trigger_.open();
    trigger_.add(buffer_.size());  // records that came while no writer was free
  }
  if (!abandoned_) finish_all();
  writers_.reset();  // after an abandoned batch, the writes still in flight end here unfinished
  in_flight_.clear();
  consumer_.resume();
  // What is done is committed before the group is left, waiting for the answer (commits during
  // the run are asynchronous).
  const std::vector<std::int32_t> assigned(consumer_.assignment().begin(), consumer_.assignment().end());
  commit_done(&assigned);
  log_totals();
  buffer_.take();  // records read but not processed are read again by the next owner
  consumer_.close();
  consumer_.rethrow_failure();  // a failure inside the last revocation's commit
  return 0;
}

bool Pipeline::collect() {
  for (;;) {
    note_commits();
    if (!finish_written()) return false;
    if (stop_.load(std::memory_order_relaxed)) return false;
    if (idle()) return true;
    if (trigger_.due()) {
      if (writer_free()) break;
      wait_for_writer();
      continue;
    }
    const auto budget = std::min(trigger_.wait_budget(), kPollSlice);
    if (auto record = consumer_.poll(budget)) take(std::move(*record));
    consumer_.check_reachable();
    const auto now = SteadyClock::now();
    if (now >= next_lag_update_) update_lag();
    if (buffer_.empty() && now >= next_commit_retry_ && !tracker_.to_commit().empty()) {
      next_commit_retry_ = now + kCommitRetryInterval;
      commit_done();
    }
  }
  waiting_since_.reset();
  consumer_.resume();
  if (trigger_.continuous()) {
    const auto until = SteadyClock::now() + kContinuousDrain;
    while (trigger_.room() > 0 && SteadyClock::now() < until) {
      auto record = consumer_.poll(0ms);
      if (!record) break;
      take(std::move(*record));
    }
  }
  return false;
}

bool Pipeline::holding_most_batches() const {
  return in_flight_.size() >= writers_->threads() * kMaxBatchesHeldPerWriter;
}

bool Pipeline::writer_free() const { return writers_->busy() < writers_->threads() && !holding_most_batches(); }

void Pipeline::wait_for_writer() {
  const auto now = SteadyClock::now();
  if (!waiting_since_) waiting_since_ = now;
  if (consumer_.paused()) {
    serve_consumer();
  } else if (now - *waiting_since_ >= kPauseAfter) {
    consumer_.pause();
  } else if (trigger_.room() > 0) {
    // What librdkafka has already fetched joins the batch, without waiting for more.
    if (auto record = consumer_.poll(0ms)) {
      take(std::move(*record));
      return;
    }
  }
  if (holding_most_batches()) {
    (void)writers_->finished(in_flight_.front()->job, kWriterWait);
  } else {
    writers_->wait_for_free_writer(kWriterWait);
  }
}

void Pipeline::take(kafka::Record record) {
  tracker_.read(record.partition, record.offset);
  buffer_.add(std::move(record));
  trigger_.add();
  quiet_since_ = SteadyClock::now();
}

void Pipeline::serve_consumer() {
  for (int i = 0; i < kServeLimit; ++i) {
    auto record = consumer_.poll(0ms);
    if (!record) return;
    take(std::move(*record));  // kept for the next batch
  }
}

void Pipeline::submit_batch() {
  const auto closed_at = SteadyClock::now();
  // Which partitions this batch may dead-letter for: those not revoked from now on (finish_batch).
  std::optional<store::ExpiryCheck> expiry;
  if (const auto retention = sink_.retention())
    expiry = store::ExpiryCheck{*retention, store::Timestamp{millis_since_epoch(real_clock().wall_now())}};
  auto flight = std::make_unique<InFlight>(
      prepare_batch(buffer_.take(), decoder_, catalogue_, settings_.join_mode, expiry), revocations_, closed_at);
  const PreparedBatch& batch = flight->batch;
  for (const auto& position : batch.unmatched) tracker_.done(position.partition, position.offset);
  for (const auto& position : batch.expired) tracker_.done(position.partition, position.offset);
  for (const auto& rejected : batch.rejected) {
    spdlog::debug("rejected record {}/{}/{}: {}: {}", topic_, rejected.record.partition, rejected.record.offset,
                  rating::to_string(rejected.reason), rejected.detail);
  }
  writers_->submit(flight->job);
  in_flight_.push_back(std::move(flight));
}

bool Pipeline::finish_written() {
  while (!abandoned_ && !in_flight_.empty() && writers_->finished(in_flight_.front()->job)) {
    const std::unique_ptr<InFlight> flight = std::move(in_flight_.front());
    in_flight_.pop_front();
    flight->job.rethrow_failure();
    if (!finish_batch(*flight)) abandoned_ = true;
  }
  return !abandoned_;
}

void Pipeline::finish_all() {
  writers_->stop();
  while (!abandoned_ && !in_flight_.empty()) {
    // The writers end within their stop grace; the consumer is not polled meanwhile.
    (void)writers_->finished(in_flight_.front()->job, kPollSlice);
    if (!finish_written()) break;
  }
}

bool Pipeline::finish_batch(InFlight& flight) {
  PreparedBatch& batch = flight.batch;
  const WriteOutcome& written = flight.job.outcome();
  batch.counts.written = written.written_count;
  // A row of a partition revoked meanwhile is no longer tracked: done() ignores it. A record
  // read again after its partition came back is the same record, so the row just written is its
  // row too: marking it done is right (a dead letter is different, see below).
  for (std::size_t i = 0; i < batch.rows.size(); ++i) {
    if (written.written[i]) tracker_.done(batch.row_positions[i].partition, batch.row_positions[i].offset);
  }

  bool rejects_handled = true;
  if (dead_letter_ == nullptr) {  // counted only
    for (const auto& rejected : batch.rejected) tracker_.done(rejected.record.partition, rejected.record.offset);
    commit_done();
  } else if (!written.complete()) {
    rejects_handled = batch.rejected.empty();
  } else {
    // The batch's dead letters and the offsets after it commit in one transaction. A partition
    // revoked since the batch was cut (even if it came back) is not this batch's any more: its
    // records were or will be read again, and dead-lettered by whoever reads them. Batches are
    // finished in the order they were cut, so every record before this batch's is done or
    // belongs to a batch that was abandoned (after which nothing is finished).
    const auto& revocations_at_start = flight.revocations_at_start;
    const kafka::OwnsPartition owns = [this, &revocations_at_start](std::int32_t partition) {
      const auto now = revocations_.find(partition);
      const auto then = revocations_at_start.find(partition);
      return consumer_.assignment().contains(partition) &&
             (now == revocations_.end() ? 0 : now->second) == (then == revocations_at_start.end() ? 0 : then->second);
    };
    const kafka::OffsetsToCommit offsets = [this, &batch, &owns] {
      OffsetTracker after = tracker_;
      for (const auto& r : batch.rejected) {
        if (owns(r.record.partition)) after.done(r.record.partition, r.record.offset);
      }
      return after.to_commit();
    };
    // While the transaction is retried (Kafka away) the consumer is served, paused.
    const bool was_paused = consumer_.paused();
    const KeepAlive keep_alive = [this] {
      consumer_.pause();
      serve_consumer();
    };
    const auto letters = dead_letters(batch.rejected);
    const auto committed = dead_letter_->commit(letters, offsets, owns, consumer_, stop_, keep_alive, true);
    if (!was_paused) consumer_.resume();
    if (committed) {
      for (const auto& r : batch.rejected) {
        if (owns(r.record.partition)) tracker_.done(r.record.partition, r.record.offset);
      }
      for (const auto& c : *committed) tracker_.committed(c.partition, c.offset);
      metrics_.add_dead_lettered(dead_letter_->dead_lettered());
    } else {
      rejects_handled = false;
    }
  }

  if (!written.complete() || !rejects_handled) {
    spdlog::warn(
        "stopping: batch of {} records abandoned ({} of {} rows not written{}); their offsets are not committed, "
        "so they are read again on the next start",
        batch.counts.records_in, batch.rows.size() - written.written_count, batch.rows.size(),
        rejects_handled ? "" : ", rejected records not all dead-lettered");
    return false;
  }

  const auto finished = SteadyClock::now();
  observe::BatchReport report = report_counts(batch.counts, ++batches_);
  report.duration_seconds = seconds_between(flight.closed_at, finished);
  const double since_last = seconds_between(last_batch_closed_, flight.closed_at);
  report.input_rate = since_last > 0 ? static_cast<double>(report.records_in) / since_last : 0;
  report.processing_rate =
      report.duration_seconds > 0 ? static_cast<double>(report.records_in) / report.duration_seconds : 0;
  report.lag = consumer_.lag();
  last_batch_closed_ = flight.closed_at;
  quiet_since_ = finished;
  next_lag_update_ = finished + kLagInterval;
  metrics_.set_lag(report.lag);
  metrics_.record_batch(report);

  totals_.records_in += batch.counts.records_in;
  totals_.written += batch.counts.written;
  totals_.unmatched += batch.counts.unmatched;
  totals_.expired += batch.counts.expired;
  for (std::size_t r = 0; r < totals_.rejected_by_reason.size(); ++r) {
    totals_.rejected_by_reason[r] += batch.counts.rejected_by_reason[r];
  }
  if (!batch.counts.adds_up()) {  // cannot happen: prepare_batch sorts every record into one list
    spdlog::error("batch {}: counts do not add up: in {}, written {}, unmatched {}, expired {}, rejected {}",
                  report.batch, report.records_in, report.written, report.unmatched, report.expired, report.rejected);
  }
  std::fputs((observe::format_progress(report, settings_.progress) + "\n").c_str(), stderr);
  std::fflush(stderr);
  return true;
}

void Pipeline::commit_done(const std::vector<std::int32_t>* only) {
  note_commits();
  auto offsets = tracker_.to_commit();
  if (only != nullptr) {
    std::erase_if(offsets, [only](const kafka::PartitionOffset& o) {
      return std::find(only->begin(), only->end(), o.partition) == only->end();
    });
  }
  if (offsets.empty()) return;
  if (dead_letter_ != nullptr) {
    // Offsets alone, in a transaction of their own (docs/delivery.md, "Dead letters"); one try:
    // a failure is tried again later, like a failed commit of the consumer.
    if (dead_letter_->busy()) return;  // inside a batch's: that one commits
    const auto committed = dead_letter_->commit(
        {}, [&offsets] { return offsets; }, [this](std::int32_t p) { return consumer_.assignment().contains(p); },
        consumer_, stop_, {}, false);
    if (committed) {
      for (const auto& c : *committed) tracker_.committed(c.partition, c.offset);
    }
    return;
  }
  if (only != nullptr) {
    // A revocation or a repositioning: durable before the loop goes on.
    for (const auto& committed : consumer_.commit(offsets)) tracker_.committed(committed.partition, committed.offset);
    return;
  }
  const auto now = SteadyClock::now();
  if (consumer_.commits_in_flight() > 0 && now < async_commit_sent_ + kCommitAnswerWait) return;
  if (!consumer_.commit_async(offsets).empty()) async_commit_sent_ = now;
}

void Pipeline::note_commits() {
  for (const auto& committed : consumer_.take_committed()) tracker_.committed(committed.partition, committed.offset);
}

bool Pipeline::idle() {
  if (!settings_.until_idle || !buffer_.empty() || !in_flight_.empty() || tracker_.outstanding() > 0) return false;
  note_commits();
  const auto now = SteadyClock::now();
  if (now - quiet_since_ < *settings_.until_idle) return false;
  // Without partitions "nothing new" means nothing: the group may not have assigned them yet (a
  // member that died still holds them until its session times out). Asking where the partitions
  // end also finds out whether the broker answers (check_reachable() gives up otherwise).
  if (consumer_.assignment().empty()) {
    if (!said_unassigned_) {
      spdlog::info("no partitions of {} assigned to this process yet; {} waits for an assignment", topic_,
                   Setting::until_idle);
      said_unassigned_ = true;
    }
    return false;
  }
  // Quiet here is not quiet in the topic when records are still to be read: librdkafka reads ahead
  // only so far (queued.min.messages), and its next fetch may come later than --until-idle; a
  // partition may be paused, or still without a position. Every assigned partition must be known
  // to be read to its end.
  if (now < next_caught_up_check_) return false;
  next_caught_up_check_ = now + kCaughtUpCheckInterval;
  if (!consumer_.caught_up()) return false;
  if (!tracker_.to_commit().empty()) {
    if (now < next_commit_retry_) return false;
    next_commit_retry_ = now + kCommitRetryInterval;
    commit_done();
    return tracker_.to_commit().empty();
  }
  return true;
}

void Pipeline::update_lag() {
  metrics_.set_lag(consumer_.lag());
  next_lag_update_ = SteadyClock::now() + kLagInterval;
}

void Pipeline::partitions_assigned(const std::vector<std::int32_t>&) { quiet_since_ = SteadyClock::now(); }

void Pipeline::partition_positioned(std::int32_t partition, std::int64_t offset, std::int64_t lost_records) {
  if (lost_records < 0) {
    // Past its end: the partition was recreated or truncated, and reads from an earlier offset
    // again. What was read of it before is not this partition's any more.
    buffer_.drop_partition(partition);
    tracker_.reset_to(partition, offset);
    ++revocations_[partition];  // batches in flight do not dead-letter its old records
  } else {
    tracker_.advance_to(partition, offset);
  }
  if (lost_records != 0) metrics_.add_records_lost(lost_records > 0 ? static_cast<std::uint64_t>(lost_records) : 0);
  // Durable at once, so a restart resumes here whatever happens next.
  const std::vector<std::int32_t> only{partition};
  commit_done(&only);
  quiet_since_ = SteadyClock::now();
}

void Pipeline::partitions_revoked(const std::vector<std::int32_t>& partitions, bool lost) {
  // What of these partitions is done may still be committed while they are ours; after that,
  // nothing of theirs is: the new owner starts from the committed offset.
  if (!lost) commit_done(&partitions);
  std::size_t dropped = 0;
  for (const auto p : partitions) {
    dropped += buffer_.drop_partition(p);
    tracker_.revoke(p);
    ++revocations_[p];
  }
  if (dropped > 0) {
    spdlog::info("dropped {} unwritten records of revoked partitions from the batch; their new owner reads them",
                 dropped);
  }
  quiet_since_ = SteadyClock::now();
}

void Pipeline::log_totals() const {
  spdlog::info("processed {} records in {} batches: written {}, unmatched {}, {}rejected {}", totals_.records_in,
               batches_, totals_.written, totals_.unmatched,
               totals_.expired != 0 ? fmt::format("expired {}, ", totals_.expired) : std::string(), totals_.rejected());
}

}  // namespace ratingstream::process
