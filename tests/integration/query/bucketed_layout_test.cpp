// The bucketed layout against the real Cassandra (scripts/stack up): the same records written to
// a table of the original layout and to tables bucketed by hour, day, week and month; every
// question must answer the same from each, for random windows across bucket edges (month ends,
// 29 February, ISO weeks across the new year) and in zones far from UTC.

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "common/errors.hpp"
#include "query/output.hpp"
#include "query/questions.hpp"
#include "query_fixture.hpp"
#include "rating/time_zone.hpp"

using namespace ratingstream;
using namespace ratingstream::query_test;

namespace {

const std::vector<std::string> kPeople = {"Ann Example", "Bo Sample", "Zoë Ångström"};
constexpr int kRows = 4000;

struct LayoutTable {
  std::string table;
  store::TableLayout layout;
};

const std::vector<LayoutTable>& tables() {
  static const std::vector<LayoutTable> all = {
      {"original", {}},
      {"by_hour", {store::BucketSize::hour}},
      {"by_day", {store::BucketSize::day}},
      {"by_week", {store::BucketSize::week}},
      {"by_month", {store::BucketSize::month}},
  };
  return all;
}

// From 2023-12-20 to 2024-03-10: the new year (ISO week 1 of 2024 starts on 1 January), month
// ends and 29 February.
const std::int64_t kStart = utc_ms(2023, 12, 20);
const std::int64_t kEnd = utc_ms(2024, 3, 10);

class BucketedLayout : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    session_ = std::make_unique<store::Session>(store::Session::connect({}));
    std::mt19937_64 random(21);
    std::uniform_int_distribution<std::int64_t> when(kStart, kEnd - 1);
    std::vector<KnownRow> rows;
    for (int i = 0; i < kRows; ++i) {
      KnownRow r{kPeople[static_cast<std::size_t>(i) % kPeople.size()], when(random), "Film " + std::to_string(i % 97),
                 i % 10 + 1, std::nullopt};
      // Rows at the very first and last millisecond of some buckets.
      if (i % 50 == 0) r.timestamp_ms = utc_ms(2024, 1 + static_cast<unsigned>(i / 50 % 2), 1);
      if (i % 50 == 1) r.timestamp_ms = utc_ms(2024, 3, 1) - 1;
      if (i % 7 != 0) r.film = KnownRow::Film{"s" + std::to_string(i), "D", "C", "R", 2000, i % 180 + 1};
      rows.push_back(std::move(r));
    }
    for (const auto& t : tables()) {
      const store::TableRef ref{keyspace_, t.table};
      const auto layout = store::apply_schema(*session_, ref, store::KeyspaceReplication{}, t.layout);
      ASSERT_EQ(layout, t.layout) << t.table;
      insert_rows(*session_, ref, rows, 1, t.layout);
    }
  }

  static void TearDownTestSuite() {
    if (session_) session_->execute("DROP KEYSPACE IF EXISTS " + keyspace_);
    session_.reset();
  }

  // A question's whole output as JSON text, asked of `table`.
  static std::string ask(const std::string& table, const std::string& question, const std::string& name,
                         const query::TimeWindow& window) {
    query::Questions questions(*session_, {keyspace_, table}, 100);  // small pages: many per bucket
    std::ostringstream out;
    const auto writer = query::make_writer(query::Format::json, out, rating::TimeZone::utc());
    if (question == "avg-duration") {
      const auto average = questions.average_duration(name, window);
      const auto result = query::average_duration_result(name, window, average);
      writer->begin(result.columns);
      for (const auto& row : result.rows) writer->row(row);
      writer->end();
    } else if (question == "movies") {
      questions.movies(name, window, *writer);
    } else {
      questions.ratings(name, window, *writer);
    }
    return out.str();
  }

  static inline std::unique_ptr<store::Session> session_;
  static inline std::string keyspace_ = rs_testing::unique_name("it_bucketed");
};

TEST_F(BucketedLayout, TheTablesSayTheirLayoutAndAskingForAnotherIsRefused) {
  for (const auto& t : tables()) {
    EXPECT_EQ(store::read_table_layout(*session_, {keyspace_, t.table}), t.layout) << t.table;
  }
  const auto existing = store::apply_schema(*session_, {keyspace_, "by_day"}, store::KeyspaceReplication{},
                                            store::TableLayout{store::BucketSize::hour});
  EXPECT_EQ(existing, store::TableLayout{store::BucketSize::day});
  EXPECT_THROW(store::check_layout_is({keyspace_, "by_day"}, existing, store::TableLayout{store::BucketSize::hour}),
               InputError);
}

TEST_F(BucketedLayout, EveryQuestionAnswersTheSameInEveryLayoutForRandomWindows) {
  std::mt19937_64 random(5);
  std::uniform_int_distribution<std::int64_t> when(kStart - 86'400'000, kEnd + 86'400'000);
  // Windows of a few minutes up to a few weeks, and some exactly on whole buckets.
  std::uniform_int_distribution<std::int64_t> length(60'000, 21LL * 86'400'000);
  int compared = 0;
  for (int w = 0; w < 24; ++w) {
    std::int64_t from = when(random);
    std::int64_t to = from + length(random);
    if (w % 4 == 0) {
      from = utc_ms(2024, 2, 1);
      to = utc_ms(2024, 3, 1) + (w % 8 == 0 ? 0 : 1);
    }
    const query::TimeWindow window{store::Timestamp{from}, store::Timestamp{to}};
    const std::string& name = kPeople[static_cast<std::size_t>(w) % kPeople.size()];
    for (const std::string question : {"avg-duration", "movies", "ratings"}) {
      const std::string expected = ask("original", question, name, window);
      for (const auto& t : tables()) {
        if (!t.layout.bucketed()) continue;
        ASSERT_EQ(ask(t.table, question, name, window), expected)
            << question << " of " << name << " in " << t.table << " from " << from << " to " << to;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 24 * 3 * 4);
}

// The command line reads the layout from the table: no flag, and the same output in any zone.
TEST_F(BucketedLayout, TheCommandLineAnswersTheSameFromABucketedTableInZonesFarFromUtc) {
  for (const char* zone : {"Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"}) {
    for (const std::string question : {"avg-duration", "movies", "ratings"}) {
      std::vector<std::string> args = {question,           "--name", kPeople[0], "--from",   "2024-02-28", "--to",
                                       "2024-03-02 12:00", "--tz",   zone,       "--format", "csv"};
      args.insert(args.end(), {"--table", "original"});
      const auto original = run_query(keyspace_, args);
      ASSERT_EQ(original.exit_code, 0) << original.err;
      ASSERT_GT(lines_of(original.out).size(), question == "avg-duration" ? 1u : 5u) << original.out;
      for (const char* table : {"by_hour", "by_day", "by_month"}) {
        args[args.size() - 1] = table;
        const auto bucketed = run_query(keyspace_, args);
        EXPECT_EQ(bucketed.exit_code, 0) << bucketed.err;
        EXPECT_EQ(bucketed.err, "");
        EXPECT_EQ(bucketed.out, original.out) << question << " in " << zone << " from " << table;
      }
    }
  }
}

}  // namespace
