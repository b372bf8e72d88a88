// store::Session against the real Cassandra (scripts/stack up): every supported type written with
// execute_many and read back through the pager, errors as values, paging past one page;
// execute_many cancelled or cut by its deadline (rows not sent are not written), unset values,
// doubles bound exactly, a statement without bind markers, the driver's node view and its log.

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "store/session.hpp"
#include "test_support.hpp"

using namespace ratingstream;
using namespace std::chrono_literals;
using store::BoundValue;
using store::ErrorKind;
using store::Timestamp;
using store::Uuid;
using store::Value;

namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    session_ = std::make_unique<store::Session>(store::Session::connect({}));
    session_->execute("CREATE KEYSPACE " + keyspace_ +
                      " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}");
    session_->await_schema_agreement();
  }
  void TearDown() override {
    if (session_) session_->execute("DROP KEYSPACE IF EXISTS " + keyspace_);
  }

  std::vector<std::vector<Value>> read_all(store::RowPager& pager) {
    std::vector<std::vector<Value>> rows;
    while (auto row = pager.next()) rows.push_back(std::move(*row));
    return rows;
  }

  std::string keyspace_ = ratingstream::testing::unique_name("it_store");
  std::unique_ptr<store::Session> session_;
};

// One row of the all-types table, as bound and as expected back.
struct TypedRow {
  std::int32_t id;
  std::optional<std::string> t;
  std::optional<std::int32_t> i;
  std::optional<std::int64_t> b;
  std::optional<Timestamp> ts;
  std::optional<Uuid> u;
  std::optional<double> d;
  std::optional<bool> f;
};

template <typename T, typename Make>
BoundValue bind(const std::optional<T>& v, Make make) {
  return v ? make(*v) : BoundValue::null();
}

template <typename T>
Value expected(const std::optional<T>& v) {
  return v ? Value(*v) : Value(std::monostate{});
}

