#include "kafka/consumer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

#include "common/duration.hpp"
#include "common/errors.hpp"
#include "common/setting.hpp"
#include "kafka/client_config.hpp"

namespace ratingstream::kafka {
namespace {

// Owns a vector of TopicPartition pointers as librdkafka's C++ API hands them around.
struct PartitionList {
  std::vector<RdKafka::TopicPartition*> items;
  PartitionList() = default;
  explicit PartitionList(std::vector<RdKafka::TopicPartition*> list) : items(std::move(list)) {}
  ~PartitionList() { RdKafka::TopicPartition::destroy(items); }
  PartitionList(const PartitionList&) = delete;
  PartitionList& operator=(const PartitionList&) = delete;
};

// Offsets to commit as librdkafka takes them (PartitionList owns them).
std::vector<RdKafka::TopicPartition*> offset_items(const std::string& topic,
                                                   const std::vector<PartitionOffset>& offsets) {
  std::vector<RdKafka::TopicPartition*> items;
  for (const auto& o : offsets) items.push_back(RdKafka::TopicPartition::create(topic, o.partition, o.offset));
  return items;
}

std::vector<std::int32_t> ids_of(const std::vector<RdKafka::TopicPartition*>& partitions) {
  std::vector<std::int32_t> ids;
  for (const auto* tp : partitions) ids.push_back(tp->partition());
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Properties the commit discipline depends on: set here, never by -X.
// isolation.level: read_committed is what makes dead letters once-only (a new owner waits for a
// transaction in flight instead of reading the offsets before it) and skips aborted records.
constexpr const char* kFixedProperties[] = {"enable.auto.commit", "enable.auto.offset.store", "isolation.level"};

// Broker requests made while deciding where a partition starts, and how soon a failed decision
// is tried again.
constexpr int kOffsetQueryTimeoutMs = 5000;
constexpr std::chrono::seconds kPositionRetry{2};
// Lag of a partition not fetched yet: its end is asked for, briefly (the gauge is refreshed often).
constexpr int kLagQueryTimeoutMs = 1000;

void log_rdkafka_error(RdKafka::Error* error, const char* what) {
  if (error == nullptr) return;
  spdlog::error("Kafka: {}: {}", what, error->str());
  delete error;
}

}  // namespace

std::int64_t total_lag(const std::vector<PartitionProgress>& partitions) {
  std::int64_t lag = 0;
  bool known = false;
  for (const auto& p : partitions) {
    if (p.position < 0 || p.high_watermark < 0) continue;
    lag += std::max<std::int64_t>(0, p.high_watermark - p.position);
    known = true;
  }
  return known ? lag : -1;
}

bool caught_up(const std::vector<PartitionProgress>& partitions) {
  return std::all_of(partitions.begin(), partitions.end(), [](const PartitionProgress& p) {
    return p.position >= 0 && p.high_watermark >= 0 && p.position >= p.high_watermark;
  });
}

void check_consumer_properties(const std::vector<std::string>& properties) {
  for (const auto& property : properties) {
    const auto key = kafka::split_property(property).first;
    for (const char* fixed : kFixedProperties) {
      if (key == fixed) {
        throw InputError(
            fmt::format("{} {}: not allowed for process, which commits offsets itself once Cassandra has the rows",
                        Setting::kafka_property, key));
      }
    }
  }
}

// The answers to commits, served by librdkafka inside poll() on the loop's thread.
class Consumer::CommitResults : public RdKafka::OffsetCommitCb {
 public:
  explicit CommitResults(Consumer& owner) : owner_(owner) {}
  void offset_commit_cb(RdKafka::ErrorCode err, std::vector<RdKafka::TopicPartition*>& offsets) override {
    owner_.on_commit_result(err, offsets);
  }

 private:
  Consumer& owner_;
};

class Consumer::Rebalance : public RdKafka::RebalanceCb {
 public:
  explicit Rebalance(Consumer& owner) : owner_(owner) {}
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      owner_.on_assign(*consumer, partitions);
    } else {
      if (err != RdKafka::ERR__REVOKE_PARTITIONS) {
        spdlog::warn("Kafka: rebalance failed ({}); giving up the assigned partitions", RdKafka::err2str(err));
      }
      owner_.on_revoke(*consumer, partitions);
    }
  }

