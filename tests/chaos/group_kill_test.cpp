// Three processors in one consumer group on a 6-partition topic; one is killed (kill -9) in the
// middle of the run and not restarted. Once the broker drops it (session timeout, 6 s here) the
// other two take its partitions, re-read what it had not committed, and the table ends with
// exactly the expected rows.

#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "chaos_fixtures.hpp"

namespace ratingstream::chaos_test {
namespace {

constexpr int kRecords = 60'000;
constexpr int kPartitions = 6;

// The partitions a process holds now, from its log: "assigned partitions 1,4 of T (now 1,2,4)"
// gives the whole set, "gave up partitions 2 of T" and "lost partitions 2 of T" remove some.
std::set<int> held_partitions(const std::string& err) {
  auto ids = [](const std::string& list) {
    std::set<int> out;
    std::stringstream text(list);
    std::string id;
    while (std::getline(text, id, ',')) out.insert(std::stoi(id));
    return out;
  };
  std::set<int> held;
  static const std::regex assigned(R"(Kafka: assigned partitions [0-9,]+ of \S+ \(now ([0-9,]+)\))");
  static const std::regex removed(R"(Kafka: (?:gave up|lost) partitions ([0-9,]+) of)");
  std::istringstream lines(err);
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_search(line, m, assigned)) {
      held = ids(m[1]);
    } else if (std::regex_search(line, m, removed)) {
      for (const int p : ids(m[1])) held.erase(p);
    }
  }
  return held;
}

std::string list(const std::set<int>& partitions) { return fmt::format("{}", fmt::join(partitions, ",")); }

TEST(ChaosGroupKill, TwoSurvivorsTakeOverAKilledMembersPartitionsAndTheTableIsExact) {
  const std::string topic = testing::unique_name("chaos_group");
  const std::string keyspace = testing::unique_name("chaos_group");
  const KeyspaceDropper dropper(keyspace);
  const std::string group = testing::unique_name("chaos_group");
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  create_topic(topic, kPartitions);

  ExpectedRows expected;
  expected.produce_load(topic, kPartitions, 0, kRecords);

  // Slowed down so the run lasts well beyond the kill; a 6 s session timeout (the broker's
  // minimum) so the dead member's partitions move after 6 s, not 45.
  const std::vector<std::string> args =
      testing::processor_command(topic, keyspace, group, catalogue,
                                 {"--trigger", "0", "--max-records-per-trigger", "200", "--max-in-flight", "2",
                                  "--progress", "json", "-X", "session.timeout.ms=6000"});
  std::vector<std::unique_ptr<Background>> members;
  for (int i = 0; i < 3; ++i)
    members.push_back(std::make_unique<Background>(args, dir.path(), fmt::format("member{}", i)));
  // All three hold partitions (two each once the group settled) before one dies.
  auto all_assigned = [&] {
    std::size_t held = 0;
    for (auto& m : members) {
      const auto mine = held_partitions(m->err());
      if (mine.empty()) return false;
      held += mine.size();
    }
    return held == static_cast<std::size_t>(kPartitions);
  };
  ASSERT_TRUE(testing::eventually(all_assigned, 120s)) << members[0]->err() << members[1]->err() << members[2]->err();

  auto session = cassandra();
  ASSERT_TRUE(testing::eventually([&] { return count_rows(session, keyspace) >= kRecords / 4; }, 180s));
  Background& victim = *members[0];
  const auto victims_partitions = held_partitions(victim.err());
  ASSERT_FALSE(victims_partitions.empty());
  victim.signal(SIGKILL);
  ASSERT_EQ(victim.wait(30s), -SIGKILL);
  const auto rows_at_kill = count_rows(session, keyspace);
  ASSERT_LT(rows_at_kill, kRecords) << "the run was over before the kill";

  // Done when every row is there and the survivors hold all six partitions between them.
  auto survivors_hold_all = [&] {
    auto held = held_partitions(members[1]->err());
    held.merge(held_partitions(members[2]->err()));
    return held.size() == static_cast<std::size_t>(kPartitions);
  };
  EXPECT_TRUE(testing::eventually(
      [&] {
        return (count_rows(session, keyspace) >= kRecords && survivors_hold_all()) || !members[1]->running() ||
               !members[2]->running();
      },
      300s));
  // Read before they stop (closing gives their partitions up).
  const auto first = held_partitions(members[1]->err());
  const auto second = held_partitions(members[2]->err());
  for (int i = 1; i < 3; ++i) {
    ASSERT_TRUE(members[i]->running()) << members[i]->err();
    members[i]->signal(SIGTERM);
    EXPECT_EQ(members[i]->wait(60s), 0) << members[i]->err();
  }
  expect_table_equals(read_rows(keyspace), expected.rows);

  // The survivors held every partition at the end, the victim's included.
  std::set<int> survivors = first;
  survivors.insert(second.begin(), second.end());
  EXPECT_EQ(survivors.size(), static_cast<std::size_t>(kPartitions))
      << "survivors hold " << list(first) << " and " << list(second);
  for (const int p : victims_partitions) EXPECT_TRUE(survivors.contains(p)) << "partition " << p << " never moved";

  std::cerr << "killed the member holding partitions " << list(victims_partitions) << " at " << rows_at_kill << " of "
            << kRecords << " rows; the survivors wrote " << sum_progress(members[1]->err(), "written") << " and "
            << sum_progress(members[2]->err(), "written") << " (the victim " << sum_progress(victim.err(), "written")
            << "); they hold " << list(first) << " and " << list(second) << " at the end\n";
}

}  // namespace
}  // namespace ratingstream::chaos_test
