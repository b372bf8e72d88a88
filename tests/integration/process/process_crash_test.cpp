// kill -9 in the middle of a run, then a second run with the same group: the table ends up with
// exactly the rows of every record, none missing and none twice, and the second run resumed from
// the offsets the first one committed instead of starting over.

#include <gtest/gtest.h>

#include "process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

constexpr int kRecords = 20'000;
constexpr int kPartitions = 3;

constexpr const char* kCatalogue =
    "show_id,title,director,country,release_year,rating,duration\n"
    "s1,Twin Harbours,Ottilie Marsh,United Kingdom,2011,PG-13,102\n"
    "s2,\"Salt, Smoke and Silver\",Tobias Ferrand,France,2021,TV-MA,117\n";
const FilmColumns kFilms[] = {{"s1", "Ottilie Marsh", "United Kingdom", "PG-13", 2011, 102},
                              {"s2", "Tobias Ferrand", "France", "TV-MA", 2021, 117}};
const char* const kTitles[] = {"Twin Harbours", "Salt, Smoke and Silver"};

constexpr std::int64_t kStartMs = 1'741'894'010'000;  // 2025-03-13T19:26:50Z

TEST(ProcessCrash, KillNineMidRunThenRerunGivesTheExactSet) {
  const std::string topic = testing::unique_name("it_process_crash");
  const std::string keyspace = testing::unique_name("it_process_crash");
  const std::string group = testing::unique_name("it_process_group");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  create_topic(topic, kPartitions);

  std::vector<Outgoing> records;
  std::map<store::Uuid, TableRow> expected;
  for (int i = 0; i < kRecords; ++i) {
    const int partition = i % kPartitions;
    const std::string name = fmt::format("Person {}", i % 50);
    const int film = (i / 7) % 2;
    const int rating = 1 + i % 10;
    const std::int64_t at = kStartMs + i * 1000LL + i % 1000;
    records.push_back({partition, name,
                       fmt::format(R"({{"name":"{}","movie":"{}","rating":{},"timestamp":"{}"}})", name, kTitles[film],
                                   rating, iso_utc(at))});
    auto row = expected_row(name, at * 1000, kTitles[film], rating, &kFilms[film]);
    expected.emplace(std::get<store::Uuid>(row[2]), std::move(row));
  }
  produce(topic, records);

  const std::vector<std::string> common =
      testing::processor_command(topic, keyspace, group, catalogue,
                                 {"--progress", "json",
                                  // The killed member holds its partitions until its session
                                  // times out (45 s by default); the broker's minimum is 6 s.
                                  "-X", "session.timeout.ms=6000"});
  auto session = cassandra();
  std::int64_t at_kill = -1;
  {
    // Small batches and few writes in flight, so the run is still going when it is killed.
    auto args = common;
    args.insert(args.end(), {"--trigger", "0", "--max-records-per-trigger", "500", "--max-in-flight", "4"});
    Background first(args, dir.path(), "first");
    ASSERT_TRUE(testing::eventually([&] { return count_rows(session, keyspace) >= 3000 || !first.running(); }, 120s))
        << first.err();
    ASSERT_TRUE(first.running()) << "the first run ended before it could be killed:\n" << first.err();
    first.signal(SIGKILL);
    ASSERT_EQ(first.wait(30s), -SIGKILL);
    at_kill = count_rows(session, keyspace);
    ASSERT_GT(at_kill, 0);
    ASSERT_LT(at_kill, kRecords) << "not killed in the middle of the run";
  }

  auto args = common;
  args.insert(args.end(), {"--trigger", "1s", "--until-idle", "5s"});
  const auto second = testing::run_ratingstream(args, 300s);
  ASSERT_EQ(second.exit_code, 0) << second.err;

  EXPECT_EQ(count_rows(session, keyspace), kRecords);
  expect_table_equals(read_rows(keyspace), expected);

  // The second run read only what the first had not committed: at least every unwritten record,
  // and not everything (the first run committed as it went).
  const auto reread = sum_progress(second.err, "records_in");
  EXPECT_GE(reread, kRecords - at_kill) << second.err;
  EXPECT_LT(reread, kRecords) << second.err;
  EXPECT_EQ(sum_progress(second.err, "written"), reread) << second.err;
  std::cerr << "killed at " << at_kill << " rows; the second run re-read " << reread << " records\n";
  drop_keyspace(keyspace);
}

}  // namespace
}  // namespace ratingstream::process_test
