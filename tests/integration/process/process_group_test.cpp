// Scale-out: two processes in one consumer group share a topic's partitions. The second one joining
// makes the first give up partitions in the middle of its run (cooperative rebalance: it commits
// what of them is done and drops the rest); together they write exactly the expected rows.

#include <gtest/gtest.h>

#include "process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

// Enough that the first is still writing when the second has joined (about 3 s after it starts),
// with the two writers of each process.
constexpr int kRecords = 60'000;
constexpr int kPartitions = 4;

TEST(ProcessGroup, TwoProcessesShareThePartitionsAndWriteTheExactSet) {
  const std::string topic = testing::unique_name("it_process_group");
  const std::string keyspace = testing::unique_name("it_process_group");
  const std::string group = testing::unique_name("it_process_group");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv",
                                   "show_id,title,director,country,release_year,rating,duration\n"
                                   "s1,Twin Harbours,Ottilie Marsh,United Kingdom,2011,PG-13,102\n");
  const FilmColumns film{"s1", "Ottilie Marsh", "United Kingdom", "PG-13", 2011, 102};
  create_topic(topic, kPartitions);

  std::vector<Outgoing> records;
  std::map<store::Uuid, TableRow> expected;
  for (int i = 0; i < kRecords; ++i) {
    const int partition = i % kPartitions;
    const std::string name = fmt::format("Person {}", i % 30);
    // A distinct instant per record: equal ratings are one row (docs/delivery.md, "Row ids").
    const std::int64_t at_ms = 1'741'894'010'500 + i;
    records.push_back({partition, name,
                       fmt::format(R"({{"name":"{}","movie":"Twin Harbours","rating":{},"timestamp":"{}"}})", name,
                                   1 + i % 10, iso_utc(at_ms))});
    auto row = expected_row(name, at_ms * 1000, "Twin Harbours", 1 + i % 10, &film);
    expected.emplace(std::get<store::Uuid>(row[2]), std::move(row));
  }
  produce(topic, records);

  // Slow on purpose (small batches, a request per row, few requests in flight), so the second
  // joins mid-run.
  const std::vector<std::string> args =
      testing::processor_command(topic, keyspace, group, catalogue,
                                 {"--trigger", "0", "--max-records-per-trigger", "200", "--max-in-flight", "2",
                                  "--batch-rows", "1", "--until-idle", "5s", "--progress", "json"});
  Background first(args, dir.path(), "first");
  auto session = cassandra();
  ASSERT_TRUE(testing::eventually([&] { return count_rows(session, keyspace) > 0 || !first.running(); }, 120s));
  Background second(args, dir.path(), "second");

  ASSERT_EQ(first.wait(300s), 0) << first.err();
  ASSERT_EQ(second.wait(300s), 0) << second.err();
  expect_table_equals(read_rows(keyspace), expected);

  const auto first_written = sum_progress(first.err(), "written");
  const auto second_written = sum_progress(second.err(), "written");
  EXPECT_GT(first_written, 0) << first.err();
  EXPECT_GT(second_written, 0) << second.err();
  // Records in flight when their partition moved may be written by both (same id: overwritten).
  EXPECT_GE(first_written + second_written, kRecords);
  EXPECT_NE(first.err().find("gave up partitions"), std::string::npos) << first.err();
  std::cerr << "first wrote " << first_written << ", second " << second_written << "\n";
  drop_keyspace(keyspace);
}

}  // namespace
}  // namespace ratingstream::process_test