Uuid uuid_of(std::uint8_t seed) {
  Uuid u{};
  for (std::size_t k = 0; k < u.size(); ++k) u[k] = static_cast<std::uint8_t>(seed * 17 + k);
  u[6] = static_cast<std::uint8_t>((u[6] & 0x0f) | 0x40);  // version 4
  u[8] = static_cast<std::uint8_t>((u[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return u;
}

// A value as text, for failure messages.
std::string describe(const Value& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(const std::string& s) const { return "text '" + s.substr(0, 40) + "'"; }
    std::string operator()(std::int32_t i) const { return "int " + std::to_string(i); }
    std::string operator()(std::int64_t i) const { return "bigint " + std::to_string(i); }
    std::string operator()(Timestamp t) const { return "timestamp " + std::to_string(t.millis); }
    std::string operator()(const Uuid& u) const {
      std::string out = "uuid ";
      for (auto b : u) out += std::to_string(b) + ".";
      return out;
    }
    std::string operator()(double d) const { return "double " + std::to_string(d); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
  };
  return std::visit(Visitor{}, v);
}

}  // namespace

TEST_F(StoreTest, EveryTypeRoundTripsThroughExecuteManyAndThePager) {
  const std::string table = keyspace_ + ".all_types";
  session_->execute("CREATE TABLE " + table +
                    " (id int PRIMARY KEY, t text, i int, b bigint, ts timestamp, u uuid, d double, f boolean)");

  const std::vector<TypedRow> rows = {
      {1, "plain", 42, 1234567890123LL, Timestamp{1741894010863}, uuid_of(1), 4.25, true},
      {2, "Ünïcødé, \"quotes\" and 'apostrophes' ☃", std::numeric_limits<std::int32_t>::min(),
       std::numeric_limits<std::int64_t>::max(), Timestamp{-86400000}, uuid_of(2), -1e300, false},
      {3, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt},
      {4, "", 0, std::numeric_limits<std::int64_t>::min(), Timestamp{0}, uuid_of(3),
       std::numeric_limits<double>::denorm_min(), std::nullopt},
      {5, std::string(70000, 'x'), std::numeric_limits<std::int32_t>::max(), -1, std::nullopt, uuid_of(4), 0.1, true},
  };

  auto insert =
      session_->prepare("INSERT INTO " + table + " (id, t, i, b, ts, u, d, f) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ASSERT_EQ(insert.column_count(), 8u);
  std::vector<BoundValue> values;
  for (const auto& r : rows) {
    values.push_back(BoundValue::of_int32(r.id));
    values.push_back(bind(r.t, [](const std::string& s) { return BoundValue::of_text(s); }));
    values.push_back(bind(r.i, BoundValue::of_int32));
    values.push_back(bind(r.b, BoundValue::of_int64));
    values.push_back(bind(r.ts, BoundValue::of_timestamp));
    values.push_back(bind(r.u, [](const Uuid& u) { return BoundValue::of_uuid(u); }));
    values.push_back(bind(r.d, BoundValue::of_double));
    values.push_back(bind(r.f, BoundValue::of_bool));
  }
  const auto outcome = session_->execute_many(insert, values, 4);
  EXPECT_EQ(outcome.succeeded, rows.size());
  for (const auto& failure : outcome.failed) ADD_FAILURE() << "row " << failure.row << ": " << failure.error.what();

  auto pager = session_->query("SELECT id, t, i, b, ts, u, d, f FROM " + table);
  const std::vector<store::Column> columns = {{"id", "int"},       {"t", "text"}, {"i", "int"},    {"b", "bigint"},
                                              {"ts", "timestamp"}, {"u", "uuid"}, {"d", "double"}, {"f", "boolean"}};
  ASSERT_EQ(pager.columns().size(), columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    EXPECT_EQ(pager.columns()[c].name, columns[c].name);
    EXPECT_EQ(pager.columns()[c].type, columns[c].type) << columns[c].name;
  }

  std::map<std::int32_t, std::vector<Value>> by_id;
  for (auto& row : read_all(pager)) {
    ASSERT_EQ(row.size(), columns.size());
    ASSERT_TRUE(std::holds_alternative<std::int32_t>(row[0]));
    by_id[std::get<std::int32_t>(row[0])] = std::move(row);
  }
  ASSERT_EQ(by_id.size(), rows.size());
  for (const auto& r : rows) {
    ASSERT_TRUE(by_id.contains(r.id)) << r.id;
    const auto& got = by_id[r.id];
    const std::vector<Value> want = {r.id,           expected(r.t), expected(r.i), expected(r.b),
                                     expected(r.ts), expected(r.u), expected(r.d), expected(r.f)};
    for (std::size_t c = 0; c < want.size(); ++c) {
      EXPECT_TRUE(got[c] == want[c]) << "row " << r.id << " column " << columns[c].name << ": got " << describe(got[c])
                                     << ", want " << describe(want[c]);
    }
  }
}

TEST_F(StoreTest, BoundValuesWorkWithUnpreparedStatementsToo) {
  const std::string table = keyspace_ + ".kv";
  session_->execute("CREATE TABLE " + table + " (k text PRIMARY KEY, v bigint)");
  const BoundValue put[] = {BoundValue::of_text("answer"), BoundValue::of_int64(42)};
  session_->execute("INSERT INTO " + table + " (k, v) VALUES (?, ?)", put);
  const BoundValue key[] = {BoundValue::of_text("answer")};
  auto pager = session_->query("SELECT v FROM " + table + " WHERE k = ?", key);
  const auto rows = read_all(pager);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0][0] == Value(std::int64_t{42}));
}

TEST_F(StoreTest, MissingKeyspaceIsAnInvalidQueryError) {
  const std::string missing = ratingstream::testing::unique_name("it_store_missing");
  const auto expect_invalid = [&](const char* what, const auto& call) {
    try {
      call();
      ADD_FAILURE() << what << ": no error";
    } catch (const store::Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::invalid_query) << what << ": " << e.what();
      EXPECT_EQ(e.code(), 0x2200) << what << ": " << e.what();
      EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << what << ": " << e.what();
      EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << what << ": " << e.what();
      EXPECT_FALSE(e.retryable());
    }
  };
  expect_invalid("execute", [&] { session_->execute("SELECT * FROM " + missing + ".t"); });
  expect_invalid("prepare", [&] { session_->prepare("INSERT INTO " + missing + ".t (a) VALUES (?)"); });
  expect_invalid("query", [&] { session_->query("SELECT * FROM " + missing + ".t"); });
  expect_invalid("connect", [&] {
    store::SessionConfig config;
    config.keyspace = missing;
    store::Session::connect(config);
  });
  // The session is still usable afterwards.
  auto pager = session_->query("SELECT release_version FROM system.local");
  EXPECT_EQ(read_all(pager).size(), 1u);
}

