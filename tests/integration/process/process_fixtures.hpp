#pragma once
// Shared by the `process` integration tests (this folder and ../outage): records produced with
// librdkafka directly (exact control of keys, partitions and malformed values), the dead-letter
// topic read back to its end, the Cassandra table read back whole, and `ratingstream process`
// run in the background so a test can kill it or stop Cassandra under it.
//
// Header-only: each test binary includes it once per test file (all functions inline).

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kafka/topic_admin.hpp"
#include "process/row.hpp"
#include "store/session.hpp"
#include "test_support.hpp"

extern char** environ;

namespace ratingstream::process_test {

using namespace std::chrono_literals;
inline constexpr const char* kBootstrap = "localhost:29092";

// Where the fixtures find Kafka and Cassandra: the single-node stack, unless a test binary points
// them at another (the cluster tests point them at `scripts/stack up cluster`).
struct StackTarget {
  std::string bootstrap = kBootstrap;
  std::vector<std::string> cassandra{"127.0.0.1:9042"};
};
inline StackTarget& stack_target() {
  static StackTarget target;
  return target;
}

// ---- Kafka ----------------------------------------------------------------------------------

inline std::unique_ptr<RdKafka::Conf> kafka_conf() {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  conf->set("bootstrap.servers", stack_target().bootstrap, err);
  conf->set("log_level", "3", err);
  return conf;
}

inline void create_topic(const std::string& topic, int partitions) {
  // The broker's default replication factor: 1 on the single node, 3 on the cluster.
  ASSERT_EQ(kafka::create_topic(*kafka_conf(), topic, partitions, -1, 30s), kafka::TopicCreation::created) << topic;
}

// One record to produce: its partition, key and value (nullopt: null).
struct Outgoing {
  std::int32_t partition = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
};

class DeliveryCheck : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& m) override {
    if (m.err() != RdKafka::ERR_NO_ERROR) failures.push_back(m.errstr());
  }
  std::vector<std::string> failures;
};

