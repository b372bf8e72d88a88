#include "process/consumer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <utility>

#include "common/errors.hpp"
#include "kafka/client_config.hpp"

namespace ratingstream::process {
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

std::vector<std::int32_t> ids_of(const std::vector<RdKafka::TopicPartition*>& partitions) {
  std::vector<std::int32_t> ids;
  for (const auto* tp : partitions) ids.push_back(tp->partition());
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Properties the commit discipline depends on: set here, never by -X.
constexpr const char* kFixedProperties[] = {"enable.auto.commit", "enable.auto.offset.store"};

// The longest commits wait for the second half of a cooperative rebalance.
constexpr std::chrono::seconds kRebalanceCommitPause{30};
// Callbacks this close to a revocation belong to the same rebalance round.
constexpr std::chrono::milliseconds kSameRound{100};

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

void check_consumer_properties(const std::vector<std::string>& properties) {
  for (const auto& property : properties) {
    const auto key = kafka::split_property(property).first;
    for (const char* fixed : kFixedProperties) {
      if (key == fixed) {
        throw InputError(fmt::format(
            "-X {}: not allowed for process, which commits offsets itself once Cassandra has the rows", key));
      }
    }
  }
}

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
      listener_(&listener),
      rebalance_(std::make_unique<Rebalance>(*this)) {
  check_consumer_properties(settings.properties);
  std::vector<std::pair<std::string, std::string>> defaults = {
      {"group.id", settings.group},
      {"auto.offset.reset", settings.starting_offsets},
      {"partition.assignment.strategy", "cooperative-sticky"},
      // How far librdkafka reads ahead. Its defaults (100,000 records per partition, 64 MiB) held
      // a whole 300,000-record backlog in memory (69 MB, heaptrack); 10,000 per partition still
      // keeps the next batch ready at 28,000 records/s.
      {"queued.min.messages", "10000"},
      {"queued.max.messages.kbytes", "16384"},
  };
  if (settings.low_latency) defaults.emplace_back("fetch.wait.max.ms", std::to_string(kLowLatencyFetchWaitMs));
  auto conf = kafka::make_client_config(settings.bootstrap_servers, settings.properties, defaults);
  kafka::set_property(*conf, "enable.auto.commit", "false");
  kafka::set_property(*conf, "enable.auto.offset.store", "false");
  std::string err;
  if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(rebalance_.get()), err) !=
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
  WarningThrottle unreachable;
  bool said_missing = false;
  bool waited = false;
  for (;;) {
    RdKafka::Metadata* raw = nullptr;
    const RdKafka::ErrorCode code = consumer_->metadata(false, handle.get(), &raw, 5000);
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    if (code != RdKafka::ERR_NO_ERROR) {
      waited = true;
      // Serves the error events that say why (nothing is subscribed yet, so nothing is read).
      std::unique_ptr<RdKafka::Message>(consumer_->consume(0));
      kafka::throw_if_security_failure(bootstrap_servers_);
      if (unreachable.due(std::chrono::steady_clock::now())) {
        spdlog::warn("Kafka at {} does not answer ({}); retrying (check -b/--bootstrap-servers)", bootstrap_servers_,
                     RdKafka::err2str(code));
      }
    } else {
      for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
        if (t->topic() != topic_) continue;
        if (t->err() == RdKafka::ERR_NO_ERROR && !t->partitions()->empty()) {
          const int partitions = static_cast<int>(t->partitions()->size());
          if (waited) spdlog::info("topic {} exists now ({} partitions)", topic_, partitions);
          return partitions;
        }
        if (t->err() != RdKafka::ERR_UNKNOWN_TOPIC_OR_PART && t->err() != RdKafka::ERR_NO_ERROR) {
          waited = true;
          if (unreachable.due(std::chrono::steady_clock::now())) {
            spdlog::warn("Kafka at {}: topic {}: {}; retrying", bootstrap_servers_, topic_, RdKafka::err2str(t->err()));
          }
          break;
        }
        if (!said_missing) {
          spdlog::warn("topic {} does not exist at {} yet; waiting for it (create it with `ratingstream topic create`)",
                       topic_, bootstrap_servers_);
          said_missing = true;
        }
        waited = true;
      }
    }
    if (!wait_unless_stopped(every, stop, {})) return std::nullopt;
  }
}

void Consumer::subscribe() {
  const RdKafka::ErrorCode code = consumer_->subscribe({topic_});
  if (code != RdKafka::ERR_NO_ERROR) {
    throw RuntimeFailure(fmt::format("Kafka: cannot subscribe to {}: {}", topic_, RdKafka::err2str(code)));
  }
}