TEST_F(StoreTest, SyntaxErrorKeepsItsCode) {
  try {
    session_->execute("SELEKT nothing");
    FAIL() << "no error";
  } catch (const store::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_query) << e.what();
    EXPECT_EQ(e.code(), 0x2000) << e.what();
  }
}

TEST_F(StoreTest, ExecuteManyReportsEachFailedRowAndWritesTheRest) {
  const std::string table = keyspace_ + ".partial";
  session_->execute("CREATE TABLE " + table + " (id int PRIMARY KEY, small int)");
  auto insert = session_->prepare("INSERT INTO " + table + " (id, small) VALUES (?, ?)");
  const std::string bad_utf8 = "\xff\xfe";
  const std::vector<BoundValue> values = {
      BoundValue::of_int32(0), BoundValue::of_int32(10),
      BoundValue::of_int32(1), BoundValue::of_int64(std::int64_t{1} << 40),  // out of range for int
      BoundValue::of_int32(2), BoundValue::of_int32(12),
      BoundValue::of_int32(3), BoundValue::of_text(bad_utf8),  // text into an int
      BoundValue::null(),      BoundValue::of_int32(14),       // null primary key
      BoundValue::of_int32(5), BoundValue::null(),
  };
  const auto outcome = session_->execute_many(insert, values, 2);
  EXPECT_EQ(outcome.succeeded, 3u);
  ASSERT_EQ(outcome.failed.size(), 3u);
  EXPECT_EQ(outcome.failed[0].row, 1u);
  EXPECT_EQ(outcome.failed[0].error.kind(), ErrorKind::invalid_query);
  EXPECT_NE(std::string(outcome.failed[0].error.what()).find("out of range"), std::string::npos)
      << outcome.failed[0].error.what();
  EXPECT_EQ(outcome.failed[1].row, 3u);
  EXPECT_EQ(outcome.failed[1].error.kind(), ErrorKind::invalid_query);
  EXPECT_EQ(outcome.failed[2].row, 4u);
  EXPECT_EQ(outcome.failed[2].error.kind(), ErrorKind::invalid_query) << outcome.failed[2].error.what();
  EXPECT_EQ(outcome.failed[2].error.code(), 0x2200) << outcome.failed[2].error.what();

  auto pager = session_->query("SELECT id FROM " + table);
  std::set<std::int32_t> ids;
  for (const auto& row : read_all(pager)) ids.insert(std::get<std::int32_t>(row[0]));
  EXPECT_EQ(ids, (std::set<std::int32_t>{0, 2, 5}));

  // A value count that is not whole rows is the caller's mistake, reported as such.
  const std::vector<BoundValue> ragged = {BoundValue::of_int32(1)};
  EXPECT_THROW(session_->execute_many(insert, ragged, 2), store::Error);
}

