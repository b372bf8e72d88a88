#include "kafka/dead_letter_sink.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <uuid/uuid.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "common/errors.hpp"
#include "common/setting.hpp"
#include "kafka/client_config.hpp"
#include "kafka/consumer.hpp"
#include "kafka/topic_admin.hpp"
#include "kafka/topic_config.hpp"

namespace ratingstream::kafka {

// Collects the broker's answer for each record of the transaction being sent; msg_opaque carries
// the record's index. Called from producer poll/flush, on the pipeline thread.
class DeadLetterSink::DeliveryReports : public RdKafka::DeliveryReportCb {
 public:
  void reset(std::size_t count) { results_.assign(count, RdKafka::ERR__IN_PROGRESS); }
  void set(std::size_t index, RdKafka::ErrorCode error) { results_.at(index) = error; }
  RdKafka::ErrorCode result(std::size_t index) const { return results_.at(index); }

  void dr_cb(RdKafka::Message& message) override {
    const auto index = reinterpret_cast<std::uintptr_t>(message.msg_opaque());
    if (index < results_.size()) results_[index] = message.err();
  }

 private:
  std::vector<RdKafka::ErrorCode> results_;
};

namespace {

constexpr std::chrono::seconds kFlushGraceOnStop{5};
// Long enough that a broker away for a few minutes does not end an open transaction; the broker
// allows up to transaction.max.timeout.ms (15 min by default).
constexpr int kTransactionTimeoutMs = 300'000;
constexpr int kMessageTimeoutMs = 60'000;
// Fenced twice within this long: not a transaction that timed out but a twin.
constexpr std::chrono::minutes kRecoveryWindow{1};
constexpr int kCallTimeoutMs = 30'000;
// The transaction's own calls wait in steps this long, serving the consumer in between (a broker
// that throttles or stalls the producer must not keep the process from its group), for at most
// kPersistentBudget (a batch's dead letters) or kOnceBudget (a commit of offsets alone, tried
// again later); past that the transaction is ended by the next attempt.
constexpr int kStepMs = 1000;
constexpr std::chrono::seconds kPersistentBudget{60};
constexpr std::chrono::seconds kOnceBudget{5};
// The broker's default max.message.bytes, for a topic whose limit cannot be read.
constexpr std::int64_t kBrokerDefaultMaxMessageBytes = 1'048'588;
// librdkafka's fixed cost of one record besides key, value and headers (its wire-size check).
constexpr std::size_t kRecordOverhead = 36;

// A record batch holding one dead letter: its header (61 bytes) and what compression may add to
// data that does not compress.
std::size_t batch_margin(std::int64_t limit) { return 61 + static_cast<std::size_t>(limit / 200) + 512; }

std::string random_id() {
  uuid_t id;
  uuid_generate_random(id);
  char text[37];
  uuid_unparse_lower(id, text);
  return text;
}

// The size librdkafka gives the headers of a record (names, values and their lengths).
std::size_t header_bytes(const RdKafka::Headers& headers) {
  std::size_t bytes = 10;
  for (const auto& h : headers.get_all()) bytes += h.key().size() + h.value_size() + 10;
  return bytes;
}

class TransactionScope {
 public:
  explicit TransactionScope(bool& flag) : flag_(flag) { flag_ = true; }
  ~TransactionScope() { flag_ = false; }
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;

