// A run meant to end (--until-idle) ends when Cassandra does not take writes for longer than its
// bound, at start-up or while writing, with exit 1 and one line naming the address; without it
// the processor keeps retrying until stopped. A write call cut by its deadline while Cassandra
// takes writes is no failure: the consumer is served and the rest sent at once.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../process/process_fixtures.hpp"
#include "common/errors.hpp"
#include "observe/metrics.hpp"
#include "process/cassandra_sink.hpp"

namespace ratingstream::process_test {
namespace {

store::SessionConfig unreachable() {
  store::SessionConfig config;
  config.contact_points = {"127.0.0.1:1"};
  config.connect_timeout = 500ms;
  return config;
}

process::SinkSettings quick(std::optional<std::chrono::milliseconds> give_up_after) {
  process::SinkSettings settings;
  settings.retry.first_wait = 20ms;
  settings.retry.max_wait = 100ms;
  settings.retry.give_up_after = give_up_after;
  return settings;
}

std::string failure_of(const std::function<void()>& run) {
  try {
    run();
  } catch (const RuntimeFailure& e) {
    return e.what();
  }
  return "(no RuntimeFailure)";
}

TEST(SinkGiveUp, ProcessUntilIdleEndsWithExit1NamingTheAddressWhenCassandraNeverAnswers) {
  const auto started = std::chrono::steady_clock::now();
  const auto r = testing::run_ratingstream(
      {"process", "--until-idle", "2s", "--cassandra", "127.0.0.1:1", "-t", testing::unique_name("it_give_up")}, 90s);
  EXPECT_FALSE(r.timed_out) << "still running after 90 s:\n" << r.err;
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto last_line = r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1);
  EXPECT_NE(last_line.find("ratingstream: Cassandra at 127.0.0.1:1 is not available"), std::string::npos) << r.err;
  EXPECT_NE(last_line.find("giving up, as a run with --until-idle must end"), std::string::npos) << r.err;
  // The bound is --until-idle but at least 30 s (process::unreachable_give_up).
  EXPECT_LT(std::chrono::steady_clock::now() - started, 60s);
}

TEST(SinkGiveUp, OpenGivesUpAfterItsBoundAndOtherwiseWaitsUntilStopped) {
  observe::Metrics metrics({});
  StopFlag stop{false};
  const auto message = failure_of([&] {
    process::CassandraSink::open(unreachable(), {"ks", "t"}, true, {}, quick(300ms), metrics, stop);
  });
  EXPECT_NE(message.find("Cassandra at 127.0.0.1:1"), std::string::npos) << message;
  EXPECT_NE(message.find("giving up"), std::string::npos) << message;
  EXPECT_FALSE(metrics.health().ok);
  EXPECT_NE(metrics.health().text.find("cassandra unreachable: Cassandra at 127.0.0.1:1"), std::string::npos)
      << metrics.health().text;

  // Without a bound: retried until stopped, never thrown.
  std::thread stopper([&] {
    std::this_thread::sleep_for(1500ms);
    stop = true;
  });
  std::optional<process::CassandraSink> sink;
  EXPECT_NO_THROW(
      sink = process::CassandraSink::open(unreachable(), {"ks", "t"}, true, {}, quick(std::nullopt), metrics, stop));
  stopper.join();
  EXPECT_FALSE(sink.has_value());
}

TEST(SinkGiveUp, WriteGivesUpWhenTheKeyspaceCannotTakeWritesForItsBound) {
  const std::string keyspace = testing::unique_name("it_give_up");
  observe::Metrics metrics({});
  StopFlag stop{false};
  auto sink = process::CassandraSink::open({}, {keyspace, "movie_ratings"}, true, {}, quick(1s), metrics, stop);
  ASSERT_TRUE(sink);
  EXPECT_EQ(sink->time_zone(), "UTC");
  // Replicas the single node cannot provide: every write is Unavailable from now on.
  cassandra().execute("ALTER KEYSPACE " + keyspace +
                      " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '3'}");

  process::Row row;
  row.name = "Ann";
  row.timestamp = store::Timestamp{1'741'894'010'000};
  row.id = process::row_id("Ann", 1'741'894'010'000'000, "m", 5);
  row.unmatched_movie = "m";
  row.rating_movie = 5;
  const std::vector<process::Row> rows{row};
  const auto message = failure_of([&] { sink->write(rows, stop, {}); });
  EXPECT_NE(message.find("Cassandra at 127.0.0.1:9042 cannot meet LOCAL_QUORUM for keyspace " + keyspace +
                         ": 2 replicas needed, 1 alive"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("giving up"), std::string::npos) << message;
  drop_keyspace(keyspace);
}

TEST(SinkCallDeadline, CallsCutByTheirDeadlineGoOnAtOnceServeTheConsumerAndWriteEveryRow) {
  const std::string keyspace = testing::unique_name("it_call_deadline");
  observe::Metrics metrics({});
  StopFlag stop{false};
  auto settings = quick(std::nullopt);
  settings.call_deadline = 50ms;  // far shorter than the batch takes one row at a time
  settings.max_in_flight = 1;
  settings.batch_rows = 1;
  auto sink = process::CassandraSink::open({}, {keyspace, "movie_ratings"}, true, {}, settings, metrics, stop);
  ASSERT_TRUE(sink);
  std::vector<process::Row> rows(3000);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::int64_t ms = 1'741'894'010'000 + static_cast<std::int64_t>(i);
    rows[i].name = "Ann";
    rows[i].timestamp = store::Timestamp{ms};
    rows[i].id = process::row_id("Ann", ms * 1000, "m", 5);
    rows[i].unmatched_movie = "m";
    rows[i].rating_movie = 5;
  }
  int served = 0;
  const auto began = std::chrono::steady_clock::now();
  const auto outcome = sink->write(rows, stop, [&] { ++served; });
  const auto took = std::chrono::steady_clock::now() - began;
  EXPECT_TRUE(outcome.complete());
  EXPECT_EQ(outcome.written_count, rows.size());
  // Each call ran about 50 ms: the consumer was served between them, and no backoff was waited.
  EXPECT_GE(served, 1);
  EXPECT_LE(served, std::chrono::duration_cast<std::chrono::milliseconds>(took).count() / 50 + 1);
  EXPECT_TRUE(metrics.health().ok) << metrics.health().text;
  auto session = cassandra();
  EXPECT_EQ(count_rows(session, keyspace), 3000);
  drop_keyspace(keyspace);
}

}  // namespace
}  // namespace ratingstream::process_test
