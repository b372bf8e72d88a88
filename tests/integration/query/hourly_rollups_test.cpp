// Hourly rollups against the real Cassandra (scripts/stack up): rows written by the processor's
// own sink, which marks their hours and recomputes the rollups; Q1 from the rollups must equal
// the scan of the raw rows to the last digit for random windows, in both layouts, with late
// records, stale rollups and rollups built from rows already there.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/retry.hpp"
#include "observe/metrics.hpp"
#include "process/cassandra_sink.hpp"
#include "query/questions.hpp"
#include "query_fixture.hpp"
#include "sink_rows.hpp"
#include "store/hour_rollups.hpp"

using namespace ratingstream;
using namespace ratingstream::query_test;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kPeople = {"Ann Example", "Bo Sample", "Zoë Ångström"};
const std::int64_t kStart = utc_ms(2024, 1, 1);
const std::int64_t kEnd = utc_ms(2024, 1, 15);

process::SinkSettings sink_settings(std::chrono::milliseconds settle, std::chrono::milliseconds stale_after = 120s) {
  process::SinkSettings settings;
  settings.retry.give_up_after = 30s;
  settings.rollups.settle = settle;
  settings.rollups.stale_after = stale_after;
  settings.rollups.sweep_every = std::min<std::chrono::milliseconds>(60s, stale_after / 2);
  return settings;
}

bool eventually(const std::function<bool()>& condition, std::chrono::seconds within = 60s) {
  const auto until = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return condition();
}

struct Figures {
  std::int64_t rows, without, sum;
  std::optional<query::Hundredths> average;
  friend bool operator==(const Figures&, const Figures&) = default;
};

Figures figures(const query::DurationAverage& a) { return {a.rows(), a.without_duration(), a.sum(), a.average()}; }

std::ostream& operator<<(std::ostream& out, const Figures& f) {
  return out << f.rows << " rows, " << f.without << " without duration, sum " << f.sum;
}

class HourlyRollups : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    session_ = std::make_unique<store::Session>(store::Session::connect({}));
    std::mt19937_64 random(34);
    std::uniform_int_distribution<std::int64_t> when(kStart, kEnd - 1);
    for (int i = 0; i < 3000; ++i) {
      std::int64_t at = when(random);
      if (i % 40 == 0) at = at / store::kMillisPerHour * store::kMillisPerHour;  // an hour's first millisecond
      if (i % 40 == 1) at = at / store::kMillisPerHour * store::kMillisPerHour + store::kMillisPerHour - 1;
      rows_.push_back(sink_row(kPeople[static_cast<std::size_t>(i) % kPeople.size()], at, i));
    }
    for (const auto& [table, layout] : kTables) {
      const store::TableRef ref{keyspace_, table};
      store::apply_schema(*session_, ref, store::KeyspaceReplication{}, layout);
      ASSERT_EQ(store::enable_rollups(*session_, ref, layout, std::nullopt), 0);
      auto sink = open(table, sink_settings(200ms));
      ASSERT_TRUE(sink->keeps_rollups());
      // Several writes, each with its marks, some hours touched by more than one.
      for (std::size_t first = 0; first < rows_.size(); first += 500) {
        const std::span<const process::Row> part(rows_.data() + first,
                                                 std::min<std::size_t>(500, rows_.size() - first));
        ASSERT_TRUE(sink->write(part, stop_, {}).complete());
      }
      ASSERT_TRUE(eventually([&] { return sink->rollup_hours_pending() == 0; })) << sink->rollup_hours_pending();
    }
  }

  static void TearDownTestSuite() {
    if (session_) session_->execute("DROP KEYSPACE IF EXISTS " + keyspace_);
    session_.reset();
  }

  static std::optional<process::CassandraSink> open(const std::string& table, const process::SinkSettings& settings) {
    auto sink = process::CassandraSink::open({}, {keyspace_, table}, false, {}, settings, metrics_, stop_);
    EXPECT_TRUE(sink.has_value());
    return sink;
  }

  static Figures q1(const std::string& table, query::RollupUse use, const std::string& name,
                    const query::TimeWindow& window) {
    query::Questions questions(*session_, {keyspace_, table}, 100, use);
    EXPECT_EQ(questions.uses_rollups(), use == query::RollupUse::when_complete) << table;
    return figures(questions.average_duration(name, window));
  }

  static std::vector<store::PendingMark> marks(const std::string& table) {
    return store::HourRollups(*session_, {keyspace_, table}, store::detect_table_layout(*session_, {keyspace_, table}),
                              std::nullopt)
        .all_marks();
  }

  static inline const std::vector<std::pair<std::string, store::TableLayout>> kTables = {
      {"original", {}}, {"by_day", {store::BucketSize::day}}};
  static inline std::unique_ptr<store::Session> session_;
  static inline std::string keyspace_ = rs_testing::unique_name("it_rollups");
  static inline std::vector<process::Row> rows_;
  static inline observe::Metrics metrics_{{}};
  static inline StopFlag stop_{false};
};