 private:
  bool& flag_;
};

struct ErrorPtr {
  std::unique_ptr<RdKafka::Error> error;
  explicit ErrorPtr(RdKafka::Error* e) : error(e) {}
  explicit operator bool() const { return error != nullptr; }
  RdKafka::Error* operator->() const { return error.get(); }
};

}  // namespace

bool delivery_error_is_retryable(RdKafka::ErrorCode error) {
  switch (error) {
    case RdKafka::ERR_MSG_SIZE_TOO_LARGE:
    case RdKafka::ERR_RECORD_LIST_TOO_LARGE:
    case RdKafka::ERR_INVALID_MSG:
    case RdKafka::ERR_INVALID_RECORD:
    case RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED:
    case RdKafka::ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RdKafka::ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
    case RdKafka::ERR_POLICY_VIOLATION:
    case RdKafka::ERR__UNKNOWN_TOPIC:
    case RdKafka::ERR__INVALID_ARG:
    case RdKafka::ERR__FATAL: return false;
    default: return true;
  }
}

std::size_t kept_value_bytes(std::size_t key_bytes, std::size_t value_bytes, std::size_t header_bytes,
                             std::size_t limit) {
  const std::size_t fixed = key_bytes + header_bytes + kRecordOverhead;
  if (fixed + value_bytes <= limit) return value_bytes;
  return fixed >= limit ? 0 : limit - fixed;
}

DeadLetterSink::DeadLetterSink(DeadLetterSettings settings)
    : settings_(std::move(settings)), reports_(std::make_unique<DeliveryReports>()) {
  // Checked now, so a bad -X is exit 2 before anything waits for a server.
  kafka::make_client_config(settings_.bootstrap_servers, settings_.properties);
}

DeadLetterSink::~DeadLetterSink() = default;

void DeadLetterSink::fail(const std::string& what, const RdKafka::Error* error) const {
  std::string reason = error != nullptr ? error->str() : std::string();
  if (error != nullptr && (error->code() == RdKafka::ERR__FENCED || error->code() == RdKafka::ERR_PRODUCER_FENCED ||
                           error->code() == RdKafka::ERR_INVALID_PRODUCER_EPOCH)) {
    reason += fmt::format("; another processor runs with the same transactional id (the same {} group.instance.id)",
                          Setting::kafka_property);
  }
  throw RuntimeFailure(fmt::format("Kafka at {}: dead-letter topic {}: {}{}{}; stopping", settings_.bootstrap_servers,
                                   settings_.topic, what, reason.empty() ? "" : ": ", reason));
}

bool DeadLetterSink::prepare(int partitions, std::chrono::milliseconds timeout, const StopFlag& stop) {
  const auto admin = kafka::make_client_config(settings_.bootstrap_servers, settings_.properties);
  std::int64_t source_limit = kBrokerDefaultMaxMessageBytes;
  try {
    source_limit = kafka::max_message_bytes(*admin, settings_.source_topic, timeout).value_or(source_limit);
  } catch (const RuntimeFailure& e) {
    spdlog::warn("{}; sizing dead letters for the broker's default limit ({} bytes)", e.what(), source_limit);
  }
  const std::int64_t wanted = source_limit + kDeadLetterHeadroomBytes;
  std::optional<std::int64_t> limit;
  if (const auto existing = kafka::partition_count(*admin, settings_.topic, timeout)) {
    spdlog::info("dead-letter topic {} exists ({} partitions)", settings_.topic, *existing);
  } else if (kafka::create_topic(*admin, settings_.topic, partitions, -1, timeout) == kafka::TopicCreation::created) {
    // As large as any record of the source topic plus the dead letter's headers; compressed as
    // the producer sends it, so the size the producer checked is the size the topic checks.
    kafka::set_new_topic_config(*admin, settings_.topic,
                                {{"max.message.bytes", std::to_string(wanted)}, {"compression.type", "producer"}},
                                timeout);
    spdlog::info("created dead-letter topic {} ({} partitions, records up to {} bytes)", settings_.topic, partitions,
                 wanted);
    limit = wanted;  // as just set: the broker may still report the old value for a moment
  }
  if (!limit) {
    try {
      limit = kafka::max_message_bytes(*admin, settings_.topic, timeout).value_or(kBrokerDefaultMaxMessageBytes);
    } catch (const RuntimeFailure& e) {
      limit = kBrokerDefaultMaxMessageBytes;
      spdlog::warn("{}; assuming the broker's default limit ({} bytes)", e.what(), *limit);
    }
  }
  if (*limit < wanted) {
    spdlog::warn(
        "dead-letter topic {} takes records of at most {} bytes, the source topic {} up to {}: a rejected "
        "record too large for it keeps only the start of its value (header {})",
        settings_.topic, *limit, settings_.source_topic, source_limit, kHeaderValueTruncated);
  }
  max_record_bytes_ =
      static_cast<std::size_t>(std::max<std::int64_t>(*limit - static_cast<std::int64_t>(batch_margin(*limit)), 1000));

  return start_producer(stop);
}

bool DeadLetterSink::start_producer(const StopFlag& stop) {
  const std::string transactional_id =
      fmt::format("ratingstream-dlq.{}.{}", settings_.group, settings_.instance_id.value_or(random_id()));
  auto conf = kafka::make_client_config(settings_.bootstrap_servers, settings_.properties,
                                        {
                                            {"transactional.id", transactional_id},
                                            {"transaction.timeout.ms", std::to_string(kTransactionTimeoutMs)},
                                            // Well within the transaction's timeout, so that a
                                            // delivery that succeeds late still commits in time.
                                            {"message.timeout.ms", std::to_string(kMessageTimeoutMs)},
                                            {"compression.codec", "lz4"},
                                            {"linger.ms", "5"},
                                        });
  kafka::set_property(*conf, "message.max.bytes", std::to_string(max_record_bytes_));
  std::string err;
  if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(reports_.get()), err) != RdKafka::Conf::CONF_OK) {
    throw RuntimeFailure("dead-letter producer: " + err);
  }
  producer_.reset(RdKafka::Producer::create(conf.get(), err));
  if (!producer_) throw InputError("cannot create the dead-letter producer: " + err);

  // Also aborts a transaction a predecessor with the same id left open. Retried for as long as
  // the broker is away, like every other wait of the processor.
  RetryPacer retry;
  for (;;) {
    ErrorPtr error(producer_->init_transactions(kCallTimeoutMs));
    if (!error) return true;
    if (!error->is_retriable()) fail("cannot start transactions", error.error.get());
    retry.failed();
    if (retry.warning_due()) {
      spdlog::warn("Kafka at {}: dead-letter producer: starting transactions: {}; retrying",
                   settings_.bootstrap_servers, error->str());
    }
    if (!retry.wait(stop)) return false;
  }
}