TEST_F(StoreTest, BatchesWriteTheirRowsAndAFailedBatchFailsEachOfItsRows) {
  const std::string table = keyspace_ + ".batched";
  session_->execute("CREATE TABLE " + table + " (p int, c int, small int, PRIMARY KEY (p, c))");
  auto insert = session_->prepare("INSERT INTO " + table + " (p, c, small) VALUES (?, ?, ?)");
  // Rows 0-2 (partition 1) one batch, row 3 alone, rows 4-5 (partition 2) a batch with a value
  // out of range for int, rows 6-8 (partition 3) a batch.
  std::vector<BoundValue> values;
  for (std::int32_t row = 0; row < 9; ++row) {
    const std::int32_t partition = row < 3 ? 1 : row == 3 ? 0 : row < 6 ? 2 : 3;
    values.push_back(BoundValue::of_int32(partition));
    values.push_back(BoundValue::of_int32(row));
    values.push_back(row == 5 ? BoundValue::of_int64(std::int64_t{1} << 40) : BoundValue::of_int32(row * 10));
  }
  const std::vector<std::size_t> batch_ends = {3, 4, 6, 9};
  const auto outcome = session_->execute_many(insert, values, 2, batch_ends);
  EXPECT_EQ(outcome.succeeded, 7u);
  ASSERT_EQ(outcome.failed.size(), 2u);
  EXPECT_EQ(outcome.failed[0].row, 4u);
  EXPECT_EQ(outcome.failed[1].row, 5u);
  for (const auto& failure : outcome.failed) {
    EXPECT_EQ(failure.error.kind(), ErrorKind::invalid_query) << failure.error.what();
    EXPECT_NE(std::string(failure.error.what()).find("out of range"), std::string::npos) << failure.error.what();
  }

  auto pager = session_->query("SELECT c, small FROM " + table);
  std::map<std::int32_t, std::int32_t> written;
  for (const auto& row : read_all(pager)) written[std::get<std::int32_t>(row[0])] = std::get<std::int32_t>(row[1]);
  EXPECT_EQ(written,
            (std::map<std::int32_t, std::int32_t>{{0, 0}, {1, 10}, {2, 20}, {3, 30}, {6, 60}, {7, 70}, {8, 80}}));

  // Ends that do not rise strictly to the row count are the caller's mistake.
  for (const std::vector<std::size_t>& bad : {std::vector<std::size_t>{3, 3, 9}, {4, 8}, {5, 10}}) {
    EXPECT_THROW(session_->execute_many(insert, values, 2, bad), store::Error);
  }
}

TEST_F(StoreTest, PagingReturnsEveryRowPastThePageSize) {
  constexpr std::int32_t kRows = 12000;
  const std::string table = keyspace_ + ".many";
  session_->execute("CREATE TABLE " + table + " (p int, c int, v text, PRIMARY KEY (p, c))");
  auto insert = session_->prepare("INSERT INTO " + table + " (p, c, v) VALUES (?, ?, ?)");
  const std::string payload = "value";
  std::vector<BoundValue> values;
  values.reserve(kRows * 3);
  for (std::int32_t c = 0; c < kRows; ++c) {
    values.push_back(BoundValue::of_int32(c % 3));
    values.push_back(BoundValue::of_int32(c));
    values.push_back(BoundValue::of_text(payload));
  }
  const auto outcome = session_->execute_many(insert, values, 128);
  ASSERT_EQ(outcome.succeeded, static_cast<std::size_t>(kRows));
  ASSERT_TRUE(outcome.failed.empty()) << outcome.failed.front().error.what();

  // The whole table (three partitions), unprepared.
  auto all = session_->query("SELECT c FROM " + table, {}, 5000);
  std::set<std::int32_t> seen;
  std::size_t count = 0;
  while (auto row = all.next()) {
    seen.insert(std::get<std::int32_t>((*row)[0]));
    ++count;
  }
  EXPECT_EQ(count, static_cast<std::size_t>(kRows));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kRows));
  EXPECT_FALSE(all.next().has_value());  // stays finished

  // One partition of 4,000 rows through a prepared statement with a bound value, page size 1,000.
  auto select = session_->prepare("SELECT c, v FROM " + table + " WHERE p = ?");
  const BoundValue partition[] = {BoundValue::of_int32(1)};
  auto one = session_->query(select, partition, 1000);
  std::int32_t expected_c = 1;
  std::size_t in_partition = 0;
  while (auto row = one.next()) {
    EXPECT_TRUE((*row)[0] == Value(expected_c));
    EXPECT_TRUE((*row)[1] == Value(payload));
    expected_c += 3;
    ++in_partition;
  }
  EXPECT_EQ(in_partition, static_cast<std::size_t>(kRows / 3));
}

