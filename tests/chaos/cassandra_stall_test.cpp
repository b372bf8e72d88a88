// Cassandra stopped with SIGSTOP (its pid from .stack/cassandra.pid) while the processor writes a
// batch: connections stay open and nothing answers, as with a coordinator that stalls. Ctrl-C
// (SIGINT) must end the processor within seconds, not after every request of the batch has run
// into its timeout; nothing may be committed past a row that was not written; and the next
// start writes what was abandoned. Whatever happens, Cassandra is continued at the end
// (ServerContinuer).

#include <gtest/gtest.h>

#include <future>

#include "chaos_fixtures.hpp"

namespace ratingstream::chaos_test {
namespace {

constexpr int kPartitions = 3;
constexpr int kRecords = 60'000;
constexpr auto kExitWithin = 10s;

// Stops a server with SIGSTOP; it is continued (SIGCONT) and answers again when the guard goes,
// whatever the test did meanwhile.
class ServerContinuer {
 public:
  ServerContinuer(pid_t pid, std::function<bool()> answers) : pid_(pid), answers_(std::move(answers)) {}
  ~ServerContinuer() { resume(); }
  ServerContinuer(const ServerContinuer&) = delete;
  ServerContinuer& operator=(const ServerContinuer&) = delete;
  bool stop() {
    stopped_ = ::kill(pid_, SIGSTOP) == 0;
    return stopped_;
  }
  // Continues it; true once it answers.
  bool resume() {
    if (!stopped_) return true;
    stopped_ = false;
    ::kill(pid_, SIGCONT);
    const bool ok = testing::eventually(answers_, 120s, 200ms);
    EXPECT_TRUE(ok) << "Cassandra (pid " << pid_ << ") does not answer after SIGCONT";
    return ok;
  }

 private:
  pid_t pid_;
  std::function<bool()> answers_;
  bool stopped_ = false;
};

// The row id each record's rating is written under, by the record's text.
std::map<std::string, store::Uuid> row_ids_by_record(int partitions, int count) {
  std::map<std::string, store::Uuid> ids;
  for (int i = 0; i < count; ++i) {
    std::vector<Outgoing> record;
    std::map<store::Uuid, TableRow> row;
    add_load(partitions, i, 1, record, row);
    ids.emplace(record.at(0).value.value_or(""), row.begin()->first);
  }
  return ids;
}

TEST(ChaosCassandraStall, CtrlCEndsAProcessorStuckOnAStalledCassandraWithinSecondsAndCommitsNothingUnwritten) {
  const std::string topic = testing::unique_name("chaos_stall");
  const std::string keyspace = testing::unique_name("chaos_stall");
  const std::string group = testing::unique_name("chaos_stall");
  const KeyspaceDropper dropper(keyspace);
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  create_topic(topic, kPartitions);
  ExpectedRows expected;
  expected.produce_load(topic, kPartitions, 0, kRecords);

  const pid_t cassandra_pid = server_pid("cassandra");
  ASSERT_GT(cassandra_pid, 0) << "no pid in .stack/cassandra.pid (is the single-node stack up?)";
  ASSERT_TRUE(process_alive(cassandra_pid));

  // Batches of 20,000 rows with few writes in flight: a batch takes seconds, so the stop comes
  // while one is being written.
  const std::vector<std::string> args = testing::processor_command(
      topic, keyspace, group, catalogue,
      {"--trigger", "0", "--max-records-per-trigger", "20000", "--max-in-flight", "4", "--progress", "json"});
  Background processor(args, dir.path(), "processor");
  {
    auto session = cassandra();
    ASSERT_TRUE(
        testing::eventually([&] { return count_rows(session, keyspace) >= 1000 || !processor.running(); }, 180s, 20ms))
        << processor.err();
    ASSERT_LT(count_rows(session, keyspace), kRecords) << "the processor was done before Cassandra could be stopped";
  }
  ASSERT_TRUE(processor.running()) << processor.err();

  ServerContinuer continuer(cassandra_pid, cassandra_answers);
  ASSERT_TRUE(continuer.stop());
  // The stall itself is the deliberate wait: requests pile up unanswered.
  std::this_thread::sleep_for(1s);
  const auto signalled_at = std::chrono::steady_clock::now();
  processor.signal(SIGINT);
  const auto code = processor.wait(kExitWithin);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled_at).count();
  EXPECT_TRUE(code.has_value()) << "still running " << kExitWithin.count() << " s after SIGINT:\n" << processor.err();
  if (!code) processor.signal(SIGKILL);
  processor.wait(5s);
  EXPECT_EQ(code.value_or(-1), 0) << processor.err();
  EXPECT_NE(processor.err().find("abandoned"), std::string::npos) << processor.err();
  ASSERT_TRUE(continuer.resume());

