// 20 kill -9 of the processor at random moments (seeded, the seed is printed) during a
// 200,000-record run, each time restarted with the same group; a last run with --until-idle then
// finishes. The table holds exactly the 200,000 expected rows: nothing lost to a kill (offsets are
// committed only after Cassandra acknowledged the rows), nothing twice (a replay overwrites its row).
//
// Fast restarts: a killed member keeps its partitions until the broker notices it is gone. With
// static membership (group.instance.id, the same on every restart) the restarted process takes
// the member's place, and its partitions, at once; with only a short session timeout it waits for
// that timeout first. RS_CHAOS_RESTART=session runs the test that way, to compare.

#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "chaos_fixtures.hpp"

namespace ratingstream::chaos_test {
namespace {

constexpr int kRecords = 200'000;
constexpr int kPartitions = 6;
constexpr int kKills = 20;
// A kill comes this long after the (re)start, uniformly: sometimes before the process has its
// partitions, mostly while it writes.
constexpr int kKillAfterMinMs = 200;
constexpr int kKillAfterMaxMs = 1500;

bool table_exists(store::Session& session, const std::string& keyspace) {
  auto pager = session.query(fmt::format(
      "SELECT table_name FROM system_schema.tables WHERE keyspace_name = '{}' AND table_name = 'movie_ratings'",
      keyspace));
  return pager.next().has_value();
}

TEST(ChaosProcessorKills, TwentyKillNinesDuringA200kRunLeaveExactlyTheExpectedRows) {
  std::mt19937_64 random(chaos_seed("ChaosProcessorKills"));
  const std::string topic = testing::unique_name("chaos_kills");
  const std::string keyspace = testing::unique_name("chaos_kills");
  const KeyspaceDropper dropper(keyspace);
  const std::string group = testing::unique_name("chaos_kills");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  create_topic(topic, kPartitions);

  ExpectedRows expected;
  expected.produce_load(topic, kPartitions, 0, kRecords);

  const char* restart_mode = std::getenv("RS_CHAOS_RESTART");
  const bool static_membership = restart_mode == nullptr || std::string(restart_mode) != "session";
  std::vector<std::string> args =
      testing::processor_command(topic, keyspace, group, catalogue,
                                 {"--progress", "json", "--trigger", "0", "--max-records-per-trigger", "500",
                                  // The broker's minimum: a member that is really gone (or a static
                                  // member not coming back) is noticed after 6 s, not 45 s.
                                  "-X", "session.timeout.ms=6000"});
  if (static_membership) args.insert(args.end(), {"-X", "group.instance.id=" + group + "_member"});
  std::cerr << "restarts with "
            << (static_membership ? "static membership (group.instance.id)" : "session.timeout.ms=6000 only") << "\n";

  // The killed runs write one row per request, one request at a time, so that 20 runs stay far
  // from the end of the 200,000 records however fast the machine is (batches of 64 rows with 4
  // in flight finished all of them before the 20th kill on a quiet day); the last run goes at
  // the default speed.
  auto killed_args = args;
  killed_args.insert(killed_args.end(), {"--batch-rows", "1", "--max-in-flight", "1"});

  auto session = cassandra();
  std::uniform_int_distribution<int> kill_after_ms(kKillAfterMinMs, kKillAfterMaxMs);
  std::vector<std::int64_t> rows_at_kill;
  std::vector<double> seconds_to_partitions;
  std::int64_t read_by_killed_runs = 0;
  int killed_before_partitions = 0;
  for (int kill = 1; kill <= kKills; ++kill) {
    const auto kill_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(kill_after_ms(random));
    const auto started = std::chrono::steady_clock::now();
    Background run(killed_args, dir.path(), fmt::format("run{}", kill));
    // Until the kill moment (the point of the test, drawn above), note when the run got its
    // partitions: that is how fast a restart is.
    std::optional<double> had_partitions_after;
    while (std::chrono::steady_clock::now() < kill_at) {
      if (!had_partitions_after && run.err().find("Kafka: assigned partitions") != std::string::npos) {
        had_partitions_after = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      }
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_TRUE(run.running()) << "run " << kill << " ended before its kill:\n" << run.err();
    run.signal(SIGKILL);
    ASSERT_EQ(run.wait(30s), -SIGKILL);
    if (had_partitions_after) {
      seconds_to_partitions.push_back(*had_partitions_after);
    } else {
      ++killed_before_partitions;
    }
    read_by_killed_runs += sum_progress(run.err(), "records_in");
    auto rows = count_rows(session, keyspace);
    // An early kill can come before any run created the table (the first run does, at start):
    // then there are no rows yet. Once the table exists a count must always succeed.
    if (rows < 0 && !table_exists(session, keyspace)) rows = 0;
    ASSERT_GE(rows, 0) << "the table exists but cannot be counted";
    if (!rows_at_kill.empty()) {
      EXPECT_GE(rows, rows_at_kill.back()) << "rows disappeared";
    }
    rows_at_kill.push_back(rows);
  }
  ASSERT_LT(rows_at_kill.back(), kRecords) << "the run was over before the last kill: the kills were not mid-run";
  ASSERT_GT(rows_at_kill.back(), 0) << "nothing was written in 20 runs";
  // Most kills must hit a process at work, not one still waiting for its partitions (which is
  // what restarts without static membership do: the killed member holds them for 6 s).
  EXPECT_GE(seconds_to_partitions.size(), static_cast<std::size_t>(kKills / 2))
      << killed_before_partitions << " of " << kKills << " runs were killed before they had their partitions";

  auto last_args = args;
  last_args.insert(last_args.end(), {"--until-idle", "5s"});
  const auto started = std::chrono::steady_clock::now();
  Background last(last_args, dir.path(), "last");
  ASSERT_TRUE(testing::eventually(
      [&] { return last.err().find("Kafka: assigned partitions") != std::string::npos || !last.running(); }, 120s,
      20ms))
      << last.err();
  const double restart_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(last.wait(600s), 0) << last.err();

  EXPECT_EQ(count_rows(session, keyspace), kRecords);
  expect_table_equals(read_rows(keyspace), expected.rows);

  std::cerr << kKills << " kills; rows at each kill: " << fmt::format("{}", fmt::join(rows_at_kill, ", ")) << "\n"
            << "records read by the killed runs " << read_by_killed_runs << ", by the last run "
            << sum_progress(last.err(), "records_in") << "; the last run had its partitions after " << restart_seconds
            << " s\n"
            << "killed runs that had their partitions: " << seconds_to_partitions.size() << ", after "
            << (seconds_to_partitions.empty()
                    ? 0.0
                    : *std::min_element(seconds_to_partitions.begin(), seconds_to_partitions.end()))
            << "..."
            << (seconds_to_partitions.empty()
                    ? 0.0
                    : *std::max_element(seconds_to_partitions.begin(), seconds_to_partitions.end()))
            << " s; killed before: " << killed_before_partitions << "\n";
}

}  // namespace
}  // namespace ratingstream::chaos_test
