// Where a group resumes (docs/delivery.md, "Where a group resumes"), against the real broker:
// - a partition that had no records on the group's first start resumes at the position it was
//   given then, so records that arrive there while the processor is stopped are read, with the
//   default `--starting-offsets latest`;
// - a partition added to the topic later is read from its beginning;
// - records removed (delete-records, what retention does) below the committed offset are
//   counted as lost in one error line, the retained ones are read, and nothing jumps to the end;
//   `--on-data-loss fail` stops with exit 1 instead.

#include "process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

struct PositionsRun : ::testing::Test {
  const std::string topic = testing::unique_name("it_positions");
  const std::string keyspace = testing::unique_name("it_positions");
  const std::string group = testing::unique_name("it_positions_group");
  void TearDown() override { drop_keyspace(keyspace); }

  // One processor run to the end of the topic, with the default starting offsets unless `extra`
  // says otherwise.
  testing::CommandResult process(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"process",   "-t",    topic,          "--keyspace", keyspace,     "--group", group,
                                  "--trigger", "500ms", "--until-idle", "2s",         "--progress", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::run_ratingstream(args, 120s);
  }

  // `count` ratings numbered from `first`, all to `partition`.
  void produce_to(std::int32_t partition, int first, int count) {
    std::vector<Outgoing> records;
    for (int i = first; i < first + count; ++i) records.push_back(numbered_rating(partition, i));
    produce(topic, records);
  }
};

TEST_F(PositionsRun, AnEmptyPartitionResumesWhereItWasAfterARestart) {
  create_topic(topic, 6);
  for (std::int32_t p = 0; p < 5; ++p) produce_to(p, p * 10, 10);  // partition 5 stays empty
  auto first = process({"--starting-offsets", "earliest"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(sum_progress(first.err, "written"), 50) << first.err;
  // Every assigned partition has a durable position, the empty one included.
  const auto committed = committed_offsets(group, topic, 6);
  EXPECT_EQ(committed, (std::vector<std::int64_t>{10, 10, 10, 10, 10, 0}));

  produce_to(5, 100, 7);    // while the processor is stopped
  auto second = process();  // --starting-offsets latest: applies to a group's first start only
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(sum_progress(second.err, "written"), 7) << second.err;
  EXPECT_EQ(read_rows(keyspace).size(), 57u);
  EXPECT_EQ(committed_offsets(group, topic, 6)[5], 7);
}

// A new group with the default `latest`: every partition starts at its end, all decided alike
// (the first one committed must not make the others look like partitions added later).
TEST_F(PositionsRun, ANewGroupStartsEveryPartitionAtItsEndAndResumesThereAfterARestart) {
  create_topic(topic, 4);
  for (std::int32_t p = 0; p < 4; ++p) produce_to(p, p * 10, 10);  // before the group's first start
  auto first = process();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(sum_progress(first.err, "written"), 0) << first.err;
  EXPECT_EQ(committed_offsets(group, topic, 4), (std::vector<std::int64_t>{10, 10, 10, 10}));
  for (std::int32_t p = 0; p < 4; ++p) produce_to(p, 100 + p * 3, 3);
  auto second = process();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(sum_progress(second.err, "written"), 12) << second.err;
}

TEST_F(PositionsRun, APartitionAddedLaterIsReadFromItsBeginning) {
  create_topic(topic, 2);
  produce_to(0, 0, 5);
  produce_to(1, 5, 5);
  auto first = process({"--starting-offsets", "earliest"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(sum_progress(first.err, "written"), 10) << first.err;

  add_partitions(topic, 3);
  produce_to(2, 10, 4);
  auto second = process();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(sum_progress(second.err, "written"), 4) << second.err;
  EXPECT_NE(second.err.find("partition 2 of " + topic + " has no committed offset"), std::string::npos) << second.err;
  EXPECT_EQ(read_rows(keyspace).size(), 14u);
}

TEST_F(PositionsRun, RecordsDeletedBelowTheCommittedOffsetAreCountedAndTheRetainedOnesRead) {
  create_topic(topic, 1);
  produce_to(0, 0, 20);
  auto first = process({"--starting-offsets", "earliest"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(committed_offsets(group, topic, 1)[0], 20);

  produce_to(0, 20, 30);                // offsets 20..49, never read
  delete_records_before(topic, 0, 35);  // 20..34 removed before the group read them

  auto failing = process({"--on-data-loss", "fail"});
  EXPECT_EQ(failing.exit_code, 1) << failing.err;
  EXPECT_NE(failing.err.find("records 20 to 34 of partition 0 of " + topic), std::string::npos) << failing.err;
  EXPECT_NE(failing.err.find("15 records lost"), std::string::npos) << failing.err;
  EXPECT_EQ(sum_progress(failing.err, "written"), 0) << failing.err;
  EXPECT_EQ(committed_offsets(group, topic, 1)[0], 20);  // left where it was

  auto second = process();  // the default: go on from the earliest retained record
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("15 records lost; resuming at the earliest retained record, offset 35"), std::string::npos)
      << second.err;
  EXPECT_EQ(sum_progress(second.err, "written"), 15) << second.err;  // 35..49, not 0 (the end)
  EXPECT_EQ(read_rows(keyspace).size(), 20u + 15u);
  EXPECT_EQ(committed_offsets(group, topic, 1)[0], 50);

  auto third = process();  // the loss is reported once, not again on every start
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(third.err.find("records lost"), std::string::npos) << third.err;
}

}  // namespace
}  // namespace ratingstream::process_test
