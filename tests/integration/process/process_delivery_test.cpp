// The delivery rules (docs/delivery.md) where a test needs the real broker and Cassandra:
// - a rating produced twice (a producer's retry, a resend, a copy) is one row;
// - a dead letter is in the dead-letter topic once, also for a record too large for that topic
//   (its value cut, with a header saying so) and across restarts;
// - a fenced static member (a second process with the same group.instance.id) exits 1 promptly,
//   with records still buffered;
// - a backlog is drained under the default 30 s trigger at the first boundary, not one boundary
//   per full batch;
// - a run with --until-idle ends (exit 1, one line) when the broker does not answer or the topic
//   does not exist.

#include "process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

struct DeliveryRun : ::testing::Test {
  const std::string topic = testing::unique_name("it_delivery");
  const std::string keyspace = testing::unique_name("it_delivery");
  const std::string group = testing::unique_name("it_delivery_group");
  testing::TempDir dir;
  void TearDown() override { drop_keyspace(keyspace); }

  std::vector<std::string> args(const std::vector<std::string>& extra) const {
    std::vector<std::string> a{"process",  "-t",         topic, "--keyspace",
                               keyspace,   "--group",    group, "--starting-offsets",
                               "earliest", "--progress", "json"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

// The same rating twice, once more on another partition, and once as another producer would
// format it (same instant, other zone notation): one row. Another instant is another row.
TEST_F(DeliveryRun, ARatingProducedTwiceIsOneRow) {
  create_topic(topic, 2);
  const std::string rating =
      R"({"name":"Ann","movie":"Ζωή στο Λιμάνι","rating":7,"timestamp":"2025-03-13T19:26:50.123456Z"})";
  const std::string same_elsewhere =
      R"({"timestamp":"2025-03-13T21:26:50.123456+02:00","rating":7,"movie":"Ζωή στο Λιμάνι","name":"Ann"})";
  const std::string later =
      R"({"name":"Ann","movie":"Ζωή στο Λιμάνι","rating":7,"timestamp":"2025-03-13T19:26:50.123457Z"})";
  produce(topic,
          {{0, "Ann", rating}, {0, "Ann", rating}, {1, "Ann", rating}, {1, "Ann", same_elsewhere}, {0, "Ann", later}});
  const auto run = testing::run_ratingstream(args({"--trigger", "500ms", "--until-idle", "2s"}), 120s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(sum_progress(run.err, "written"), 5) << run.err;  // every record is written...
  EXPECT_EQ(read_rows(keyspace).size(), 2u);                  // ...as the rating it is
}

// A rejected record of 1,000,000 bytes, which the broker accepted on the source topic: the
// dead-letter topic the processor creates takes it whole. A dead-letter topic made by hand with a
// smaller limit gets the start of its value and a header saying how large it was. Neither stops
// the pipeline, and a restart dead-letters nothing twice.
TEST_F(DeliveryRun, AnOversizedRecordIsDeadLetteredOnceAndNeverStopsThePipeline) {
  create_topic(topic, 1);
  const std::string huge(1'000'000, 'x');
  const std::string huge_key(200'000, 'k');
  produce(topic, {{0, "Ann", std::string("{not json")},
                  {0, "Bob", huge},
                  numbered_rating(0, 1),
                  {0, "Cy", std::string(R"({"name":"Cy"})")},
                  numbered_rating(0, 2),
                  {0, huge_key, std::string("{")}});

  for (const bool small_topic : {false, true}) {
    const std::string dead_letters = testing::unique_name("it_delivery_dlq");
    if (small_topic) {
      create_topic(dead_letters, 1);
      set_topic_config(dead_letters, {{"max.message.bytes", "100000"}});
    }
    const auto group_here = testing::unique_name("it_delivery_group");
    std::vector<std::string> a =
        args({"--trigger", "500ms", "--until-idle", "2s", "--dead-letter-topic", dead_letters});
    a[6] = group_here;
    for (int run_number = 0; run_number < 2; ++run_number) {
      const auto run = testing::run_ratingstream(a, 120s);
      ASSERT_EQ(run.exit_code, 0) << run.err;
      EXPECT_EQ(sum_progress(run.err, "rejected"), run_number == 0 ? 4 : 0) << run.err;
    }
    // A restart from the beginning (another group) writes each dead letter again, in the same
    // topic: that is a second processing, not a duplicate of this group's.
    const auto letters = consume_all(dead_letters, 1);
    ASSERT_EQ(letters.size(), 4u) << "small topic: " << small_topic;
    std::set<std::string> offsets;
    for (const auto& l : letters) {
      offsets.insert(l.headers.at("source.offset"));
      if (l.headers.at("source.offset") == "5") {  // the huge key: cut only for the small topic
        EXPECT_EQ(l.headers.contains("key.truncated"), small_topic);
        ASSERT_TRUE(l.key.has_value());
        EXPECT_EQ(*l.key, huge_key.substr(0, l.key->size()));
        EXPECT_EQ(l.key->size() < huge_key.size(), small_topic);
        continue;
      }
      if (l.headers.at("source.offset") != "1") {
        EXPECT_FALSE(l.headers.contains("value.truncated"));
        continue;
      }
      EXPECT_EQ(l.headers.at("reason"), "too_large");
      if (small_topic) {
        EXPECT_EQ(l.headers.at("value.truncated"), "1000000");
        ASSERT_TRUE(l.value.has_value());
        EXPECT_LT(l.value->size(), 100'000u);
        EXPECT_GT(l.value->size(), 90'000u);
        EXPECT_EQ(*l.value, huge.substr(0, l.value->size()));
      } else {
        EXPECT_FALSE(l.headers.contains("value.truncated"));
        EXPECT_EQ(l.value, huge);
      }
    }
    EXPECT_EQ(offsets, (std::set<std::string>{"0", "1", "3", "5"}));
  }
  EXPECT_EQ(read_rows(keyspace).size(), 2u);
}

// Two processes with one group.instance.id: the broker fences the first. It holds records of a
// batch not yet due (trigger 1 min) and must still end promptly, exit 1, saying why, so that a
// supervisor can act; the second goes on.
TEST_F(DeliveryRun, AFencedStaticMemberExitsPromptlyWithRecordsBuffered) {
  create_topic(topic, 1);
  std::vector<Outgoing> records;
  for (int i = 0; i < 50; ++i) records.push_back(numbered_rating(0, i));
  produce(topic, records);
  const auto member = args({"--trigger", "1m", "-X", "group.instance.id=" + group + "-member"});
  Background first(member, dir.path(), "first");
  ASSERT_TRUE(testing::eventually([&] { return first.err().find("assigned partitions 0") != std::string::npos; }, 60s))
      << first.err();
  Background second(member, dir.path(), "second");
  const auto code = first.wait(60s);
  ASSERT_TRUE(code.has_value()) << "the fenced member did not exit:\n" << first.err();
  EXPECT_EQ(*code, 1) << first.err();
  EXPECT_NE(first.err().find("fatal consumer error"), std::string::npos) << first.err();
  EXPECT_TRUE(second.running()) << second.err();
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait(60s), 0) << second.err();
}

// 45,000 waiting records, batches of at most 20,000 (the default), the default 30 s trigger:
// two full batches close at once, and the tail is due at the first boundary. Before, each full
// batch moved the next boundary one interval on, and the tail waited until 90 s.
TEST_F(DeliveryRun, ABacklogIsDrainedAtTheFirstBoundaryOfTheDefaultTrigger) {
  create_topic(topic, 3);
  std::vector<Outgoing> records;
  for (int i = 0; i < 45'000; ++i) records.push_back(numbered_rating(i % 3, i, fmt::format("Person {}", i % 40)));
  produce(topic, records);
  const auto started = std::chrono::steady_clock::now();
  const auto run = testing::run_ratingstream(args({"--until-idle", "5s"}), 180s);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(sum_progress(run.err, "written"), 45'000) << run.err;
  // Done at the first boundary (30 s) plus the idle time; the second boundary is at 60 s.
  EXPECT_LT(took, 60s) << run.err;
}

// One person's rows go to Cassandra as single-partition batches, which Cassandra applies as one
// mutation and refuses above half its commit log segment (16 MiB by default): 300 rows of 60 kB
// (a left join keeps the long title) with --batch-rows 1000 must still be written.
TEST_F(DeliveryRun, ManyLargeRowsOfOnePersonStayBelowTheMutationSizeLimit) {
  create_topic(topic, 1);
  std::vector<Outgoing> records;
  for (int i = 0; i < 300; ++i) records.push_back(numbered_rating(0, i, "Ann", std::string(60'000, 'a' + i % 26)));
  produce(topic, records);
  const auto run = testing::run_ratingstream(
      args({"--trigger", "2s", "--until-idle", "2s", "--join", "left", "--batch-rows", "1000"}), 180s);
  ASSERT_EQ(run.exit_code, 0) << run.err.substr(0, 5000);
  EXPECT_EQ(sum_progress(run.err, "written"), 300) << run.err.substr(0, 5000);
  EXPECT_EQ(read_rows(keyspace).size(), 300u);
}

// A topic written in transactions (by an exactly-once producer upstream, or this processor's
// own dead-letter topic) ends with a commit marker that no record is delivered for: a run to the
// end of it must still see that it reached the end.
TEST_F(DeliveryRun, UntilIdleEndsOnATopicWrittenInTransactions) {
  create_topic(topic, 1);
  produce(topic, {{0, "Ann", std::string("not json 1")}, {0, "Ann", std::string("not json 2")}});
  const std::string dead_letters = testing::unique_name("it_delivery_dlq");
  const auto first = testing::run_ratingstream(
      args({"--trigger", "500ms", "--until-idle", "2s", "--dead-letter-topic", dead_letters}), 120s);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::vector<std::string> again = args({"--trigger", "500ms", "--until-idle", "2s"});
  again[2] = dead_letters;  // -t
  again[6] = testing::unique_name("it_delivery_group");
  const auto second = testing::run_ratingstream(again, 120s);
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_FALSE(second.timed_out) << second.err;
  EXPECT_EQ(sum_progress(second.err, "rejected"), 2) << second.err;
}

// The dead-letter topic deleted under a running processor: what retrying cannot fix. It must
// stop with exit 1 and one line naming the topic, promptly (a failure inside the revocation
// that closing the consumer runs must not leave librdkafka waiting for ever).
TEST_F(DeliveryRun, ADeletedDeadLetterTopicStopsTheProcessorWithExit1) {
  create_topic(topic, 1);
  const std::string dead_letters = testing::unique_name("it_delivery_dlq");
  Background processor(args({"--trigger", "500ms", "--dead-letter-topic", dead_letters}), dir.path(), "processor");
  ASSERT_TRUE(testing::eventually([&] { return processor.err().find("(now 0)") != std::string::npos; }, 60s))
      << processor.err();
  delete_topic(dead_letters);
  // A row before the rejected record: done, so closing the consumer has an offset to commit.
  produce(topic, {numbered_rating(0, 1), {0, "Ann", std::string("not json")}});
  const auto code = processor.wait(150s);
  ASSERT_TRUE(code.has_value()) << "still running:\n" << processor.err();
  EXPECT_EQ(*code, 1) << processor.err();
  EXPECT_NE(processor.err().find("dead-letter topic " + dead_letters), std::string::npos) << processor.err();
}

TEST_F(DeliveryRun, UntilIdleEndsWhenTheBrokerDoesNotAnswer) {
  const auto run = testing::run_ratingstream(args({"--until-idle", "1s", "-b", "127.0.0.1:1"}), 120s);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("Kafka at 127.0.0.1:1 did not answer"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("giving up, as a run with --until-idle must end"), std::string::npos) << run.err;
}

TEST_F(DeliveryRun, UntilIdleEndsWhenTheTopicDoesNotExist) {
  const auto run = testing::run_ratingstream(args({"--until-idle", "1s"}), 120s);  // never created
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("topic " + topic + " does not exist"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace ratingstream::process_test