 private:
  Consumer& owner_;
};

Consumer::Consumer(const ConsumerSettings& settings, PartitionListener& listener)
    : topic_(settings.topic),
      bootstrap_servers_(settings.bootstrap_servers),
      group_(settings.group),
      starting_offsets_(settings.starting_offsets),
      fail_on_data_loss_(settings.fail_on_data_loss),
      listener_(&listener),
      rebalance_(std::make_unique<Rebalance>(*this)),
      commit_results_(std::make_unique<CommitResults>(*this)),
      give_up_after_(settings.give_up_after) {
  check_consumer_properties(settings.properties);
  std::vector<std::pair<std::string, std::string>> defaults = {
      {"group.id", settings.group},
      {"partition.assignment.strategy", "cooperative-sticky"},
      // How far librdkafka reads ahead. Its defaults (100,000 records per partition, 64 MiB) held
      // a whole 300,000-record backlog in memory (69 MB, heaptrack); 10,000 per partition still
      // keeps the next batch ready at 28,000 records/s.
      {"queued.min.messages", "10000"},
      // Where a partition ends, past transaction markers (see poll()); -X may turn it off.
      {"enable.partition.eof", "true"},
      {"queued.max.messages.kbytes", "16384"},
      // Which brokers it reaches, for /healthz and the dashboard (kafka/broker_states.hpp): the
      // state of a connection to every broker of the cluster, not only to those it needs now
      // (librdkafka's default), so a broker back from a restart shows as reachable again.
      {"statistics.interval.ms", "1000"},
      {"enable.sparse.connections", "false"},
      // Since librdkafka 2.10 a broker missing from a metadata answer (down) is forgotten until a
      // later answer lists it again, by default up to 5 minutes later: refreshing every 30 s
      // brings a restarted broker back to /healthz within that (one small request each time).
      {"topic.metadata.refresh.interval.ms", "30000"},
  };
  if (settings.low_latency) defaults.emplace_back("fetch.wait.max.ms", std::to_string(kLowLatencyFetchWaitMs));
  auto conf = kafka::make_client_config(settings.bootstrap_servers, settings.properties, defaults);
  kafka::set_property(*conf, "enable.auto.commit", "false");
  kafka::set_property(*conf, "enable.auto.offset.store", "false");
  kafka::set_property(*conf, "isolation.level", "read_committed");
  // Never moved by librdkafka: ERR__AUTO_OFFSET_RESET comes to poll() instead (see the header).
  kafka::set_property(*conf, "auto.offset.reset", "error");
  std::string err;
  if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(rebalance_.get()), err) != RdKafka::Conf::CONF_OK ||
      conf->set("offset_commit_cb", static_cast<RdKafka::OffsetCommitCb*>(commit_results_.get()), err) !=
          RdKafka::Conf::CONF_OK) {
    throw RuntimeFailure("Kafka consumer: " + err);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer_) throw InputError("cannot create the Kafka consumer: " + err);
}

Consumer::~Consumer() {
  if (!closed_) close();
}