// Produces the records in order (one partition's records keep their order, so their offsets
// follow the order given) and waits for every delivery.
inline void produce(const std::string& topic, const std::vector<Outgoing>& records,
                    const std::string& compression = "none") {
  auto conf = kafka_conf();
  DeliveryCheck check;
  std::string err;
  conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(&check), err);
  conf->set("compression.codec", compression, err);
  conf->set("enable.idempotence", "true", err);  // no duplicates, order kept on retries
  conf->set("linger.ms", "20", err);
  conf->set("message.max.bytes", "2000000", err);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), err));
  ASSERT_TRUE(producer) << err;
  for (const auto& r : records) {
    for (;;) {
      const auto code = producer->produce(
          topic, r.partition, RdKafka::Producer::RK_MSG_COPY, r.value ? const_cast<char*>(r.value->data()) : nullptr,
          r.value ? r.value->size() : 0, r.key ? r.key->data() : nullptr, r.key ? r.key->size() : 0, 0, nullptr);
      if (code == RdKafka::ERR__QUEUE_FULL) {
        producer->poll(50);
        continue;
      }
      ASSERT_EQ(code, RdKafka::ERR_NO_ERROR) << RdKafka::err2str(code);
      break;
    }
  }
  ASSERT_EQ(producer->flush(60'000), RdKafka::ERR_NO_ERROR);
  ASSERT_TRUE(check.failures.empty()) << check.failures.front();
}

struct Consumed {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::map<std::string, std::string> headers;
};

// Every record of `topic`, each partition read from its start to its current end (so "nothing
// else is there" is exact, not a guess about timing).
inline std::vector<Consumed> consume_all(const std::string& topic, int partitions) {
  auto conf = kafka_conf();
  std::string err;
  conf->set("group.id", testing::unique_name("it_process_reader"), err);
  conf->set("enable.auto.commit", "false", err);
  // The end of a partition written in transactions is a commit marker no record is delivered
  // for: the end-of-partition event says the reader is there.
  conf->set("enable.partition.eof", "true", err);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer) throw std::runtime_error(err);
  std::vector<RdKafka::TopicPartition*> assignment;
  std::map<std::int32_t, std::int64_t> end;
  for (int p = 0; p < partitions; ++p) {
    std::int64_t low = 0, high = 0;
    const auto code = consumer->query_watermark_offsets(topic, p, &low, &high, 10'000);
    if (code != RdKafka::ERR_NO_ERROR) throw std::runtime_error("watermarks: " + RdKafka::err2str(code));
    end[p] = high;
    if (high > low) assignment.push_back(RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
  }
  std::vector<Consumed> out;
  if (!assignment.empty()) {
    consumer->assign(assignment);
    std::map<std::int32_t, std::int64_t> next;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    auto done = [&] {
      for (const auto& [p, high] : end) {
        if (next[p] < high) return false;
      }
      return true;
    };
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      std::unique_ptr<RdKafka::Message> m(consumer->consume(500));
      if (m->err() == RdKafka::ERR__PARTITION_EOF) {
        if (m->offset() >= end[m->partition()]) next[m->partition()] = std::max(next[m->partition()], m->offset());
        continue;
      }
      if (m->err() != RdKafka::ERR_NO_ERROR) continue;
      Consumed c;
      c.partition = m->partition();
      c.offset = m->offset();
      if (m->key_pointer()) c.key = std::string(static_cast<const char*>(m->key_pointer()), m->key_len());
      if (m->payload()) c.value = std::string(static_cast<const char*>(m->payload()), m->len());
      if (const RdKafka::Headers* headers = m->headers()) {
        for (const auto& h : headers->get_all()) {
          c.headers[h.key()] = std::string(static_cast<const char*>(h.value()), h.value_size());
        }
      }
      next[m->partition()] = m->offset() + 1;
      out.push_back(std::move(c));
    }
    if (!done()) throw std::runtime_error("could not read " + topic + " to its end within 60 s");
  }
  RdKafka::TopicPartition::destroy(assignment);
  consumer->close();
  return out;
}

// ---- Kafka administration (the C API: the C++ API has none) ------------------------------------

// Runs one admin request on a fresh client and returns its result event; fails the test on an
// error of the request as a whole.
template <typename Request>
inline std::unique_ptr<rd_kafka_event_t, void (*)(rd_kafka_event_t*)> admin_request(rd_kafka_admin_op_t op,
                                                                                    Request&& request) {
  auto conf = kafka_conf();
  std::string err;
  std::unique_ptr<RdKafka::Producer> handle(RdKafka::Producer::create(conf.get(), err));
  if (!handle) throw std::runtime_error(err);
  rd_kafka_t* rk = handle->c_ptr();
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, op);
  char errstr[256];
  rd_kafka_AdminOptions_set_request_timeout(options, 30'000, errstr, sizeof errstr);
  rd_kafka_AdminOptions_set_operation_timeout(options, 30'000, errstr, sizeof errstr);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  request(rk, options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 40'000);
  rd_kafka_queue_destroy(queue);
  rd_kafka_AdminOptions_destroy(options);
  if (event == nullptr) throw std::runtime_error("no answer to an admin request");
  if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const std::string what = rd_kafka_event_error_string(event);
    rd_kafka_event_destroy(event);
    throw std::runtime_error("admin request: " + what);
  }
  return {event, rd_kafka_event_destroy};
}

// Deletes the records of `partition` before `offset` (what retention does to old segments).
inline void delete_records_before(const std::string& topic, std::int32_t partition, std::int64_t offset) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), partition)->offset = offset;
  rd_kafka_DeleteRecords_t* request = rd_kafka_DeleteRecords_new(list);
  rd_kafka_topic_partition_list_destroy(list);
  auto event = admin_request(RD_KAFKA_ADMIN_OP_DELETERECORDS, [&](rd_kafka_t* rk, auto* options, auto* queue) {
    rd_kafka_DeleteRecords(rk, &request, 1, options, queue);
  });
  rd_kafka_DeleteRecords_destroy(request);
  const auto* result = rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(event.get()));
  for (int i = 0; i < result->cnt; ++i) {
    if (result->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error(std::string("delete records: ") + rd_kafka_err2str(result->elems[i].err));
    }
  }
}