std::optional<RawRecord> Consumer::poll(std::chrono::milliseconds timeout) {
  const auto ms = static_cast<int>(std::clamp<std::int64_t>(timeout.count(), 0, 60'000));
  std::unique_ptr<RdKafka::Message> message(consumer_->consume(ms));
  switch (message->err()) {
    case RdKafka::ERR_NO_ERROR: {
      RawRecord record;
      record.partition = message->partition();
      record.offset = message->offset();
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
    case RdKafka::ERR__TIMED_OUT:
    case RdKafka::ERR__PARTITION_EOF:
      return std::nullopt;
    case RdKafka::ERR__FATAL: {
      std::string reason;
      consumer_->fatal_error(reason);
      throw RuntimeFailure(fmt::format("Kafka at {}: fatal consumer error: {}", bootstrap_servers_, reason));
    }
    default:
      kafka::throw_if_security_failure(bootstrap_servers_);
      if (error_throttle_.due(std::chrono::steady_clock::now())) {
        spdlog::warn("Kafka at {}: {}", bootstrap_servers_, message->errstr());
      }
      return std::nullopt;
  }
}

std::vector<PartitionOffset> Consumer::commit(const std::vector<PartitionOffset>& offsets) {
  std::vector<PartitionOffset> committed;
  if (offsets.empty()) return committed;
  if (rebalancing_until_) {
    if (std::chrono::steady_clock::now() < *rebalancing_until_) return committed;  // after the rebalance
    rebalancing_until_.reset();
  }
  PartitionList list;
  for (const auto& o : offsets) list.items.push_back(RdKafka::TopicPartition::create(topic_, o.partition, o.offset));
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
    if (commit_throttle_.due(std::chrono::steady_clock::now())) {
      spdlog::warn("Kafka at {}: committing offsets failed ({}); trying again later", bootstrap_servers_, failure);
    }
  } else {
    commit_throttle_.reset();
  }
  return committed;
}

std::vector<RdKafka::TopicPartition*> Consumer::assigned_partitions() const {
  std::vector<RdKafka::TopicPartition*> list;
  for (const auto p : assigned_) list.push_back(RdKafka::TopicPartition::create(topic_, p));
  return list;
}

void Consumer::pause() {
  paused_ = true;
  PartitionList list(assigned_partitions());
  if (!list.items.empty()) consumer_->pause(list.items);
}

void Consumer::resume() {
  paused_ = false;
  PartitionList list(assigned_partitions());
  if (!list.items.empty()) consumer_->resume(list.items);
}

void Consumer::on_assign(RdKafka::KafkaConsumer& consumer, std::vector<RdKafka::TopicPartition*>& partitions) {
  const auto ids = ids_of(partitions);
  // The assignment that ends the rebalance after a revocation; not the (empty) one librdkafka
  // delivers right with the revocation, in the same round.
  if (revoked_at_ && std::chrono::steady_clock::now() - *revoked_at_ >= kSameRound) {
    rebalancing_until_.reset();
    revoked_at_.reset();
  }
  if (consumer.rebalance_protocol() == "COOPERATIVE") {
    log_rdkafka_error(consumer.incremental_assign(partitions), "incremental assign");
  } else {  // -X partition.assignment.strategy=range or roundrobin: the whole assignment each time
    assigned_.clear();
    consumer.assign(partitions);
  }
  assigned_.insert(ids.begin(), ids.end());
  if (paused_ && !partitions.empty()) consumer.pause(partitions);
  if (!ids.empty()) {
    spdlog::info("Kafka: assigned partitions {} of {} (now {})", fmt::join(ids, ","), topic_,
                 fmt::join(assigned_, ","));
  }
  listener_->partitions_assigned(ids);
}

void Consumer::on_revoke(RdKafka::KafkaConsumer& consumer, std::vector<RdKafka::TopicPartition*>& partitions) {
  const auto ids = ids_of(partitions);
  const bool lost = consumer.assignment_lost();
  listener_->partitions_revoked(ids, lost);
  if (consumer.rebalance_protocol() == "COOPERATIVE") {
    log_rdkafka_error(consumer.incremental_unassign(partitions), "incremental unassign");
    for (const auto p : ids) assigned_.erase(p);
    // The group now rebalances once more to hand these partitions to another member.
    if (!lost && !closed_ && !ids.empty()) {
      revoked_at_ = std::chrono::steady_clock::now();
      rebalancing_until_ = *revoked_at_ + kRebalanceCommitPause;
    }
  } else {
    consumer.unassign();
    assigned_.clear();
  }
  if (!ids.empty()) {
    spdlog::info("Kafka: {} partitions {} of {}{}", lost ? "lost" : "gave up", fmt::join(ids, ","), topic_,
                 lost ? " (the group gave them to another member; their uncommitted records are read again there)"
                      : "");
  }
}

std::int64_t Consumer::lag() {
  PartitionList list(assigned_partitions());
  if (list.items.empty()) return -1;
  consumer_->position(list.items);
  std::vector<PartitionProgress> progress;
  for (const auto* tp : list.items) {
    std::int64_t low = -1, high = -1;
    if (consumer_->get_watermark_offsets(topic_, tp->partition(), &low, &high) != RdKafka::ERR_NO_ERROR) high = -1;
    progress.push_back({tp->offset(), high});
  }
  return total_lag(progress);
}

void Consumer::close() {
  if (closed_) return;
  closed_ = true;
  const RdKafka::ErrorCode code = consumer_->close();
  if (code != RdKafka::ERR_NO_ERROR) spdlog::warn("Kafka: closing the consumer: {}", RdKafka::err2str(code));
}

}  // namespace ratingstream::process