std::optional<int> Consumer::wait_for_topic(const StopFlag& stop, std::chrono::milliseconds every) {
  std::string err;
  std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(consumer_.get(), topic_, nullptr, err));
  if (!handle) throw InputError(fmt::format("topic {}: {}", topic_, err));
  // Asked every `every` (jittered), warned about every 5 s, given up on after give_up_after.
  // The wait began with the first request (its 5 s timeout included).
  RetryPacer retry({.first_wait = every, .max_wait = every, .give_up_after = give_up_after_});
  const auto started = std::chrono::steady_clock::now();
  bool said_missing = false;
  const auto give_up = [&](const std::string& what) {
    if (retry.give_up_due()) {
      throw RuntimeFailure(
          fmt::format("{} for {}: giving up, as a run with {} must end", what,
                      format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(retry.failing_for())),
                      Setting::until_idle));
    }
  };
  for (;;) {
    RdKafka::Metadata* raw = nullptr;
    const RdKafka::ErrorCode code = consumer_->metadata(false, handle.get(), &raw, 5000);
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    if (code != RdKafka::ERR_NO_ERROR) {
      retry.failed(false, started);
      // Serves the error events that say why (nothing is subscribed yet, so nothing is read).
      const std::unique_ptr<RdKafka::Message> served(consumer_->consume(0));
      kafka::throw_if_security_failure(bootstrap_servers_);
      if (retry.warning_due()) {
        spdlog::warn("Kafka at {} does not answer ({}); retrying (check {})", bootstrap_servers_,
                     RdKafka::err2str(code), Setting::bootstrap_servers);
      }
      give_up(fmt::format("Kafka at {} did not answer (check {})", bootstrap_servers_, Setting::bootstrap_servers));
    } else {
      bool listed = false;
      for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
        if (t->topic() != topic_) continue;
        listed = true;
        if (t->err() == RdKafka::ERR_NO_ERROR && !t->partitions()->empty()) {
          const int partitions = static_cast<int>(t->partitions()->size());
          partition_count_ = partitions;
          if (retry.succeeded()) spdlog::info("topic {} exists now ({} partitions)", topic_, partitions);
          return partitions;
        }
        if (t->err() != RdKafka::ERR_UNKNOWN_TOPIC_OR_PART && t->err() != RdKafka::ERR_NO_ERROR) {
          retry.failed(false, started);
          if (retry.warning_due()) {
            spdlog::warn("Kafka at {}: topic {}: {}; retrying", bootstrap_servers_, topic_, RdKafka::err2str(t->err()));
          }
          give_up(fmt::format("Kafka at {}: topic {}: {}", bootstrap_servers_, topic_, RdKafka::err2str(t->err())));
          break;
        }
        if (!said_missing) {
          spdlog::warn("topic {} does not exist at {} yet; waiting for it (create it with `ratingstream topic create`)",
                       topic_, bootstrap_servers_);
          said_missing = true;
        }
        retry.failed(false, started);
        give_up(fmt::format("topic {} does not exist at {} (create it with `ratingstream topic create`, or check {})",
                            topic_, bootstrap_servers_, Setting::topic));
      }
      if (!listed) {  // an answer without the topic asked for: as if it did not exist yet
        retry.failed(false, started);
        give_up(fmt::format("topic {} was not in the metadata from {}", topic_, bootstrap_servers_));
      }
    }
    if (!retry.wait(stop)) return std::nullopt;
  }
}

void Consumer::subscribe() {
  const RdKafka::ErrorCode code = consumer_->subscribe({topic_});
  if (code != RdKafka::ERR_NO_ERROR) {
    throw RuntimeFailure(fmt::format("Kafka: cannot subscribe to {}: {}", topic_, RdKafka::err2str(code)));
  }
}

