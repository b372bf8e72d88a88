#include "kafka/topic_admin.hpp"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <memory>

#include "common/duration.hpp"
#include "common/errors.hpp"
#include "kafka/client_config.hpp"

namespace ratingstream::kafka {
namespace {

std::string unreachable_message(const std::string& servers, std::chrono::milliseconds waited) {
  auto failure = connection_failure();
  // librdkafka's counters ("(after 0ms in state CONNECT, 1 identical error(s) suppressed)") add
  // nothing for the user.
  if (failure) failure = failure->substr(0, failure->find(" (after "));
  return fmt::format("Kafka at {} did not answer within {}{}", servers, format_duration(waited),
                     failure ? " (" + *failure + ")" : std::string());
}

std::string bootstrap_of(const RdKafka::Conf& conf) {
  std::string servers;
  conf.get("bootstrap.servers", servers);
  return servers;
}

std::unique_ptr<RdKafka::Producer> admin_handle(const RdKafka::Conf& conf) {
  std::string err;
  std::unique_ptr<RdKafka::Producer> handle(RdKafka::Producer::create(&conf, err));
  if (!handle) throw RuntimeFailure("cannot create a Kafka client: " + err);
  return handle;
}

// After a request failed: serves the handle's pending events (its error events record an
// authentication or TLS failure), and throws that failure rather than a vaguer timeout.
void explain_failure(RdKafka::Producer& handle, const RdKafka::Conf& conf) {
  handle.poll(0);
  throw_if_security_failure(bootstrap_of(conf));
}

template <typename T, void (*Destroy)(T*)>
struct CDeleter {
  void operator()(T* p) const { Destroy(p); }
};
using NewTopicPtr = std::unique_ptr<rd_kafka_NewTopic_t, CDeleter<rd_kafka_NewTopic_t, rd_kafka_NewTopic_destroy>>;
using AdminOptionsPtr =
    std::unique_ptr<rd_kafka_AdminOptions_t, CDeleter<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, CDeleter<rd_kafka_queue_t, rd_kafka_queue_destroy>>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, CDeleter<rd_kafka_event_t, rd_kafka_event_destroy>>;

}  // namespace

BrokerUnreachable::BrokerUnreachable(const std::string& servers, std::chrono::milliseconds waited)
    : RuntimeFailure(unreachable_message(servers, waited)), servers_(servers) {}

TopicCreation create_topic(const RdKafka::Conf& conf, const std::string& topic, int partitions, int replication_factor,
                           std::chrono::milliseconds timeout, const std::map<std::string, std::string>& config) {
  auto handle = admin_handle(conf);
  rd_kafka_t* rk = handle->c_ptr();
  char errstr[512];

  NewTopicPtr new_topic(rd_kafka_NewTopic_new(topic.c_str(), partitions, replication_factor, errstr, sizeof errstr));
  if (!new_topic) throw InputError(fmt::format("topic {}: {}", topic, errstr));
  for (const auto& [name, value] : config) {
    if (rd_kafka_NewTopic_set_config(new_topic.get(), name.c_str(), value.c_str()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw InputError(fmt::format("topic {}: cannot set {}", topic, name));
    }
  }

  AdminOptionsPtr options(rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS));
  const int timeout_ms = static_cast<int>(timeout.count());
  rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout_ms, errstr, sizeof errstr);
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout_ms, errstr, sizeof errstr);

  QueuePtr queue(rd_kafka_queue_new(rk));
  rd_kafka_NewTopic_t* topics[] = {new_topic.get()};
  rd_kafka_CreateTopics(rk, topics, 1, options.get(), queue.get());

  // The request times out on its own after `timeout`; wait a little longer for its answer.
  EventPtr event(rd_kafka_queue_poll(queue.get(), timeout_ms + 5000));
  // No answer, or the request's own timeout ("Failed while waiting for controller"): nobody
  // answered at that address, which the caller's message should say rather than the API's words.
  if (!event || rd_kafka_event_error(event.get()) == RD_KAFKA_RESP_ERR__TIMED_OUT) {
    explain_failure(*handle, conf);
    throw BrokerUnreachable(bootstrap_of(conf), timeout);
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    explain_failure(*handle, conf);
    throw RuntimeFailure(fmt::format("Kafka at {}: cannot create topic {}: {}", bootstrap_of(conf), topic,
                                     rd_kafka_event_error_string(event.get())));
  }
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  for (size_t i = 0; i < count; ++i) {
    const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) return TopicCreation::already_existed;
    if (err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT) {
      explain_failure(*handle, conf);
      throw BrokerUnreachable(bootstrap_of(conf), timeout);
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* msg = rd_kafka_topic_result_error_string(results[i]);
      throw RuntimeFailure(fmt::format("Kafka at {}: cannot create topic {}: {}", bootstrap_of(conf), topic,
                                       msg ? msg : rd_kafka_err2str(err)));
    }
  }
  return TopicCreation::created;
}

std::optional<TopicShape> topic_shape(const RdKafka::Conf& conf, const std::string& topic,
                                      std::chrono::milliseconds timeout) {
  auto handle = admin_handle(conf);
  std::string err;
  std::unique_ptr<RdKafka::Topic> topic_handle(RdKafka::Topic::create(handle.get(), topic, nullptr, err));
  if (!topic_handle) throw InputError(fmt::format("topic {}: {}", topic, err));
  RdKafka::Metadata* raw = nullptr;
  const RdKafka::ErrorCode code = handle->metadata(false, topic_handle.get(), &raw, static_cast<int>(timeout.count()));
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (code == RdKafka::ERR__TIMED_OUT || code == RdKafka::ERR__TRANSPORT) {
    explain_failure(*handle, conf);
    throw BrokerUnreachable(bootstrap_of(conf), timeout);
  }
  if (code != RdKafka::ERR_NO_ERROR) {
    explain_failure(*handle, conf);
    throw RuntimeFailure(fmt::format("Kafka at {}: no metadata within {} ms: {}", bootstrap_of(conf), timeout.count(),
                                     RdKafka::err2str(code)));
  }
  for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
    if (t->topic() != topic) continue;
    if (t->err() == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART) return std::nullopt;
    if (t->err() != RdKafka::ERR_NO_ERROR) {
      throw RuntimeFailure(
          fmt::format("Kafka at {}: topic {}: {}", bootstrap_of(conf), topic, RdKafka::err2str(t->err())));
    }
    TopicShape shape;
    shape.partitions = static_cast<int>(t->partitions()->size());
    if (!t->partitions()->empty()) {
      shape.replication_factor = static_cast<int>(t->partitions()->front()->replicas()->size());
    }
    return shape;
  }
  return std::nullopt;
}

std::optional<int> partition_count(const RdKafka::Conf& conf, const std::string& topic,
                                   std::chrono::milliseconds timeout) {
  const auto shape = topic_shape(conf, topic, timeout);
  return shape ? std::optional<int>(shape->partitions) : std::nullopt;
}

}  // namespace ratingstream::kafka