RdKafka::ErrorCode DeadLetterSink::produce(const DeadLetter& letter, std::size_t index, std::size_t limit) {
  const Record& record = *letter.source;
  RdKafka::Headers* headers = RdKafka::Headers::create();
  headers->add(kHeaderReason, std::string(letter.reason));
  headers->add(kHeaderDetail, std::string(letter.detail));
  headers->add(kHeaderSourceTopic, settings_.source_topic);
  headers->add(kHeaderSourcePartition, std::to_string(record.partition));
  headers->add(kHeaderSourceOffset, std::to_string(record.offset));
  const std::string_view key = record.key.value_or(std::string_view{});
  const std::string_view value = record.value.value_or(std::string_view{});
  // The headers saying so are counted before the cut is made, so the cut record still fits. A key
  // is cut only when it alone leaves no room (a hostile record's: names are short).
  std::size_t key_kept = key.size();
  if (key.size() + 64 + header_bytes(*headers) + kRecordOverhead > limit) {
    headers->add(kHeaderKeyTruncated, std::to_string(key.size()));
    const std::size_t fixed = header_bytes(*headers) + kRecordOverhead + 64;
    key_kept = std::min(key.size(), limit > fixed ? (limit - fixed) / 2 : 0);
  }
  std::size_t kept = kept_value_bytes(key_kept, value.size(), header_bytes(*headers), limit);
  if (kept < value.size()) {
    headers->add(kHeaderValueTruncated, std::to_string(value.size()));
    kept = kept_value_bytes(key_kept, value.size(), header_bytes(*headers), limit);
  }
  for (;;) {
    const RdKafka::ErrorCode err =
        producer_->produce(settings_.topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                           record.value ? const_cast<char*>(value.data()) : nullptr, record.value ? kept : 0,
                           record.key ? key.data() : nullptr, record.key ? key_kept : 0,
                           record.timestamp_ms >= 0 ? record.timestamp_ms : 0, headers,
                           reinterpret_cast<void*>(static_cast<std::uintptr_t>(index)));
    if (err == RdKafka::ERR_NO_ERROR) return err;  // librdkafka owns the headers now
    if (err == RdKafka::ERR__QUEUE_FULL) {         // wait for room, then try again
      producer_->poll(100);
      continue;
    }
    delete headers;
    return err;
  }
}