TEST_F(StoreTest, PagerOutlivesItsSession) {
  const std::string table = keyspace_ + ".outlive";
  session_->execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
  auto insert = session_->prepare("INSERT INTO " + table + " (id) VALUES (?)");
  std::vector<BoundValue> ids;
  for (std::int32_t i = 0; i < 50; ++i) ids.push_back(BoundValue::of_int32(i));
  ASSERT_EQ(session_->execute_many(insert, ids, 8).succeeded, 50u);

  auto other = store::Session::connect({});
  auto pager = other.query("SELECT id FROM " + table, {}, 10);
  { auto gone = std::move(other); }  // the session closes; the pager keeps what it needs
  EXPECT_EQ(read_all(pager).size(), 50u);
}

TEST_F(StoreTest, SessionWithAKeyspaceResolvesUnqualifiedNames) {
  session_->execute("CREATE TABLE " + keyspace_ + ".plain (id int PRIMARY KEY, name text)");
  store::SessionConfig config;
  config.keyspace = keyspace_;
  auto scoped = store::Session::connect(config);
  const BoundValue row[] = {BoundValue::of_int32(7), BoundValue::of_text("seven")};
  scoped.execute("INSERT INTO plain (id, name) VALUES (?, ?)", row);
  auto pager = scoped.query("SELECT name FROM plain WHERE id = 7");
  const auto rows = read_all(pager);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0][0] == Value(std::string("seven")));
}

namespace {

// The ids of `table`'s rows (an int column `id`).
std::set<std::int32_t> ids_in(store::Session& session, const std::string& table) {
  std::set<std::int32_t> out;
  auto pager = session.query("SELECT id FROM " + table);
  while (auto row = pager.next()) out.insert(std::get<std::int32_t>((*row)[0]));
  return out;
}

std::vector<BoundValue> numbered_rows(std::int32_t count) {
  std::vector<BoundValue> values;
  for (std::int32_t i = 0; i < count; ++i) {
    values.push_back(BoundValue::of_int32(i));
    values.push_back(BoundValue::of_int32(i * 10));
  }
  return values;
}

}  // namespace

TEST_F(StoreTest, ACancelledCallSendsNothingAndSaysSo) {
  const std::string table = keyspace_ + ".cancelled";
  session_->execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v int)");
  auto insert = session_->prepare("INSERT INTO " + table + " (id, v) VALUES (?, ?)", store::Idempotence::idempotent);
  const std::atomic<bool> cancel{true};
  const auto values = numbered_rows(50);
  const auto outcome = session_->execute_many(insert, values, 4, {}, {.cancel = &cancel});
  EXPECT_EQ(outcome.succeeded, 0u);
  ASSERT_EQ(outcome.failed.size(), 50u);
  for (const auto& failure : outcome.failed) {
    EXPECT_EQ(failure.error.kind(), ErrorKind::not_started) << failure.error.what();
    EXPECT_TRUE(failure.error.retryable());
    EXPECT_FALSE(failure.error.may_have_been_applied());
  }
  EXPECT_NE(std::string(outcome.failed[0].error.what()).find("cancelled"), std::string::npos)
      << outcome.failed[0].error.what();
  EXPECT_TRUE(ids_in(*session_, table).empty());
}

