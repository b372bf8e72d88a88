// SIGTERM while a batch is being collected: the processor stops taking records, finishes the batch
// it holds (writes and commits it) and exits 0; a later run of the group has nothing left to read.

#include <gtest/gtest.h>

#include "process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

TEST(ProcessSignal, SigtermFinishesTheCollectedBatchAndExitsZero) {
  const std::string topic = testing::unique_name("it_process_signal");
  const std::string keyspace = testing::unique_name("it_process_signal");
  const std::string group = testing::unique_name("it_process_group");
  testing::TempDir dir;
  create_topic(topic, 2);
  std::vector<Outgoing> records;
  for (int i = 0; i < 100; ++i) {
    records.push_back(numbered_rating(i % 2, i));
  }
  produce(topic, records);

  const std::vector<std::string> common{"process",  "-t",         topic, "--keyspace",
                                        keyspace,   "--group",    group, "--starting-offsets",
                                        "earliest", "--progress", "json"};
  auto args = common;
  // A batch a minute: when the signal comes, the records are read but not yet written.
  args.insert(args.end(), {"--trigger", "1m", "--metrics-address", "127.0.0.1", "--metrics-port", "0"});
  Background processor(args, dir.path(), "processor");
  int port = 0;
  ASSERT_TRUE(
      testing::eventually([&] { return (port = metrics_port(processor.err())) > 0 || !processor.running(); }, 60s))
      << processor.err();
  ASSERT_GT(port, 0) << processor.err();
  // The lag gauge (refreshed every 5 s) says 0 once every record is read into the open batch.
  ASSERT_TRUE(testing::eventually(
      [&] { return http_get(port, "/metrics").body.find("\nratingstream_consumer_lag 0\n") != std::string::npos; },
      60s))
      << processor.err();
  auto session = cassandra();
  EXPECT_LE(count_rows(session, keyspace), 0);  // nothing written yet (no table or an empty one)

  processor.signal(SIGTERM);
  ASSERT_EQ(processor.wait(60s), 0) << processor.err();
  EXPECT_EQ(sum_progress(processor.err(), "written"), 100) << processor.err();
  EXPECT_EQ(count_rows(session, keyspace), 100);

  auto again = common;
  again.insert(again.end(), {"--trigger", "1s", "--until-idle", "3s"});
  const auto second = testing::run_ratingstream(again, 120s);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(sum_progress(second.err, "records_in"), 0) << second.err;  // the batch was committed
  drop_keyspace(keyspace);
}

}  // namespace
}  // namespace ratingstream::process_test