TEST_F(HourlyRollups, Q1FromRollupsEqualsTheScanToTheLastDigitForRandomWindowsInBothLayouts) {
  for (const auto& [table, layout] : kTables) EXPECT_TRUE(marks(table).empty()) << table;
  std::mt19937_64 random(8);
  std::uniform_int_distribution<std::int64_t> when(kStart - 86'400'000, kEnd);
  std::uniform_int_distribution<std::int64_t> length(60'000, 10LL * 86'400'000);
  int compared = 0;
  for (int w = 0; w < 30; ++w) {
    std::int64_t from = when(random);
    std::int64_t to = from + length(random);
    if (w % 5 == 0) from = from / store::kMillisPerHour * store::kMillisPerHour;  // on an hour's edge
    if (w % 5 == 1) to = to / store::kMillisPerHour * store::kMillisPerHour;
    if (w == 2) std::tie(from, to) = std::pair{kStart - 1, kEnd + 1};  // every row
    const query::TimeWindow window{store::Timestamp{from}, store::Timestamp{to}};
    const std::string& name = kPeople[static_cast<std::size_t>(w) % kPeople.size()];
    const Figures scan = q1("original", query::RollupUse::never, name, window);
    if (w == 2) {
      std::set<store::Uuid> ids;  // rows of equal content are one row
      for (const auto& row : rows_) {
        if (row.name == name) ids.insert(row.id);
      }
      EXPECT_EQ(scan.rows, static_cast<std::int64_t>(ids.size()));
      EXPECT_GT(scan.rows, 900);
    }
    for (const auto& [table, layout] : kTables) {
      EXPECT_EQ(q1(table, query::RollupUse::when_complete, name, window), scan)
          << table << ": " << name << " from " << from << " to " << to;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 60);
}

TEST_F(HourlyRollups, ALateRecordMarksItsHourUntilItsRollupIsRecomputedAndTheAnswerStaysExact) {
  const std::int64_t hour = utc_ms(2024, 1, 5, 10);
  const query::TimeWindow day{store::Timestamp{utc_ms(2024, 1, 5)}, store::Timestamp{utc_ms(2024, 1, 6)}};
  for (const auto& [table, layout] : kTables) {
    const Figures before = q1(table, query::RollupUse::when_complete, kPeople[0], day);
    {
      // A processor that recomputes nothing within the test: its late row's hour stays marked.
      auto slow = open(table, sink_settings(1h));
      const std::vector<process::Row> late{sink_row(kPeople[0], hour + 30 * 60'000, 1)};
      ASSERT_TRUE(slow->write(late, stop_, {}).complete());
      const auto pending = marks(table);
      ASSERT_EQ(pending.size(), 1u) << table;
      EXPECT_EQ(pending[0].key, (store::HourKey{kPeople[0], store::Timestamp{hour}}));
      const Figures marked = q1(table, query::RollupUse::when_complete, kPeople[0], day);
      EXPECT_EQ(marked.rows, before.rows + 1) << table;
      EXPECT_EQ(marked, q1(table, query::RollupUse::never, kPeople[0], day)) << table;
    }
    // Another processor's sweep takes the mark once it is stale, recomputes the hour, removes it.
    auto sweeper = open(table, sink_settings(200ms, 1s));
    ASSERT_TRUE(eventually([&] { return marks(table).empty(); })) << table;
    store::HourRollups rollups(*session_, {keyspace_, table}, layout, std::nullopt);
    const auto summaries = rollups.summaries(kPeople[0], store::Timestamp{hour}, store::Timestamp{hour + 1});
    ASSERT_EQ(summaries.size(), 1u);
    EXPECT_EQ(summaries.begin()->second, rollups.summarise({kPeople[0], store::Timestamp{hour}})) << table;
    EXPECT_EQ(q1(table, query::RollupUse::when_complete, kPeople[0], day),
              q1(table, query::RollupUse::never, kPeople[0], day))
        << table;
  }
}

TEST_F(HourlyRollups, ARollupIsNeverUsedWhileItsHourIsMarked) {
  const std::string table = "by_day";
  const store::TableLayout layout{store::BucketSize::day};
  const store::HourKey key{kPeople[1], store::Timestamp{utc_ms(2024, 1, 9, 14)}};
  const query::TimeWindow window{store::Timestamp{utc_ms(2024, 1, 9)}, store::Timestamp{utc_ms(2024, 1, 10)}};
  store::HourRollups rollups(*session_, {keyspace_, table}, layout, std::nullopt);
  const Figures exact = q1(table, query::RollupUse::never, key.name, window);
  // A rollup missing rows, as one stored before a late record would be, under a mark.
  const store::Uuid mark{1, 2, 3, 4, 5, 6, 0x40, 8, 0x80, 10, 11, 12, 13, 14, 15, 16};
  const store::BoundValue values[] = {store::BoundValue::of_text(key.name), store::BoundValue::of_timestamp(key.hour),
                                      store::BoundValue::of_uuid(mark), store::BoundValue::of_timestamp(key.hour)};
  ASSERT_TRUE(session_->execute_many(rollups.mark_insert(), values, 1).failed.empty());
  rollups.store(key, store::HourSummary{1, 1, 1, 1}, store::micros_since_epoch(), key.hour);
  EXPECT_EQ(q1(table, query::RollupUse::when_complete, key.name, window), exact);
  // Without the mark the same rollup is used: the figures change (this test can fail).
  rollups.remove_marks(key, std::span(&mark, 1));
  EXPECT_NE(q1(table, query::RollupUse::when_complete, key.name, window), exact);
  rollups.recompute(key);
  EXPECT_EQ(q1(table, query::RollupUse::when_complete, key.name, window), exact);
}

TEST_F(HourlyRollups, SchemaRollupsBuildsThemFromTheRowsAlreadyThere) {
  const std::string table = "prefilled";
  const store::TableRef ref{keyspace_, table};
  store::apply_schema(*session_, ref, store::KeyspaceReplication{}, {store::BucketSize::hour});
  std::vector<KnownRow> known;
  for (int i = 0; i < 600; ++i) {
    known.push_back({kPeople[static_cast<std::size_t>(i) % 2], kStart + i * 1'234'567LL, "Film", i % 10 + 1,
                     i % 5 == 0
                         ? std::nullopt
                         : std::optional<KnownRow::Film>(KnownRow::Film{"s", "D", "C", "R", 1999, 90 + i % 13})});
  }
  insert_rows(*session_, ref, known, 1, {store::BucketSize::hour});
  EXPECT_FALSE(query::Questions(*session_, ref).uses_rollups());

  const auto made = rs_testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--table", table, "--rollups"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.out.find("hourly rollups of " + keyspace_ + "." + table + " are kept from now on ("),
            std::string::npos)
      << made.out;
  EXPECT_EQ(store::read_rollup_state(*session_, ref), store::RollupState::complete);

  for (const auto& name : {kPeople[0], kPeople[1]}) {
    const std::vector<std::string> args = {"avg-duration", "--name",           name,       "--from", "2024-01-01 03:30",
                                           "--to",         "2024-01-08 20:10", "--format", "csv",    "--table",
                                           table};
    const auto with_rollups = run_query(keyspace_, args);
    auto scan_args = args;
    scan_args.push_back("--no-rollups");
    const auto scan = run_query(keyspace_, scan_args);
    ASSERT_EQ(with_rollups.exit_code, 0) << with_rollups.err;
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    EXPECT_EQ(with_rollups.out, scan.out);
    EXPECT_GT(lines_of(scan.out).size(), 1u);
  }
  // Asked again: nothing to build.
  const auto again = rs_testing::run_ratingstream({"schema", "--keyspace", keyspace_, "--table", table, "--rollups"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.find("kept from now on"), std::string::npos) << again.out;
}

TEST(HourlyRollupsCql, SchemaPrintShowsTheRollupTablesAndALongTableNameIsRefused) {
  const auto printed = rs_testing::run_ratingstream({"schema", "--print", "--rollups", "--table", "ratings"});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("netflix.ratings_hourly ("), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("netflix.ratings_hourly_pending ("), std::string::npos) << printed.out;
  const auto refused =
      rs_testing::run_ratingstream({"schema", "--print", "--rollups", "--table", std::string(40, 'a')});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("too long for rollups"), std::string::npos) << refused.err;
}

}  // namespace