bool DeadLetterSink::finish_open_transaction(const StopFlag& stop, const KeepAlive& keep_alive,
                                             std::chrono::steady_clock::time_point deadline, std::string& failure) {
  // commit_transaction and abort_transaction may be called again after a timeout (librdkafka
  // resumes them); one interrupted by a signal, a timeout or an exception is finished here first.
  while (open_) {
    ErrorPtr error(committing_ ? producer_->commit_transaction(kStepMs) : producer_->abort_transaction(kStepMs));
    if (!error) {
      open_ = committing_ = false;
      return true;
    }
    if (error->is_fatal()) return recover_from_fatal(error.error.get(), stop);
    if (committing_ && error->txn_requires_abort()) {
      committing_ = false;  // abort it instead
      continue;
    }
    if (!committing_ && error->code() == RdKafka::ERR__STATE) {  // nothing left to abort
      open_ = false;
      return true;
    }
    failure = fmt::format("{} a transaction: {}", committing_ ? "committing" : "aborting", error->str());
    if (!error->is_retriable()) fail(failure, error.error.get());
    if (stop.load(std::memory_order_relaxed) || std::chrono::steady_clock::now() >= deadline) return false;
    if (keep_alive) keep_alive();
  }
  return true;
}

bool DeadLetterSink::recover_from_fatal(const RdKafka::Error* error, const StopFlag& stop) {
  // A transaction kept open past transaction.timeout.ms (the broker away that long) is ended by
  // the coordinator, and librdkafka reports the producer fenced: a new producer starts over
  // (nothing of that transaction was committed). Fenced again soon after: another process uses
  // the same transactional id.
  const auto now = std::chrono::steady_clock::now();
  if (last_recovery_ && now - *last_recovery_ < kRecoveryWindow) {
    fail("the producer was fenced again right after starting over", error);
  }
  last_recovery_ = now;
  spdlog::warn(
      "Kafka at {}: dead-letter producer: {}; starting a new producer (the open transaction was not "
      "committed and is done again)",
      settings_.bootstrap_servers, error->str());
  producer_.reset();
  open_ = committing_ = false;
  return start_producer(stop);
}