TEST_F(StoreTest, ADeadlineEndsTheCallAndRowsNotSentAreNotWritten) {
  const std::string table = keyspace_ + ".deadline";
  session_->execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v int)");
  auto insert = session_->prepare("INSERT INTO " + table + " (id, v) VALUES (?, ?)", store::Idempotence::idempotent);
  // One at a time: 20,000 writes take seconds, far past a 200 ms deadline.
  const auto values = numbered_rows(20'000);
  const auto began = std::chrono::steady_clock::now();
  const auto outcome = session_->execute_many(insert, values, 1, {}, {.deadline = 200ms});
  const auto took = std::chrono::steady_clock::now() - began;
  EXPECT_LT(took, 2s);
  ASSERT_FALSE(outcome.failed.empty());
  std::set<std::int32_t> not_started, abandoned;
  for (const auto& failure : outcome.failed) {
    const auto id = static_cast<std::int32_t>(failure.row);
    if (failure.error.kind() == ErrorKind::not_started) {
      not_started.insert(id);
    } else {
      EXPECT_EQ(failure.error.kind(), ErrorKind::abandoned) << failure.error.what();
      abandoned.insert(id);
    }
  }
  EXPECT_LE(abandoned.size(), 1u);  // one in flight at most
  EXPECT_GT(not_started.size(), 10'000u);
  EXPECT_NE(std::string(outcome.failed.back().error.what()).find("deadline of 200 ms"), std::string::npos)
      << outcome.failed.back().error.what();
  const auto written = ids_in(*session_, table);
  EXPECT_GE(written.size(), outcome.succeeded);
  EXPECT_LE(written.size(), outcome.succeeded + abandoned.size());
  for (const auto id : not_started) ASSERT_EQ(written.count(id), 0u) << "row " << id << " was not sent";
}

TEST_F(StoreTest, AStatementWithoutBindMarkersIsRefused) {
  const std::string table = keyspace_ + ".fixed";
  session_->execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v int)");
  auto insert = session_->prepare("INSERT INTO " + table + " (id, v) VALUES (1, 1)");
  try {
    session_->execute_many(insert, {}, 2);
    FAIL() << "no error";
  } catch (const store::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_query);
    EXPECT_NE(std::string(e.what()).find("no bind markers"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(ids_in(*session_, table).empty());
}

// An unset value leaves what is there; a null deletes it. Sound without reading sstables: a
// later write of the same row that leaves the column unset must not touch the earlier value.
TEST_F(StoreTest, UnsetLeavesAColumnAsItIsWhereNullDeletesIt) {
  const std::string table = keyspace_ + ".unset";
  session_->execute("CREATE TABLE " + table + " (id int PRIMARY KEY, director text, duration int, other text)");
  auto insert = session_->prepare("INSERT INTO " + table + " (id, director, duration, other) VALUES (?, ?, ?, ?)",
                                  store::Idempotence::idempotent);
  const std::vector<BoundValue> first = {BoundValue::of_int32(1),   BoundValue::of_text("Ines Valcourt"),
                                         BoundValue::of_int32(88),  BoundValue::of_text("a"),
                                         BoundValue::of_int32(2),   BoundValue::of_text("Tobias Ferrand"),
                                         BoundValue::of_int32(117), BoundValue::of_text("b")};
  ASSERT_TRUE(session_->execute_many(insert, first, 2).failed.empty());
  const std::vector<BoundValue> again = {BoundValue::of_int32(1),   BoundValue::unset(),      BoundValue::unset(),
                                         BoundValue::of_text("a2"), BoundValue::of_int32(2),  BoundValue::null(),
                                         BoundValue::null(),        BoundValue::of_text("b2")};
  // Also inside a batch.
  const std::vector<std::size_t> one_batch = {2};
  const auto outcome = session_->execute_many(insert, again, 2, one_batch);
  ASSERT_TRUE(outcome.failed.empty()) << outcome.failed[0].error.what();
  auto pager = session_->query("SELECT id, director, duration, other, writetime(director) FROM " + table);
  std::map<std::int32_t, std::vector<Value>> rows;
  while (auto row = pager.next()) rows[std::get<std::int32_t>((*row)[0])] = *row;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][1], Value(std::string("Ines Valcourt")));  // unset: kept
  EXPECT_EQ(rows[1][2], Value(std::int32_t{88}));
  EXPECT_EQ(rows[1][3], Value(std::string("a2")));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[2][1]));  // null: deleted
  EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[2][2]));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[2][4]));
}

