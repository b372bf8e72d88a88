#include "kafka/topic_config.hpp"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <charconv>
#include <memory>

#include "common/errors.hpp"

namespace ratingstream::kafka {
namespace {

template <typename T, void (*Destroy)(T*)>
struct CDeleter {
  void operator()(T* p) const { Destroy(p); }
};
using ResourcePtr =
    std::unique_ptr<rd_kafka_ConfigResource_t, CDeleter<rd_kafka_ConfigResource_t, rd_kafka_ConfigResource_destroy>>;
using OptionsPtr =
    std::unique_ptr<rd_kafka_AdminOptions_t, CDeleter<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, CDeleter<rd_kafka_queue_t, rd_kafka_queue_destroy>>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, CDeleter<rd_kafka_event_t, rd_kafka_event_destroy>>;

std::string servers_of(const RdKafka::Conf& conf) {
  std::string servers;
  conf.get("bootstrap.servers", servers);
  return servers;
}

// Sends one request about `topic`'s configuration and returns the resource of its answer.
struct ConfigRequest {
  std::unique_ptr<RdKafka::Producer> handle;
  EventPtr event;
};

ConfigRequest run(const RdKafka::Conf& conf, const std::string& topic, rd_kafka_admin_op_t op,
                  const std::map<std::string, std::string>& entries, std::chrono::milliseconds timeout) {
  ConfigRequest request;
  std::string err;
  request.handle.reset(RdKafka::Producer::create(&conf, err));
  if (!request.handle) throw RuntimeFailure("cannot create a Kafka client: " + err);
  rd_kafka_t* rk = request.handle->c_ptr();
  ResourcePtr resource(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str()));
  for (const auto& [name, value] : entries)
    rd_kafka_ConfigResource_set_config(resource.get(), name.c_str(), value.c_str());
  OptionsPtr options(rd_kafka_AdminOptions_new(rk, op));
  char errstr[256];
  const int ms = static_cast<int>(timeout.count());
  rd_kafka_AdminOptions_set_request_timeout(options.get(), ms, errstr, sizeof errstr);
  QueuePtr queue(rd_kafka_queue_new(rk));
  rd_kafka_ConfigResource_t* resources[] = {resource.get()};
  if (op == RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS) {
    rd_kafka_DescribeConfigs(rk, resources, 1, options.get(), queue.get());
  } else {
    rd_kafka_AlterConfigs(rk, resources, 1, options.get(), queue.get());
  }
  request.event.reset(rd_kafka_queue_poll(queue.get(), ms + 5000));
  const char* what = op == RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS ? "read" : "set";
  if (!request.event) {
    throw RuntimeFailure(fmt::format("Kafka at {} did not answer within {} ms: cannot {} the configuration of topic {}",
                                     servers_of(conf), ms, what, topic));
  }
  if (rd_kafka_event_error(request.event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw RuntimeFailure(fmt::format("Kafka at {}: cannot {} the configuration of topic {}: {}", servers_of(conf), what,
                                     topic, rd_kafka_event_error_string(request.event.get())));
  }
  return request;
}

void check_resource(const rd_kafka_ConfigResource_t* resource, const RdKafka::Conf& conf, const std::string& topic,
                    const char* what) {
  if (rd_kafka_ConfigResource_error(resource) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* message = rd_kafka_ConfigResource_error_string(resource);
    throw RuntimeFailure(fmt::format("Kafka at {}: cannot {} the configuration of topic {}: {}", servers_of(conf), what,
                                     topic,
                                     message ? message : rd_kafka_err2str(rd_kafka_ConfigResource_error(resource))));
  }
}

}  // namespace

std::map<std::string, std::string> topic_config(const RdKafka::Conf& conf, const std::string& topic,
                                                std::chrono::milliseconds timeout) {
  const auto request = run(conf, topic, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, {}, timeout);
  std::size_t count = 0;
  const rd_kafka_ConfigResource_t** resources =
      rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(request.event.get()), &count);
  std::map<std::string, std::string> entries;
  for (std::size_t i = 0; i < count; ++i) {
    check_resource(resources[i], conf, topic, "read");
    std::size_t n = 0;
    const rd_kafka_ConfigEntry_t** configs = rd_kafka_ConfigResource_configs(resources[i], &n);
    for (std::size_t k = 0; k < n; ++k) {
      const char* value = rd_kafka_ConfigEntry_value(configs[k]);
      if (value != nullptr) entries[rd_kafka_ConfigEntry_name(configs[k])] = value;
    }
  }
  return entries;
}

void set_new_topic_config(const RdKafka::Conf& conf, const std::string& topic,
                          const std::map<std::string, std::string>& entries, std::chrono::milliseconds timeout) {
  const auto request = run(conf, topic, RD_KAFKA_ADMIN_OP_ALTERCONFIGS, entries, timeout);
  std::size_t count = 0;
  const rd_kafka_ConfigResource_t** resources =
      rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(request.event.get()), &count);
  for (std::size_t i = 0; i < count; ++i) check_resource(resources[i], conf, topic, "set");
}

std::optional<std::int64_t> max_message_bytes(const RdKafka::Conf& conf, const std::string& topic,
                                              std::chrono::milliseconds timeout) {
  const auto entries = topic_config(conf, topic, timeout);
  const auto it = entries.find("max.message.bytes");
  if (it == entries.end()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  if (ec != std::errc() || end != it->second.data() + it->second.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace ratingstream::kafka
