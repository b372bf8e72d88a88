// store::Session against the real Cassandra (scripts/stack up): every supported type written with
// execute_many and read back through the pager, errors as values, paging past one page.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/session.hpp"
#include "test_support.hpp"

using namespace ratingstream;
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
      {5, std::string(70000, 'x'), std::numeric_limits<std::int32_t>::max(), -1, std::nullopt, uuid_of(4),
       0.1, true},
  };

  auto insert = session_->prepare("INSERT INTO " + table + " (id, t, i, b, ts, u, d, f) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
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
  const std::vector<store::Column> columns = {{"id", "int"},      {"t", "text"},      {"i", "int"},
                                              {"b", "bigint"},    {"ts", "timestamp"}, {"u", "uuid"},
                                              {"d", "double"},    {"f", "boolean"}};
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
    const std::vector<Value> want = {r.id,        expected(r.t), expected(r.i), expected(r.b),
                                     expected(r.ts), expected(r.u), expected(r.d), expected(r.f)};
    for (std::size_t c = 0; c < want.size(); ++c) {
      EXPECT_TRUE(got[c] == want[c]) << "row " << r.id << " column " << columns[c].name << ": got "
                                     << describe(got[c]) << ", want " << describe(want[c]);
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
      BoundValue::of_int32(3), BoundValue::of_text(bad_utf8),                // text into an int
      BoundValue::null(),      BoundValue::of_int32(14),                     // null primary key
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
  EXPECT_EQ(written, (std::map<std::int32_t, std::int32_t>{{0, 0}, {1, 10}, {2, 20}, {3, 30}, {6, 60}, {7, 70}, {8, 80}}));

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