TEST_F(StoreTest, DoublesBindExactlyAndAFloatColumnRefusesWhatItCannotHold) {
  const std::string table = keyspace_ + ".numbers";
  session_->execute("CREATE TABLE " + table + " (id int PRIMARY KEY, d double, f float)");
  auto insert = session_->prepare("INSERT INTO " + table + " (id, d, f) VALUES (?, ?, ?)");
  const double precise = 0.1 + std::ldexp(1.0, -40);  // not a float
  const std::vector<BoundValue> values = {BoundValue::of_int32(1),    BoundValue::of_double(precise),
                                          BoundValue::of_double(0.5), BoundValue::of_int32(2),
                                          BoundValue::of_double(1.0), BoundValue::of_double(1e300)};
  const auto outcome = session_->execute_many(insert, values, 2);
  ASSERT_EQ(outcome.failed.size(), 1u);
  EXPECT_EQ(outcome.failed[0].row, 1u);
  EXPECT_EQ(outcome.failed[0].error.kind(), ErrorKind::invalid_query);
  EXPECT_NE(std::string(outcome.failed[0].error.what()).find("cannot be stored in a float column"), std::string::npos)
      << outcome.failed[0].error.what();
  auto pager = session_->query("SELECT d, f FROM " + table + " WHERE id = 1");
  const auto row = pager.next();
  ASSERT_TRUE(row);
  EXPECT_EQ(std::get<double>((*row)[0]), precise);  // every bit
  EXPECT_EQ(std::get<double>((*row)[1]), 0.5);
}

TEST_F(StoreTest, NodesListTheSingleNodeConnected) {
  const auto nodes = session_->nodes();
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0].address, "127.0.0.1:9042");
  EXPECT_FALSE(nodes[0].datacenter.empty());
  EXPECT_FALSE(nodes[0].rack.empty());
  // The pool opens its connections in the background after connect.
  EXPECT_TRUE(ratingstream::testing::eventually([&] { return session_->nodes().at(0).connected; }, 10s, 20ms));
}

TEST_F(StoreTest, AMetadataKeyspaceIsTheOnlyOneTheDriverReadsEvenBeforeItExists) {
  // Without one, the driver reads every keyspace's metadata: the system ones and every other
  // test's too.
  EXPECT_GE(session_->keyspaces_known(), 5u);

  const std::string later = ratingstream::testing::unique_name("it_store_later");
  store::SessionConfig config;
  config.metadata_keyspace = later;
  auto narrow = store::Session::connect(config);
  EXPECT_EQ(narrow.keyspaces_known(), 0u);
  // Created through the session after connect, as a processor's first start does: the driver
  // reads it once the schema agrees, so routing is token-aware for it from the first write.
  // (One created by another client is read at the driver's next periodic refresh, within 60 s.)
  narrow.execute("CREATE KEYSPACE " + later +
                 " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}");
  const auto known = narrow.keyspaces_known();
  narrow.execute("DROP KEYSPACE IF EXISTS " + later);
  EXPECT_EQ(known, 1u);
}

// The driver's log reaches spdlog: a contact point that refuses connections beside the live one
// is a warning naming it (the driver tries contact points in a random order: several dead ones,
// and a few connects, make a try of the dead one first all but certain).
TEST(StoreDriverLog, ADeadContactPointBesideALiveOneIsAWarningLine) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto logger = std::make_shared<spdlog::logger>("driver_log_test", sink);
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::info);
  store::SessionConfig config;
  config.contact_points = {"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3", "127.0.0.1:4", "127.0.0.1:9042"};
  bool warned = false;
  for (int attempt = 0; attempt < 10 && !warned; ++attempt) {
    auto session = store::Session::connect(config);
    logger->flush();
    warned = captured.str().find("Cassandra driver: Failed to establish control connection") != std::string::npos;
  }
  spdlog::set_default_logger(previous);
  EXPECT_TRUE(warned) << captured.str();
  EXPECT_NE(captured.str().find("127.0.0.1:"), std::string::npos) << captured.str();
  EXPECT_EQ(captured.str().find("[debug]"), std::string::npos) << captured.str();
}

// A failed connect says what is wrong in its error alone: the driver's lines about it are not
// logged as well.
TEST(StoreDriverLog, AFailedConnectLogsNoDriverLines) {
  std::ostringstream captured;
  auto logger = std::make_shared<spdlog::logger>("driver_log_test_failed",
                                                 std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(logger);
  store::SessionConfig config;
  config.contact_points = {"127.0.0.1:1"};
  EXPECT_THROW(store::Session::connect(config), store::Error);
  logger->flush();
  spdlog::set_default_logger(previous);
  EXPECT_EQ(captured.str().find("Cassandra driver"), std::string::npos) << captured.str();
}