  // Every record below a committed offset has its row in the table.
  const auto ids = row_ids_by_record(kPartitions, kRecords);
  const auto committed = committed_offsets(group, topic, kPartitions);
  const auto rows = read_rows(keyspace);
  std::size_t below_commit = 0;
  for (const auto& record : consume_all(topic, kPartitions)) {
    const auto p = static_cast<std::size_t>(record.partition);
    if (record.offset >= committed.at(p)) continue;
    ++below_commit;
    const auto id = ids.find(record.value.value_or(""));
    ASSERT_NE(id, ids.end()) << "a record the test did not produce: " << record.value.value_or("");
    ASSERT_TRUE(rows.contains(id->second))
        << "offset " << record.offset << " of partition " << p << " is committed but its row was not written";
  }
  std::cerr << "exit " << took << " s after SIGINT; " << rows.size() << " of " << kRecords << " rows written, "
            << below_commit << " records below the committed offsets\n";

  // The next start writes what was abandoned.
  std::vector<std::string> again = args;
  again.insert(again.end(), {"--until-idle", "5s"});
  Background second(again, dir.path(), "second");
  EXPECT_EQ(second.wait(300s), 0) << second.err();
  expect_table_equals(read_rows(keyspace), expected.rows);
}

TEST(ChaosCassandraStall, PreparingOnAStalledCassandraFailsWithinTheRequestTimeout) {
  // The driver sends a PREPARE to every node and waits for all of them: one node that keeps its
  // connections open and never answers must not freeze the caller (the query tool, a dashboard
  // request, the processor's start).
  const pid_t cassandra_pid = server_pid("cassandra");
  ASSERT_GT(cassandra_pid, 0) << "no pid in .stack/cassandra.pid (is the single-node stack up?)";
  store::SessionConfig config;
  config.contact_points = process_test::stack_target().cassandra;
  config.request_timeout = 2s;
  auto session = store::Session::connect(config);

  ServerContinuer continuer(cassandra_pid, cassandra_answers);
  ASSERT_TRUE(continuer.stop());
  const auto started = std::chrono::steady_clock::now();
  auto attempt = std::async(std::launch::async, [&] {
    // A statement no one prepared before: the driver cannot answer from a cache.
    (void)session.prepare(
        "SELECT release_version FROM system.local WHERE key = '" + testing::unique_name("stall") + "'",
        store::Idempotence::idempotent);
  });
  const bool returned = attempt.wait_for(20s) == std::future_status::ready;
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Continued whatever happened, so an unbounded prepare finishes and the session can go.
  ASSERT_TRUE(continuer.resume());
  ASSERT_TRUE(returned) << "prepare still waiting 20 s into a stall, with a 2 s request timeout";
  try {
    attempt.get();
    FAIL() << "prepare succeeded against a stopped Cassandra";
  } catch (const store::Error& e) {
    EXPECT_TRUE(e.kind() == store::ErrorKind::client_timeout || e.kind() == store::ErrorKind::connection_broken)
        << e.what();
  }
  EXPECT_LT(took, 6.0) << "a 2 s request timeout";
  std::cerr << "prepare failed " << took << " s into the stall\n";
}

}  // namespace
}  // namespace ratingstream::chaos_test
