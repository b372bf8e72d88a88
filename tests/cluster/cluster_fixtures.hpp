#pragma once
// Shared by the cluster tests: the fixtures of the fault tests pointed at the local cluster
// (`scripts/stack up cluster`: Cassandra 127.0.0.11-13 in dc1, brokers 127.0.0.1:29201-29203),
// the processor's cluster flags, a node's health, and a watch over the processor's /metrics and
// /healthz while a node is away.

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>

#include "../chaos/chaos_fixtures.hpp"

namespace ratingstream::cluster_test {

using namespace chaos_test;
using namespace std::chrono_literals;

inline constexpr const char* kClusterBootstrap = "127.0.0.1:29201,127.0.0.1:29202,127.0.0.1:29203";
inline constexpr const char* kClusterCassandra = "127.0.0.11,127.0.0.12,127.0.0.13";
inline constexpr int kPartitions = 6;

// The tests keep their keyspaces (unique names, a few MB each; `scripts/stack down cluster` and
// a clean clone end them). Dropping a table right after a node restarted, while that node still
// replays hints for it, kills Cassandra 5.0.9's schema thread on that node ("Unknown CF" in
// onTableDropped), and the node then never agrees on the schema again until it restarts.

// Every fixture (topics, produce, reading the table) talks to the cluster from here on.
inline void use_cluster() {
  stack_target().bootstrap = kClusterBootstrap;
  stack_target().cassandra = {"127.0.0.11:9042", "127.0.0.12:9042", "127.0.0.13:9042"};
}

// Cassandra node n (1..3) answers CQL at its own address.
inline bool node_answers(int n) {
  try {
    store::SessionConfig config;
    config.contact_points = {fmt::format("127.0.0.1{}:9042", n)};
    config.connect_timeout = 3s;
    auto session = store::Session::connect(config);
    auto rows = session.query("SELECT release_version FROM system.local");
    return rows.next().has_value();
  } catch (const std::exception&) {
    return false;
  }
}

// The cluster's keyspace (three replicas in dc1) and topic (six partitions, the brokers' default
// of three replicas and min.insync.replicas 2), made with the product's own commands.
inline void make_keyspace_and_topic(const std::string& keyspace, const std::string& topic) {
  const auto schema = testing::run_ratingstream(
      {"schema", "--cassandra", kClusterCassandra, "--keyspace", keyspace, "--replication", "dc1:3"}, 120s);
  ASSERT_EQ(schema.exit_code, 0) << schema.err;
  ASSERT_NE(schema.out.find("replication factor 3"), std::string::npos) << schema.out;
  const auto created = testing::run_ratingstream(
      {"topic", "create", "-b", kClusterBootstrap, "-t", topic, "--partitions", std::to_string(kPartitions)}, 60s);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  ASSERT_NE(created.out.find("replication factor 3, min.insync.replicas 2"), std::string::npos) << created.out;
}

// The broker leading each partition of `topic` (its node id, 11..13 for kafka-c1..c3), as the
// cluster's metadata says; empty when no broker answered.
inline std::map<std::int32_t, std::int32_t> partition_leaders(const std::string& topic) {
  std::string err;
  std::unique_ptr<RdKafka::Producer> handle(RdKafka::Producer::create(kafka_conf().get(), err));
  if (!handle) throw std::runtime_error(err);
  std::unique_ptr<RdKafka::Topic> only(RdKafka::Topic::create(handle.get(), topic, nullptr, err));
  RdKafka::Metadata* raw = nullptr;
  std::map<std::int32_t, std::int32_t> leaders;
  if (handle->metadata(false, only.get(), &raw, 10'000) != RdKafka::ERR_NO_ERROR) return leaders;
  const std::unique_ptr<RdKafka::Metadata> metadata(raw);
  for (const auto* t : *metadata->topics()) {
    for (const auto* p : *t->partitions()) leaders[p->id()] = p->leader();
  }
  return leaders;
}

// Broker n (1..3) answers at its own port and sees all three brokers registered.
inline bool broker_answers(int n) {
  auto conf = kafka_conf();
  std::string err;
  conf->set("bootstrap.servers", fmt::format("127.0.0.1:2920{}", n), err);
  std::unique_ptr<RdKafka::Producer> handle(RdKafka::Producer::create(conf.get(), err));
  RdKafka::Metadata* raw = nullptr;
  if (!handle || handle->metadata(true, nullptr, &raw, 3'000) != RdKafka::ERR_NO_ERROR) return false;
  const std::unique_ptr<RdKafka::Metadata> metadata(raw);
  return metadata->brokers()->size() == 3;
}

// `process` on the cluster, LOCAL_QUORUM in dc1, with metrics on an ephemeral port and JSON
// progress lines; `extra` adds or overrides flags.
inline std::vector<std::string> processor_args(const std::string& topic, const std::string& keyspace,
                                               const std::string& group, const std::string& catalogue,
                                               const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"process",
                                "-b",
                                kClusterBootstrap,
                                "-t",
                                topic,
                                "--cassandra",
                                kClusterCassandra,
                                "--local-dc",
                                "dc1",
                                "--consistency",
                                "LOCAL_QUORUM",
                                "--keyspace",
                                keyspace,
                                "--group",
                                group,
                                "--catalog",
                                catalogue,
                                "--starting-offsets",
                                "earliest",
                                "--metrics-port",
                                "0",
                                "--progress",
                                "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The load the fault tests disturb: a topic and keyspace of the test's own, a processor writing
// them (trigger 1 s) and `ratingstream produce` sending to the topic with the test's own movies.
// `start` fails the test (fatally) when the keyspace or topic cannot be made.
struct ClusterLoad {
  explicit ClusterLoad(const std::string& prefix)
      : topic(testing::unique_name(prefix)),
        keyspace(testing::unique_name(prefix)),
        group(testing::unique_name(prefix)) {}

  // `producer_flags` follow `produce -b <cluster> -t <topic> --movies <file> --quiet`.
  void start(const std::vector<std::string>& producer_flags) {
    make_keyspace_and_topic(keyspace, topic);
    if (::testing::Test::HasFatalFailure()) return;
    processor.emplace(processor_args(topic, keyspace, group, catalogue.string(), {"--trigger", "1s"}), dir.path(),
                      "processor");
    std::vector<std::string> args{"produce", "-b",       kClusterBootstrap, "-t",
                                  topic,     "--movies", movies.string(),   "--quiet"};
    args.insert(args.end(), producer_flags.begin(), producer_flags.end());
    producer.emplace(args, dir.path(), "producer");
  }

  std::string topic, keyspace, group;
  testing::TempDir dir;
  std::filesystem::path catalogue = dir.write("catalogue.csv", kCatalogue);
  std::filesystem::path movies = dir.write("movies.csv", kProducerMovies);
  std::optional<Background> processor, producer;
};

// A value of the processor's /metrics (the first sample of `name`); -1 when it does not answer.
inline double metric(int port, const std::string& name) {
  const auto answer = http_get(port, "/metrics");
  if (answer.status != 200) return -1;
  std::istringstream lines(answer.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(name + " ") || line.starts_with(name + "{")) {
      return std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  return -1;
}

// Waits until the processor logs its metrics port and has written `rows` rows; returns the port,
// or 0 when it exited or got neither in time.
inline int wait_until_written(Background& processor, double rows) {
  int port = 0;
  testing::eventually([&] { return (port = metrics_port(processor.err())) > 0 || !processor.running(); }, 60s);
  if (port == 0) return 0;
  const bool written = testing::eventually(
      [&] { return metric(port, "ratingstream_records_written_total") >= rows || !processor.running(); }, 180s);
  return written && processor.running() ? port : 0;
}

// Watches a running processor every 100 ms from its own thread: the longest time its written
// rows did not grow while rows were still due, and every /healthz answer that was not 200.
class ProcessorWatch {
 public:
  ProcessorWatch(int port, std::int64_t total) : port_(port), total_(total), thread_([this] { loop(); }) {}
  ~ProcessorWatch() { stop(); }
  ProcessorWatch(const ProcessorWatch&) = delete;
  ProcessorWatch& operator=(const ProcessorWatch&) = delete;
  void stop() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }
  double longest_pause_seconds() const { return longest_pause_.count() / 1000.0; }
  const std::vector<std::string>& unhealthy() const { return unhealthy_; }

 private:
  void loop() {
    auto last_growth = std::chrono::steady_clock::now();
    double last = -1;
    while (!done_) {
      const auto now = std::chrono::steady_clock::now();
      const double written = metric(port_, "ratingstream_records_written_total");
      if (written > last) {
        last = written;
        last_growth = now;
      } else if (last >= 0 && last < static_cast<double>(total_)) {
        longest_pause_ =
            std::max(longest_pause_, std::chrono::duration_cast<std::chrono::milliseconds>(now - last_growth));
      }
      const auto health = http_get(port_, "/healthz");
      if (health.status != 200) unhealthy_.push_back(fmt::format("{} {}", health.status, health.body));
      std::this_thread::sleep_for(100ms);
    }
  }
  int port_;
  std::int64_t total_;
  std::atomic<bool> done_{false};
  std::chrono::milliseconds longest_pause_{0};
  std::vector<std::string> unhealthy_;
  std::thread thread_;
};

// The processor's own log lines, without its progress lines (for a failing test's output).
inline void print_log(const std::string& who, const std::string& err) {
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("{\"batch\":")) std::cerr << who << ": " << line << "\n";
  }
}

}  // namespace ratingstream::cluster_test