DeadLetterSink::Attempt DeadLetterSink::attempt(std::span<const DeadLetter> letters, const OffsetsToCommit& offsets,
                                                const OwnsPartition& owns, Consumer& consumer, const StopFlag& stop,
                                                const KeepAlive& keep_alive, std::chrono::milliseconds budget,
                                                std::vector<std::size_t>& limits,
                                                std::vector<PartitionOffset>& committed, std::string& failure) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  if (!finish_open_transaction(stop, keep_alive, deadline, failure)) {
    return stop.load(std::memory_order_relaxed) ? Attempt::stopped : Attempt::retry;
  }
  if (ErrorPtr error(producer_->begin_transaction()); error) {
    if (error->is_fatal()) {
      failure = error->str();
      return recover_from_fatal(error.error.get(), stop) ? Attempt::retry : Attempt::stopped;
    }
    fail("cannot begin a transaction", error.error.get());
  }
  open_ = true;
  const auto give_up = [&](std::string what) {
    failure = std::move(what);
    return Attempt::retry;  // aborted by the next attempt's finish_open_transaction()
  };

  reports_->reset(letters.size());
  std::set<std::int32_t> produced_partitions;
  std::vector<std::size_t> produced;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    const std::int32_t partition = letters[i].source->partition;
    if (!owns(partition)) continue;
    const RdKafka::ErrorCode err = produce(letters[i], i, limits[i]);
    if (err != RdKafka::ERR_NO_ERROR) {
      reports_->set(i, err);
      if (!delivery_error_is_retryable(err) && err != RdKafka::ERR_MSG_SIZE_TOO_LARGE) {
        fail(fmt::format("cannot produce the rejected record {}/{}/{} ({})", settings_.source_topic, partition,
                         letters[i].source->offset, RdKafka::err2str(err)),
             nullptr);
      }
    }
    produced.push_back(i);
    produced_partitions.insert(partition);
  }

  // Wait for every answer in short steps, so the consumer is served meanwhile. A signal lets the
  // deliveries under way finish for a few seconds (none after a second signal), then gives up on
  // the transaction.
  std::optional<std::chrono::steady_clock::time_point> give_up_at;
  while (producer_->outq_len() > 0) {
    producer_->flush(100);
    if (keep_alive) keep_alive();
    if (stop.load(std::memory_order_relaxed)) {
      const auto now = std::chrono::steady_clock::now();
      if (!give_up_at) give_up_at = now + kFlushGraceOnStop;
      if (now >= *give_up_at ||
          (settings_.stop_now != nullptr && settings_.stop_now->load(std::memory_order_relaxed))) {
        return Attempt::stopped;
      }
    }
  }

  std::size_t failed = 0;
  RdKafka::ErrorCode first_error = RdKafka::ERR_NO_ERROR;
  for (const std::size_t i : produced) {
    const RdKafka::ErrorCode err = reports_->result(i);
    if (err == RdKafka::ERR_NO_ERROR) continue;
    if (failed++ == 0) first_error = err;
    if (err == RdKafka::ERR_MSG_SIZE_TOO_LARGE || err == RdKafka::ERR_RECORD_LIST_TOO_LARGE) {
      // Larger than the topic takes after all (its limit changed, or compression grew it): cut
      // it further next time.
      limits[i] = std::max<std::size_t>(limits[i] / 2, 1);
    } else if (!delivery_error_is_retryable(err)) {
      fail(fmt::format("cannot produce the rejected record {}/{}/{} ({})", settings_.source_topic,
                       letters[i].source->partition, letters[i].source->offset, RdKafka::err2str(err)),
           nullptr);
    }
  }
  if (failed > 0) {
    return give_up(fmt::format("{} of {} dead letters not delivered ({})", failed, produced.size(),
                               RdKafka::err2str(first_error)));
  }
  // A partition given up meanwhile: its records are its new owner's, so they must not be
  // dead-lettered here. Aborted, and tried again without them.
  for (const std::int32_t p : produced_partitions) {
    if (!owns(p)) return give_up("");
  }

  std::vector<PartitionOffset> to_commit = offsets();
  std::erase_if(to_commit, [&owns](const PartitionOffset& o) { return !owns(o.partition); });
  if (!to_commit.empty()) {
    std::vector<RdKafka::TopicPartition*> list;
    for (const auto& o : to_commit) {
      list.push_back(RdKafka::TopicPartition::create(settings_.source_topic, o.partition, o.offset));
    }
    const auto metadata = consumer.group_metadata();
    // Retriable means: the same call again with the same offsets and metadata. A rebalance served
    // in between makes the metadata stale, which the broker refuses (abortable): nothing of a
    // partition given up is committed here.
    std::optional<std::string> refused;
    for (;;) {
      ErrorPtr error(producer_->send_offsets_to_transaction(list, metadata.get(), kStepMs));
      if (!error) break;
      if (error->is_fatal()) {
        RdKafka::TopicPartition::destroy(list);
        if (!recover_from_fatal(error.error.get(), stop)) return Attempt::stopped;
        return give_up("committing the offsets: " + error->str());
      }
      if (!error->txn_requires_abort() && !error->is_retriable()) {
        RdKafka::TopicPartition::destroy(list);
        fail("cannot commit the offsets", error.error.get());
      }
      if (error->txn_requires_abort() || stop.load(std::memory_order_relaxed) ||
          std::chrono::steady_clock::now() >= deadline) {
        refused = "committing the offsets: " + error->str();
        break;
      }
      if (keep_alive) keep_alive();
    }
    RdKafka::TopicPartition::destroy(list);
    if (refused) return give_up(*refused);
  }
  committing_ = true;
  for (;;) {
    ErrorPtr error(producer_->commit_transaction(kStepMs));
    if (!error) break;
    if (error->is_fatal()) {
      if (!recover_from_fatal(error.error.get(), stop)) return Attempt::stopped;
      return give_up("committing the transaction: " + error->str());
    }
    if (error->txn_requires_abort()) {
      committing_ = false;
      return give_up("committing the transaction: " + error->str());
    }
    if (!error->is_retriable()) fail("cannot commit a transaction", error.error.get());
    // Resumable: the same call again, serving the consumer in between; past the budget (or on a
    // signal) the next attempt resumes it.
    if (stop.load(std::memory_order_relaxed)) return Attempt::stopped;
    if (std::chrono::steady_clock::now() >= deadline) return give_up("committing the transaction: " + error->str());
    if (keep_alive) keep_alive();
  }
  open_ = committing_ = false;
  committed = std::move(to_commit);
  dead_lettered_ = produced.size();
  return Attempt::committed;
}

