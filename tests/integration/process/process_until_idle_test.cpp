// --until-idle means nothing new in the topic, not a pause in what the processor sees: the
// consumer is not polled while a batch is written, and librdkafka reads ahead only so far, so the
// next records may arrive locally later than a short --until-idle. Counting from the last record
// read once made a processor exit after its first 18,000 of 30,000 records (the batch took 8.8 s,
// --until-idle was 5 s); with a smaller read-ahead, after 17,070 of 20,000 here.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

TEST(ProcessUntilIdle, BatchesLongerThanTheIdleTimeDoNotEndTheRun) {
  constexpr int kRecords = 20'000;
  constexpr int kPerBatch = 4'000;
  const std::string topic = testing::unique_name("it_process_idle");
  const std::string keyspace = testing::unique_name("it_process_idle");
  create_topic(topic, 1);
  std::vector<Outgoing> records;
  records.reserve(kRecords);
  for (int i = 0; i < kRecords; ++i) {
    records.push_back({0, "Ann",
                       fmt::format(R"({{"name":"Ann","movie":"Ζωή στο Λιμάνι","rating":{},"timestamp":"{}"}})",
                                   i % 10 + 1, iso_utc(1'741'893'210'000 + i))});
  }
  produce(topic, records);

  const auto result = testing::run_ratingstream(
      {"process", "-t", topic, "--keyspace", keyspace, "--group", testing::unique_name("it_process_group"),
       "--starting-offsets", "earliest", "--trigger", "0", "--max-records-per-trigger", std::to_string(kPerBatch),
       "--until-idle", "100ms", "--progress", "json"},
      300s);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sum_progress(result.err, "written"), kRecords) << result.err;
  auto session = cassandra();
  EXPECT_EQ(count_rows(session, keyspace), kRecords);
  drop_keyspace(keyspace);
}

}  // namespace
}  // namespace ratingstream::process_test