// Deletes `topic`.
inline void delete_topic(const std::string& topic) {
  rd_kafka_DeleteTopic_t* request = rd_kafka_DeleteTopic_new(topic.c_str());
  auto event = admin_request(RD_KAFKA_ADMIN_OP_DELETETOPICS, [&](rd_kafka_t* rk, auto* options, auto* queue) {
    rd_kafka_DeleteTopics(rk, &request, 1, options, queue);
  });
  rd_kafka_DeleteTopic_destroy(request);
  std::size_t count = 0;
  const auto** topics = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event.get()), &count);
  for (std::size_t i = 0; i < count; ++i) {
    if (rd_kafka_topic_result_error(topics[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error(std::string("delete topic: ") + rd_kafka_topic_result_error_string(topics[i]));
    }
  }
}

// Grows `topic` to `total` partitions.
inline void add_partitions(const std::string& topic, int total) {
  char errstr[256];
  rd_kafka_NewPartitions_t* request =
      rd_kafka_NewPartitions_new(topic.c_str(), static_cast<size_t>(total), errstr, sizeof errstr);
  if (request == nullptr) throw std::runtime_error(errstr);
  auto event = admin_request(RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, [&](rd_kafka_t* rk, auto* options, auto* queue) {
    rd_kafka_CreatePartitions(rk, &request, 1, options, queue);
  });
  rd_kafka_NewPartitions_destroy(request);
  std::size_t count = 0;
  const auto** topics =
      rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(event.get()), &count);
  for (std::size_t i = 0; i < count; ++i) {
    if (rd_kafka_topic_result_error(topics[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error(std::string("create partitions: ") + rd_kafka_topic_result_error_string(topics[i]));
    }
  }
}

// Sets the topic's configuration to exactly these entries (AlterConfigs replaces the whole set).
inline void set_topic_config(const std::string& topic, const std::map<std::string, std::string>& entries) {
  rd_kafka_ConfigResource_t* resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  for (const auto& [name, value] : entries) rd_kafka_ConfigResource_set_config(resource, name.c_str(), value.c_str());
  auto event = admin_request(RD_KAFKA_ADMIN_OP_ALTERCONFIGS, [&](rd_kafka_t* rk, auto* options, auto* queue) {
    rd_kafka_AlterConfigs(rk, &resource, 1, options, queue);
  });
  rd_kafka_ConfigResource_destroy(resource);
  std::size_t count = 0;
  const auto** resources =
      rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(event.get()), &count);
  for (std::size_t i = 0; i < count; ++i) {
    if (rd_kafka_ConfigResource_error(resources[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error(std::string("alter configs: ") + rd_kafka_ConfigResource_error_string(resources[i]));
    }
  }
}

// The committed offsets of `group` for partitions 0..partitions-1 of `topic` (-1001: none).
inline std::vector<std::int64_t> committed_offsets(const std::string& group, const std::string& topic, int partitions) {
  auto conf = kafka_conf();
  std::string err;
  conf->set("group.id", group, err);
  conf->set("enable.auto.commit", "false", err);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer) throw std::runtime_error(err);
  std::vector<RdKafka::TopicPartition*> list;
  for (int p = 0; p < partitions; ++p) list.push_back(RdKafka::TopicPartition::create(topic, p));
  const auto code = consumer->committed(list, 10'000);
  std::vector<std::int64_t> offsets;
  for (const auto* tp : list) offsets.push_back(tp->offset());
  RdKafka::TopicPartition::destroy(list);
  consumer->close();
  if (code != RdKafka::ERR_NO_ERROR) throw std::runtime_error("committed: " + RdKafka::err2str(code));
  return offsets;
}

// ---- Cassandra ------------------------------------------------------------------------------

inline store::Session cassandra() {
  store::SessionConfig config;
  config.contact_points = stack_target().cassandra;
  return store::Session::connect(config);
}

inline void drop_keyspace(const std::string& keyspace) {
  try {
    auto session = cassandra();
    session.await_schema_agreement();  // no schema change while a node is catching up
    session.execute("DROP KEYSPACE IF EXISTS " + keyspace);
  } catch (const std::exception&) {
    // best effort: a test that failed may have left Cassandra down
  }
}

// The table's columns in their declared order (docs/contract.md, "The table"), as selected by
// read_rows: "name, timestamp, id, ...".
inline std::string all_columns() {
  std::string list;
  for (const auto& c : store::kRatingTableColumns) list += (list.empty() ? "" : ", ") + std::string(c.name);
  return list;
}
using TableRow = std::vector<store::Value>;

inline std::string describe(const store::Value& v) {
  struct {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(const std::string& s) const { return "'" + s + "'"; }
    std::string operator()(std::int32_t i) const { return std::to_string(i); }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(store::Timestamp t) const { return "ts " + std::to_string(t.millis); }
    std::string operator()(const store::Uuid& u) const {
      char text[37];
      uuid_unparse_lower(u.data(), text);
      return text;
    }
    std::string operator()(double d) const { return std::to_string(d); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
  } visit;
  return std::visit(visit, v);
}

inline std::string describe(const TableRow& row) {
  std::string s = "(";
  for (const auto& v : row) s += (s.size() > 1 ? ", " : "") + describe(v);
  return s + ")";
}

// Every row of <keyspace>.movie_ratings, by id (column 2). A second row with the same id is a
// test failure (it cannot happen: id is part of the key, but timestamps or names could differ).
inline std::map<store::Uuid, TableRow> read_rows(const std::string& keyspace) {
  auto session = cassandra();
  auto pager = session.query("SELECT " + all_columns() + " FROM " + keyspace + ".movie_ratings");
  std::map<store::Uuid, TableRow> rows;
  while (auto row = pager.next()) {
    const auto id = std::get<store::Uuid>((*row)[2]);
    EXPECT_TRUE(rows.emplace(id, std::move(*row)).second) << "two rows with id " << describe(store::Value(id));
  }
  return rows;
}

// Rows in the table; -1 while Cassandra does not answer (or the table is not there yet).
inline std::int64_t count_rows(store::Session& session, const std::string& keyspace) {
  try {
    auto pager = session.query("SELECT COUNT(*) FROM " + keyspace + ".movie_ratings");
    auto row = pager.next();
    return row ? std::get<std::int64_t>((*row)[0]) : -1;
  } catch (const std::exception&) {
    return -1;
  }
}

// Expected row of a record that joined `film` (nullptr: left join without a film).
struct FilmColumns {
  std::string show_id, director, country, age_rating;
  std::int32_t release_year = 0, duration = 0;
};

// `timestamp_us`: the rating's instant in microseconds (the id covers them; the row keeps ms).
inline TableRow expected_row(const std::string& name, std::int64_t timestamp_us, const std::string& movie,
                             std::int32_t rating, const FilmColumns* film) {
  const store::Value null{};
  const std::int64_t timestamp_ms =
      std::chrono::floor<std::chrono::milliseconds>(std::chrono::microseconds{timestamp_us}).count();
  return {name,
          store::Timestamp{timestamp_ms},
          process::row_id(name, timestamp_us, movie, rating),
          film ? store::Value(film->country) : null,
          film ? store::Value(film->director) : null,
          film ? store::Value(film->duration) : null,
          movie,
          film ? store::Value(film->age_rating) : null,
          rating,
          film ? store::Value(film->release_year) : null,
          film ? store::Value(film->show_id) : null};
}

// Compares the table with the expected rows, naming each difference.
inline void expect_table_equals(const std::map<store::Uuid, TableRow>& actual,
                                const std::map<store::Uuid, TableRow>& expected) {
  EXPECT_EQ(actual.size(), expected.size());
  std::size_t missing = 0, differing = 0, unexpected = 0;
  for (const auto& [id, row] : expected) {
    const auto it = actual.find(id);
    missing += it == actual.end();
    differing += it != actual.end() && it->second != row;
  }
  for (const auto& [id, row] : actual) unexpected += !expected.contains(id);
  if (missing + differing + unexpected > 0) {
    ADD_FAILURE() << missing << " rows missing, " << differing << " differing, " << unexpected << " unexpected (of "
                  << expected.size() << " expected; the first 10 below)";
  }
  std::size_t reported = 0;
  for (const auto& [id, row] : expected) {
    const auto it = actual.find(id);
    if (it == actual.end()) {
      if (reported++ < 10) ADD_FAILURE() << "missing row " << describe(row);
    } else if (it->second != row) {
      if (reported++ < 10)
        ADD_FAILURE() << "row differs:\n  expected " << describe(row) << "\n  actual   " << describe(it->second);
    }
  }
  for (const auto& [id, row] : actual) {
    if (!expected.contains(id) && reported++ < 10) ADD_FAILURE() << "unexpected row " << describe(row);
  }
}

// Microseconds since the epoch of a UTC date and time.
inline std::int64_t utc_us(int y, int mo, int d, int h, int mi, int s, int us) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<std::int64_t>(timegm(&tm)) * 1'000'000 + us;
}

// ISO-8601 UTC with microseconds, as the producer writes it.
inline std::string iso_utc(std::int64_t ms) {
  const std::time_t seconds = ms / 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}000Z", text, ms % 1000);
}

// Rating number `i` of a test's load for `name`: each has an instant of its own (from
// 2025-03-13T19:26:50Z, one millisecond apart), since equal ratings are one row.
inline Outgoing numbered_rating(std::int32_t partition, int i, const std::string& name = "Ann",
                                const std::string& movie = "Ζωή στο Λιμάνι", int rating = 5) {
  return {partition, name,
          fmt::format(R"({{"name":"{}","movie":"{}","rating":{},"timestamp":"{}"}})", name, movie, rating,
                      iso_utc(1'741'894'010'000 + i))};
}

// ---- the processor in the background ---------------------------------------------------------

class Background {
 public:
  // Starts the ratingstream binary with `args`; stdout and stderr go to files in `dir`.
  Background(const std::vector<std::string>& args, const std::filesystem::path& dir, const std::string& name)
      : out_(dir / (name + ".out")), err_(dir / (name + ".err")) {
    std::vector<std::string> argv{testing::binary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c_argv;
    for (auto& a : argv) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&pid_, c_argv[0], &actions, nullptr, c_argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("posix_spawn failed");
  }
  ~Background() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  // Whether it still runs (reaps it when it ended).
  bool running() {
    if (exit_code_) return false;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == 0) return true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return false;
  }
  void signal(int sig) { ::kill(pid_, sig); }
  // The exit code once it ended within `timeout` (a negative signal number when killed by one);
  // nullopt when it still runs.
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    testing::eventually([&] { return !running(); }, timeout, 50ms);
    return exit_code_;
  }
  std::string err() const { return read(err_); }
  std::string out() const { return read(out_); }

 private:
  static std::string read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// The port of the metrics endpoint a processor started with --metrics-port 0 logged; 0 when it has
// not logged it (yet).
inline int metrics_port(const std::string& err) {
  std::smatch match;
  if (!std::regex_search(err, match, std::regex(R"(metrics on http://[0-9.]+:(\d+)/metrics)"))) return 0;
  return std::stoi(match[1]);
}

struct HttpAnswer {
  int status = -1;  // -1: no answer
  std::string body;
};

inline HttpAnswer http_get(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2);
  const auto response = client.Get(path);
  if (!response) return {};
  return {response->status, response->body};
}

// Sums a numeric field over the JSON progress lines (--progress json) of a stderr text.
inline std::int64_t sum_progress(const std::string& err, const std::string& field) {
  std::int64_t total = 0;
  std::istringstream lines(err);
  std::string line;
  const std::string key = "\"" + field + "\":";
  while (std::getline(lines, line)) {
    if (!line.starts_with("{\"batch\":")) continue;
    const auto at = line.find(key);
    if (at != std::string::npos) total += std::stoll(line.substr(at + key.size()));
  }
  return total;
}

}  // namespace ratingstream::process_test
