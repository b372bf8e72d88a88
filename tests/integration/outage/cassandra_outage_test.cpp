// Cassandra stopped for 30 s under a running processor (scripts/stack down cassandra), then
// started again: the processor never exits, warns while it waits, reports unhealthy on /healthz,
// and once Cassandra is back writes exactly the expected rows by itself. SIGTERM then ends it with
// exit 0. Stops a server of the shared stack, so its tests run alone (SERIAL in CMakeLists.txt).

#include <gtest/gtest.h>

#include "../process/process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

constexpr int kPartitions = 3;
constexpr int kPerRound = 2000;
constexpr auto kOutage = 30s;

constexpr const char* kCatalogue =
    "show_id,title,director,country,release_year,rating,duration\n"
    "s1,Twin Harbours,Ottilie Marsh,United Kingdom,2011,PG-13,102\n";
const FilmColumns kFilm{"s1", "Ottilie Marsh", "United Kingdom", "PG-13", 2011, 102};

testing::CommandResult stack(const std::string& action) {
  return testing::run({(testing::source_root() / "scripts" / "stack").string(), action, "cassandra"}, 240s);
}

bool cassandra_answers() {
  try {
    cassandra();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// Starts Cassandra again and waits until it answers. The stack is shared: another session may have
// started it meanwhile, so what counts is that it answers, not how the script ended.
bool restart_cassandra() {
  const auto result = stack("up");
  const bool answers = testing::eventually(cassandra_answers, 120s, 1s);
  EXPECT_TRUE(answers) << "scripts/stack up cassandra: exit " << result.exit_code << "\n" << result.out << result.err;
  return answers;
}

// Whatever happens in the test, Cassandra is running again afterwards.
struct CassandraRestarter {
  bool down = false;
  ~CassandraRestarter() {
    if (down) restart_cassandra();
  }
};

int healthz(int port) { return http_get(port, "/healthz").status; }

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(CassandraOutage, ProcessorWaitsThroughA30sOutageAndWritesTheExactSet) {
  const std::string topic = testing::unique_name("it_outage");
  const std::string keyspace = testing::unique_name("it_outage");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  create_topic(topic, kPartitions);

  std::map<store::Uuid, TableRow> expected;
  int produced = 0;
  auto produce_round = [&] {
    std::vector<Outgoing> records;
    for (int k = 0; k < kPerRound; ++k, ++produced) {
      const int partition = produced % kPartitions;
      const std::string name = fmt::format("Person {}", produced % 40);
      // A distinct instant per record: equal ratings are one row (docs/delivery.md, "Row ids").
      const std::int64_t at_ms = 1'741'894'010'000 + produced;
      records.push_back({partition, name,
                         fmt::format(R"({{"name":"{}","movie":"Twin Harbours","rating":{},"timestamp":"{}"}})", name,
                                     1 + produced % 10, iso_utc(at_ms))});
      auto row = expected_row(name, at_ms * 1000, "Twin Harbours", 1 + produced % 10, &kFilm);
      expected.emplace(std::get<store::Uuid>(row[2]), std::move(row));
    }
    produce(topic, records);
  };

  produce_round();
  Background processor(testing::processor_command(topic, keyspace, testing::unique_name("it_outage"), catalogue,
                                                  {"--trigger", "1s", "--max-records-per-trigger", "500", "--progress",
                                                   "json", "--metrics-address", "127.0.0.1", "--metrics-port", "0"}),
                       dir.path(), "processor");
  {
    auto session = cassandra();
    ASSERT_TRUE(
        testing::eventually([&] { return count_rows(session, keyspace) == kPerRound || !processor.running(); }, 120s))
        << processor.err();
  }
  ASSERT_TRUE(processor.running()) << processor.err();
  const int port = metrics_port(processor.err());
  ASSERT_GT(port, 0) << processor.err();
  EXPECT_EQ(healthz(port), 200);

  CassandraRestarter restarter;
  restarter.down = true;
  const auto stopped = stack("down");
  ASSERT_EQ(stopped.exit_code, 0) << stopped.out << stopped.err;
  const auto down_at = std::chrono::steady_clock::now();
  produce_round();  // read while Cassandra is away: its writes must wait

  // For the whole outage the processor keeps running; it says why it waits and is unhealthy.
  bool unhealthy_seen = false;
  while (std::chrono::steady_clock::now() - down_at < kOutage) {
    ASSERT_TRUE(processor.running()) << "the processor exited while Cassandra was down:\n" << processor.err();
    if (!unhealthy_seen) unhealthy_seen = healthz(port) == 503;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(unhealthy_seen) << "/healthz never said unhealthy";
  const std::string during = processor.err();
  const auto warnings = occurrences(during, "Cassandra at 127.0.0.1:9042 is not taking writes");
  EXPECT_GE(warnings, 3u) << during;   // at once, then every ~5 s...
  EXPECT_LE(warnings, 12u) << during;  // ...not once per retry

  restarter.down = false;
  ASSERT_TRUE(restart_cassandra());
  {
    auto session = cassandra();
    EXPECT_TRUE(testing::eventually(
        [&] { return count_rows(session, keyspace) == 2 * kPerRound || !processor.running(); }, 300s));
  }
  ASSERT_TRUE(processor.running()) << "the processor exited after Cassandra came back:\n" << processor.err();
  EXPECT_TRUE(testing::eventually([&] { return healthz(port) == 200; }, 30s));
  EXPECT_NE(processor.err().find("takes writes again"), std::string::npos) << processor.err();

  processor.signal(SIGTERM);
  EXPECT_EQ(processor.wait(60s), 0) << processor.err();

  expect_table_equals(read_rows(keyspace), expected);
  EXPECT_EQ(sum_progress(processor.err(), "records_in"), 2 * kPerRound) << processor.err();
  EXPECT_EQ(sum_progress(processor.err(), "written"), 2 * kPerRound) << processor.err();
  drop_keyspace(keyspace);
}

}  // namespace
}  // namespace ratingstream::process_test