std::optional<Record> Consumer::poll(std::chrono::milliseconds timeout) {
  if (!unpositioned_.empty() && std::chrono::steady_clock::now() >= next_position_attempt_) position_unpositioned();
  const auto ms = static_cast<int>(std::clamp<std::int64_t>(timeout.count(), 0, 60'000));
  std::unique_ptr<RdKafka::Message> message(consumer_->consume(ms));
  rethrow_failure();
  switch (message->err()) {
    case RdKafka::ERR_NO_ERROR: {
      // A record of a partition given up (or being given up) is its next owner's.
      if (!assigned_.contains(message->partition())) return std::nullopt;
      Record record;
      record.partition = message->partition();
      record.offset = message->offset();
      next_offset_[record.partition] = record.offset + 1;
      unreachable_since_.reset();
      const auto ts = message->timestamp();
      record.timestamp_ms = ts.type == RdKafka::MessageTimestamp::MSG_TIMESTAMP_NOT_AVAILABLE ? -1 : ts.timestamp;
      if (message->key_pointer() != nullptr) {
        record.key = std::string_view(static_cast<const char*>(message->key_pointer()), message->key_len());
      }
      if (message->payload() != nullptr) {
        record.value = std::string_view(static_cast<const char*>(message->payload()), message->len());
      }
      record.message = std::move(message);
      return record;
    }
    case RdKafka::ERR__TIMED_OUT: return std::nullopt;
    case RdKafka::ERR__PARTITION_EOF: {
      // The end of a partition written in transactions is a commit marker, which no record is
      // delivered for: the end-of-partition event says the consumer is past it.
      const std::int32_t p = message->partition();
      if (assigned_.contains(p) && message->offset() >= 0) {
        auto& next = next_offset_[p];
        next = std::max(next, message->offset());
      }
      return std::nullopt;
    }
    case RdKafka::ERR__AUTO_OFFSET_RESET: on_offset_reset(message->partition(), message->offset()); return std::nullopt;
    case RdKafka::ERR__FATAL: {
      std::string reason;
      consumer_->fatal_error(reason);
      throw RuntimeFailure(fmt::format("Kafka at {}: fatal consumer error: {}", bootstrap_servers_, reason));
    }
    default:
      kafka::throw_if_security_failure(bootstrap_servers_);
      if (message->err() == RdKafka::ERR__TRANSPORT || message->err() == RdKafka::ERR__ALL_BROKERS_DOWN ||
          message->err() == RdKafka::ERR__RESOLVE) {
        if (!unreachable_since_) unreachable_since_ = std::chrono::steady_clock::now();
      }
      if (error_throttle_.due(std::chrono::steady_clock::now())) {
        spdlog::warn("Kafka at {}: {}", bootstrap_servers_, message->errstr());
      }
      return std::nullopt;
  }
}

std::vector<PartitionOffset> Consumer::committable_now(const std::vector<PartitionOffset>& offsets) const {
  std::vector<PartitionOffset> owned;
  // Inside a revocation the member is at the current generation: the one safe moment.
  if (offsets.empty() || (!in_revoke_ && !commit_allowed())) return owned;  // tried again after the rebalance
  for (const auto& o : offsets) {
    if (assigned_.contains(o.partition)) owned.push_back(o);
  }
  return owned;
}

void Consumer::warn_commit_failed(std::string_view why) {
  if (commit_throttle_.due(std::chrono::steady_clock::now())) {
    spdlog::warn("Kafka at {}: committing offsets failed ({}); trying again later", bootstrap_servers_, why);
  }
}

std::vector<PartitionOffset> Consumer::commit(const std::vector<PartitionOffset>& offsets) {
  std::vector<PartitionOffset> committed;
  const auto owned = committable_now(offsets);
  if (owned.empty()) return committed;
  PartitionList list(offset_items(topic_, owned));
  const RdKafka::ErrorCode code = consumer_->commitSync(list.items);
  std::string failure;
  for (const auto* tp : list.items) {
    if (code == RdKafka::ERR_NO_ERROR && tp->err() == RdKafka::ERR_NO_ERROR) {
      committed.push_back({tp->partition(), tp->offset()});
    } else if (failure.empty()) {
      failure = fmt::format("partition {}: {}", tp->partition(),
                            RdKafka::err2str(tp->err() != RdKafka::ERR_NO_ERROR ? tp->err() : code));
    }
  }
  if (!failure.empty()) {
    warn_commit_failed(failure);
  } else {
    commit_throttle_.reset();
  }
  return committed;
}

std::vector<PartitionOffset> Consumer::commit_async(const std::vector<PartitionOffset>& offsets) {
  const auto owned = committable_now(offsets);
  if (owned.empty()) return owned;
  PartitionList list(offset_items(topic_, owned));
  const RdKafka::ErrorCode code = consumer_->commitAsync(list.items);
  if (code != RdKafka::ERR_NO_ERROR) {
    warn_commit_failed(RdKafka::err2str(code));
    return {};
  }
  ++commits_in_flight_;
  return owned;
}

std::vector<PartitionOffset> Consumer::take_committed() {
  std::vector<PartitionOffset> taken;
  taken.swap(confirmed_);
  return taken;
}

void Consumer::on_commit_result(RdKafka::ErrorCode err, const std::vector<RdKafka::TopicPartition*>& offsets) {
  // librdkafka may answer commitSync's here too: the count never goes below zero.
  if (commits_in_flight_ > 0) --commits_in_flight_;
  std::string failure;
  for (const auto* tp : offsets) {
    if (tp == nullptr || tp->topic() != topic_) continue;
    if (err == RdKafka::ERR_NO_ERROR && tp->err() == RdKafka::ERR_NO_ERROR && tp->offset() >= 0) {
      confirmed_.push_back({tp->partition(), tp->offset()});
    } else if (failure.empty() && err != RdKafka::ERR__NO_OFFSET) {
      failure = fmt::format("partition {}: {}", tp->partition(),
                            RdKafka::err2str(tp->err() != RdKafka::ERR_NO_ERROR ? tp->err() : err));
    }
  }
  if (!failure.empty()) {
    warn_commit_failed(failure);
  } else if (err == RdKafka::ERR_NO_ERROR) {
    commit_throttle_.reset();
  }
}

bool Consumer::commit_allowed() const { return commit_gate_.open(std::chrono::steady_clock::now()); }

std::unique_ptr<RdKafka::ConsumerGroupMetadata> Consumer::group_metadata() {
  std::unique_ptr<RdKafka::ConsumerGroupMetadata> metadata(consumer_->groupMetadata());
  if (!metadata) throw RuntimeFailure("Kafka: the consumer has no group metadata");
  return metadata;
}

std::vector<RdKafka::TopicPartition*> Consumer::assigned_partitions() const {
  std::vector<RdKafka::TopicPartition*> list;
  for (const auto p : assigned_) list.push_back(RdKafka::TopicPartition::create(topic_, p));
  return list;
}

void Consumer::pause() {
  if (paused_) return;
  paused_ = true;
  PartitionList list(assigned_partitions());
  if (!list.items.empty()) consumer_->pause(list.items);
}

void Consumer::resume() {
  if (!paused_) return;
  paused_ = false;
  PartitionList list(assigned_partitions());
  if (!list.items.empty()) consumer_->resume(list.items);
}

void Consumer::apply_pause(std::vector<RdKafka::TopicPartition*>& partitions) {
  if (partitions.empty()) return;
  const RdKafka::ErrorCode code = paused_ ? consumer_->pause(partitions) : consumer_->resume(partitions);
  if (code != RdKafka::ERR_NO_ERROR) {
    spdlog::warn("Kafka: {} partitions of {}: {}", paused_ ? "pausing" : "resuming", topic_, RdKafka::err2str(code));
  }
}

void Consumer::on_assign(RdKafka::KafkaConsumer& consumer, std::vector<RdKafka::TopicPartition*>& partitions) {
  const auto ids = ids_of(partitions);
  commit_gate_.assigned();
  // Each starts at its committed offset (OFFSET_INVALID means that); one without gets
  // ERR__AUTO_OFFSET_RESET in poll(), where its start is decided.
  for (auto* tp : partitions) tp->set_offset(RdKafka::Topic::OFFSET_INVALID);
  if (consumer.rebalance_protocol() == "COOPERATIVE") {
    log_rdkafka_error(consumer.incremental_assign(partitions), "incremental assign");
  } else {  // -X partition.assignment.strategy=range or roundrobin: the whole assignment each time
    assigned_.clear();
    next_offset_.clear();
    unpositioned_.clear();
    consumer.assign(partitions);
  }
  for (const auto p : ids) {
    assigned_.insert(p);
    next_offset_.erase(p);
    partition_count_ = std::max(partition_count_, p + 1);
  }
  apply_pause(partitions);
  if (!ids.empty()) {
    spdlog::info("Kafka: assigned partitions {} of {} (now {})", fmt::join(ids, ","), topic_,
                 fmt::join(assigned_, ","));
  }
  notify([&] { listener_->partitions_assigned(ids); });
}

void Consumer::notify(const std::function<void()>& call) {
  // Nothing may unwind through librdkafka's callback: its rebalance would never complete and
  // closing the consumer would wait for ever. The failure is raised again by poll() or
  // rethrow_failure(), outside the callback.
  try {
    call();
  } catch (...) {
    if (!pending_failure_) pending_failure_ = std::current_exception();
  }
}

void Consumer::rethrow_failure() {
  if (!pending_failure_) return;
  auto failure = std::exchange(pending_failure_, nullptr);
  std::rethrow_exception(failure);
}

void Consumer::on_revoke(RdKafka::KafkaConsumer& consumer, std::vector<RdKafka::TopicPartition*>& partitions) {
  const auto ids = ids_of(partitions);
  const bool lost = consumer.assignment_lost();
  in_revoke_ = true;
  notify([&] { listener_->partitions_revoked(ids, lost); });
  in_revoke_ = false;
  if (consumer.rebalance_protocol() == "COOPERATIVE") {
    log_rdkafka_error(consumer.incremental_unassign(partitions), "incremental unassign");
    for (const auto p : ids) {
      assigned_.erase(p);
      next_offset_.erase(p);
      unpositioned_.erase(p);
    }
    // The group now rebalances once more to hand these partitions to another member.
    if (!lost && !closed_ && !ids.empty()) commit_gate_.revoked(std::chrono::steady_clock::now());
  } else {
    consumer.unassign();
    assigned_.clear();
    next_offset_.clear();
    unpositioned_.clear();
  }
  if (!ids.empty()) {
    spdlog::info(
        "Kafka: {} partitions {} of {}{}", lost ? "lost" : "gave up", fmt::join(ids, ","), topic_,
        lost ? " (the group gave them to another member; their uncommitted records are read again there)" : "");
  }
}

std::optional<std::pair<std::int64_t, std::int64_t>> Consumer::watermarks(std::int32_t partition, int timeout_ms) {
  std::int64_t low = -1, high = -1;
  const RdKafka::ErrorCode code = consumer_->query_watermark_offsets(topic_, partition, &low, &high, timeout_ms);
  if (code != RdKafka::ERR_NO_ERROR) {
    if (!unreachable_since_) unreachable_since_ = std::chrono::steady_clock::now();
    return std::nullopt;
  }
  unreachable_since_.reset();
  return std::pair{low, high};
}

void Consumer::reposition(std::int32_t partition, std::int64_t offset) {
  if (consumer_->rebalance_protocol() == "COOPERATIVE") {
    PartitionList before({RdKafka::TopicPartition::create(topic_, partition)});
    log_rdkafka_error(consumer_->incremental_unassign(before.items), "incremental unassign");
    PartitionList at({RdKafka::TopicPartition::create(topic_, partition, offset)});
    log_rdkafka_error(consumer_->incremental_assign(at.items), "incremental assign");
    apply_pause(at.items);
  } else {
    // The whole assignment at once: the others where they are (at their committed offset where
    // nothing was read from them yet, which is then the same).
    PartitionList all;
    for (const auto p : assigned_) {
      const auto next = next_offset_.find(p);
      const std::int64_t at = p == partition               ? offset
                              : next != next_offset_.end() ? next->second
                                                           : RdKafka::Topic::OFFSET_INVALID;
      all.items.push_back(RdKafka::TopicPartition::create(topic_, p, at));
    }
    const RdKafka::ErrorCode code = consumer_->assign(all.items);
    if (code != RdKafka::ERR_NO_ERROR) spdlog::error("Kafka: assign: {}", RdKafka::err2str(code));
    apply_pause(all.items);
  }
  next_offset_[partition] = offset;
}

void Consumer::on_offset_reset(std::int32_t partition, std::int64_t offset) {
  if (!assigned_.contains(partition)) return;
  if (offset < 0) {  // no committed offset
    // Positioned meanwhile with the others of its assignment (below): this event is stale.
    if (next_offset_.contains(partition)) return;
    unpositioned_.insert(partition);
    position_unpositioned();
    return;
  }
  // An event older than the partition's last repositioning (queued before it) is stale.
  if (const auto next = next_offset_.find(partition); next != next_offset_.end() && next->second != offset) return;
  const auto marks = watermarks(partition, kOffsetQueryTimeoutMs);
  if (!marks) {
    // Cannot tell what was lost yet: try again from the same offset; it comes back here if the
    // offset is still out of range.
    spdlog::warn(
        "Kafka at {}: offset {} of partition {} of {} is out of range and the partition's offsets cannot "
        "be read now; trying again",
        bootstrap_servers_, offset, partition, topic_);
    reposition(partition, offset);
    return;
  }
  const auto [low, high] = *marks;
  if (offset >= low && offset <= high) {  // in range again (a leader change): read on from there
    reposition(partition, offset);
    return;
  }
  const std::int64_t lost = offset < low ? low - offset : -1;
  const std::string what =
      offset < low ? fmt::format(
                         "records {} to {} of partition {} of {} were removed (retention or delete-records) before "
                         "group {} read them: {} records lost",
                         offset, low - 1, partition, topic_, group_, lost)
                   : fmt::format(
                         "offset {} of partition {} of {} is past its end ({}): the topic was recreated or truncated, "
                         "and records group {} had not read may be lost",
                         offset, partition, topic_, high, group_);
  if (fail_on_data_loss_) {
    throw RuntimeFailure(
        fmt::format("Kafka: {}; stopping ({} fail): the group's offset stays at {}, so "
                    "every start stops here until it is moved (kafka-consumer-groups "
                    "--reset-offsets) or the processor runs with {} continue",
                    what, Setting::on_data_loss, offset, Setting::on_data_loss));
  }
  spdlog::error("Kafka: {}; resuming at the earliest retained record, offset {}", what, low);
  reposition(partition, low);
  listener_->partition_positioned(partition, low, lost);
}

void Consumer::position_unpositioned() {
  next_position_attempt_ = std::chrono::steady_clock::now() + kPositionRetry;
  // Has the group committed anything on this topic? Then it started before, and a partition
  // without an offset is one added since: it starts at its beginning. Asked of every partition,
  // since this process may hold none of the committed ones.
  PartitionList all;
  for (std::int32_t p = 0; p < std::max(partition_count_, *unpositioned_.rbegin() + 1); ++p) {
    all.items.push_back(RdKafka::TopicPartition::create(topic_, p));
  }
  const RdKafka::ErrorCode code = consumer_->committed(all.items, kOffsetQueryTimeoutMs);
  if (code != RdKafka::ERR_NO_ERROR) {
    if (error_throttle_.due(std::chrono::steady_clock::now())) {
      spdlog::warn("Kafka at {}: cannot read the committed offsets of group {} ({}); trying again", bootstrap_servers_,
                   group_, RdKafka::err2str(code));
    }
    return;
  }
  const bool group_started = std::any_of(all.items.begin(), all.items.end(), [](const RdKafka::TopicPartition* tp) {
    return tp->err() == RdKafka::ERR_NO_ERROR && tp->offset() >= 0;
  });
  // Every assigned partition without a committed offset is decided now, with the same answer:
  // once one is positioned (and committed) the group would look started to the next.
  for (const auto* tp : all.items) {
    if (assigned_.contains(tp->partition()) && !next_offset_.contains(tp->partition()) &&
        tp->err() == RdKafka::ERR_NO_ERROR && tp->offset() < 0) {
      unpositioned_.insert(tp->partition());
    }
  }
  // Drop those committed meanwhile; ask where every other one begins and ends before positioning
  // any, so that all are decided alike (a retry after positioning some would see them committed).
  for (const auto* tp : all.items) {
    if (tp->err() == RdKafka::ERR_NO_ERROR && tp->offset() >= 0) unpositioned_.erase(tp->partition());
  }
  std::map<std::int32_t, std::pair<std::int64_t, std::int64_t>> ends;
  for (const std::int32_t partition : unpositioned_) {
    const auto marks = watermarks(partition, kOffsetQueryTimeoutMs);
    if (!marks) return;  // tried again later, all of them
    ends[partition] = *marks;
  }
  for (const auto& [partition, marks] : ends) {
    const bool from_beginning = group_started || starting_offsets_ == "earliest";
    const std::int64_t start = from_beginning ? marks.first : marks.second;
    spdlog::info("Kafka: partition {} of {} has no committed offset for group {}: starting at offset {} ({})",
                 partition, topic_, group_, start,
                 group_started
                     ? "the group started before, so this partition is new: from its beginning"
                     : fmt::format("the group's first start: {} {}", Setting::starting_offsets, starting_offsets_));
    unpositioned_.erase(partition);
    reposition(partition, start);
    listener_->partition_positioned(partition, start, 0);
  }
}

std::vector<PartitionProgress> Consumer::progress() {
  std::vector<PartitionProgress> progress;
  PartitionList committed_of;  // partitions not read from yet: their committed offsets
  for (const auto p : assigned_) {
    if (!next_offset_.contains(p) && !unpositioned_.contains(p)) {
      committed_of.items.push_back(RdKafka::TopicPartition::create(topic_, p));
    }
  }
  if (!committed_of.items.empty() &&
      consumer_->committed(committed_of.items, kLagQueryTimeoutMs) != RdKafka::ERR_NO_ERROR) {
    for (auto* tp : committed_of.items) tp->set_offset(RdKafka::Topic::OFFSET_INVALID);
  }
  for (const auto p : assigned_) {
    PartitionProgress entry;
    std::int64_t low = -1, high = -1;
    if (consumer_->get_watermark_offsets(topic_, p, &low, &high) != RdKafka::ERR_NO_ERROR || high < 0) {
      // Not fetched yet (paused, or just assigned): ask the broker.
      if (const auto marks = watermarks(p, kLagQueryTimeoutMs)) std::tie(low, high) = *marks;
    }
    entry.high_watermark = high;
    if (const auto next = next_offset_.find(p); next != next_offset_.end()) {
      entry.position = next->second;
    } else if (unpositioned_.contains(p)) {
      entry.position = low;  // all of it is unread
    } else {
      for (const auto* tp : committed_of.items) {
        if (tp->partition() != p || tp->err() != RdKafka::ERR_NO_ERROR || tp->offset() < 0) continue;
        entry.position = tp->offset();
        next_offset_[p] = tp->offset();  // where librdkafka reads it from: asked only once
      }
    }
    progress.push_back(entry);
  }
  return progress;
}

std::int64_t Consumer::lag() {
  if (assigned_.empty()) return -1;
  return total_lag(progress());
}

bool Consumer::caught_up() { return !assigned_.empty() && kafka::caught_up(progress()); }

void Consumer::check_reachable() {
  if (!give_up_after_ || !unreachable_since_) return;
  const auto waited = std::chrono::steady_clock::now() - *unreachable_since_;
  if (waited < *give_up_after_) return;
  // An error event may have been a passing disconnect with nothing said since: ask once more.
  std::string err;
  std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(consumer_.get(), topic_, nullptr, err));
  RdKafka::Metadata* raw = nullptr;
  if (handle && consumer_->metadata(false, handle.get(), &raw, kOffsetQueryTimeoutMs) == RdKafka::ERR_NO_ERROR) {
    delete raw;
    unreachable_since_.reset();
    return;
  }
  delete raw;
  throw RuntimeFailure(fmt::format(
      "Kafka at {} did not answer for {} (check {}): giving up, as a run with {} must end; what was not written is "
      "read again on the next start",
      bootstrap_servers_, format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(waited)),
      Setting::bootstrap_servers, Setting::until_idle));
}

void Consumer::close() {
  if (closed_) return;
  closed_ = true;
  const RdKafka::ErrorCode code = consumer_->close();
  if (code != RdKafka::ERR_NO_ERROR) spdlog::warn("Kafka: closing the consumer: {}", RdKafka::err2str(code));
}

}  // namespace ratingstream::kafka