std::optional<std::vector<PartitionOffset>> DeadLetterSink::commit(std::span<const DeadLetter> letters,
                                                                   const OffsetsToCommit& offsets,
                                                                   const OwnsPartition& owns, Consumer& consumer,
                                                                   const StopFlag& stop, const KeepAlive& keep_alive,
                                                                   bool until_committed) {
  if (!producer_) throw std::logic_error("DeadLetterSink::commit before prepare");
  // A commit asked for while one runs (from a rebalance callback served inside it): that one
  // commits what is done.
  if (busy_) return std::vector<PartitionOffset>{};
  const TransactionScope scope(busy_);
  dead_lettered_ = 0;
  std::vector<std::size_t> limits(letters.size(), max_record_bytes_);
  bool dead_letters_failed = false;  // this call retried a transaction holding dead letters
  for (;;) {
    std::vector<PartitionOffset> committed;
    std::string failure;
    switch (attempt(letters, offsets, owns, consumer, stop, keep_alive,
                    until_committed ? kPersistentBudget : kOnceBudget, limits, committed, failure)) {
      case Attempt::committed:
        commit_retry_.succeeded();
        if (dead_letters_failed) spdlog::info("Kafka at {} takes dead letters again", settings_.bootstrap_servers);
        return committed;
      case Attempt::stopped: return std::nullopt;
      case Attempt::retry: break;
    }
    if (failure.empty()) continue;  // a partition was given up: at once, without it
    commit_retry_.failed();
    if (!until_committed) {
      if (commit_retry_.warning_due()) {
        spdlog::warn("Kafka at {}: committing offsets failed ({}); trying again later", settings_.bootstrap_servers,
                     failure);
      }
      return std::nullopt;
    }
    dead_letters_failed = true;
    if (commit_retry_.warning_due()) {
      spdlog::warn("Kafka at {}: dead-letter topic {}: {}; the transaction is aborted and tried again",
                   settings_.bootstrap_servers, settings_.topic, failure);
    }
    if (!commit_retry_.wait(stop, keep_alive)) return std::nullopt;
  }
}

}  // namespace ratingstream::kafka
