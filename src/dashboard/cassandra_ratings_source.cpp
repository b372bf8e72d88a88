#include "dashboard/cassandra_ratings_source.hpp"

#include <fmt/format.h>

#include "common/errors.hpp"
#include "query/questions.hpp"

namespace ratingstream::dashboard {
namespace {

// Small pages: the overview stops reading a person's partition early, so most of a large page
// would be fetched for nothing.
constexpr int kPageSize = 200;

std::string qualified(const store::TableRef& table) {
  return store::quote_identifier(table.keyspace) + "." + store::quote_identifier(table.table);
}

// Collects Q2's rows up to a limit, then stops the read by throwing: the pager then fetches no
// further page.
class LimitedCollector final : public query::ResultWriter {
 public:
  struct Full {};
  explicit LimitedCollector(std::size_t limit) : limit_(limit) {}
  void begin(const std::vector<std::string>& columns) override { table.columns = columns; }
  void row(const std::vector<query::Cell>& cells) override {
    if (table.rows.size() == limit_) throw Full{};
    table.rows.push_back(cells);
  }
  void end() override {}
  query::ResultTable table;

 private:
  std::size_t limit_;
};

// The overview's reads name only the person, which a bucketed table's partition key does not
// suffice for: such a table is refused with a clear answer rather than a CQL error.
store::Session refuse_bucketed(store::Session session, const store::TableRef& table) {
  const auto layout = store::detect_table_layout(session, table);
  if (layout.bucketed()) {
    throw RuntimeFailure(fmt::format(
        "table {} is {}: the dashboard reads tables of the original layout only so far (docs/data-over-time.md); "
        "ask it with `ratingstream query`",
        store::qualified_name(table, store::NameQuoting::as_given), layout.describe()));
  }
  return session;
}

}  // namespace

struct CassandraRatingsSource::Connection {
  store::Session session;
  store::PreparedStatement people;
  store::PreparedStatement recent;
  store::PreparedStatement exists;
  query::Questions questions;

  Connection(store::Session s, const store::TableRef& table)
      : session(refuse_bucketed(std::move(s), table)),
        people(session.prepare(fmt::format("SELECT DISTINCT name FROM {} LIMIT ?", qualified(table)),
                               store::Idempotence::idempotent)),
        recent(session.prepare(
            fmt::format("SELECT timestamp, movie, rating_movie FROM {} WHERE name = ? LIMIT ?", qualified(table)),
            store::Idempotence::idempotent)),
        exists(session.prepare(fmt::format("SELECT name FROM {} WHERE name = ? LIMIT 1", qualified(table)),
                               store::Idempotence::idempotent)),
        questions(session, table, kPageSize) {}
};

CassandraRatingsSource::CassandraRatingsSource(store::SessionConfig config, store::TableRef table)
    : config_(std::move(config)), table_(std::move(table)) {}

CassandraRatingsSource::~CassandraRatingsSource() = default;

CassandraRatingsSource::Connection& CassandraRatingsSource::connection() {
  std::lock_guard lock(connect_mutex_);
  if (!connection_) connection_ = std::make_unique<Connection>(store::Session::connect(config_), table_);
  return *connection_;
}

std::vector<std::string> CassandraRatingsSource::people(std::size_t limit) {
  auto& c = connection();
  const store::BoundValue values[] = {store::BoundValue::of_int32(static_cast<std::int32_t>(limit))};
  auto pager = c.session.query(c.people, values, kPageSize);
  std::vector<std::string> names;
  while (auto row = pager.next()) {
    if (auto* name = std::get_if<std::string>(&row->at(0))) names.push_back(std::move(*name));
  }
  return names;
}

std::vector<PersonRating> CassandraRatingsSource::recent(const std::string& name, store::Timestamp since,
                                                         std::size_t at_least, std::size_t at_most) {
  auto& c = connection();
  const store::BoundValue values[] = {store::BoundValue::of_text(name),
                                      store::BoundValue::of_int32(static_cast<std::int32_t>(at_most))};
  auto pager = c.session.query(c.recent, values, kPageSize);
  std::vector<PersonRating> ratings;
  while (auto row = pager.next()) {
    PersonRating r;
    if (const auto* at = std::get_if<store::Timestamp>(&row->at(0))) r.at = *at;
    if (auto* movie = std::get_if<std::string>(&row->at(1))) r.movie = std::move(*movie);
    if (const auto* rating = std::get_if<std::int32_t>(&row->at(2))) r.rating = *rating;
    // Newest first: once past `since` with enough rows, the rest is older still.
    if (r.at.millis < since.millis && ratings.size() >= at_least) break;
    ratings.push_back(std::move(r));
  }
  return ratings;
}

bool CassandraRatingsSource::has_ratings(const std::string& name) {
  auto& c = connection();
  const store::BoundValue values[] = {store::BoundValue::of_text(name)};
  auto pager = c.session.query(c.exists, values, 1);
  return pager.next().has_value();
}

query::DurationAverage CassandraRatingsSource::average_duration(const std::string& name,
                                                                const query::TimeWindow& window) {
  return connection().questions.average_duration(name, window);
}

query::ResultTable CassandraRatingsSource::movies(const std::string& name, const query::TimeWindow& window,
                                                  std::size_t limit, bool& more) {
  LimitedCollector collector(limit);
  more = false;
  try {
    connection().questions.movies(name, window, collector);
  } catch (const LimitedCollector::Full&) {
    more = true;
  }
  return std::move(collector.table);
}

}  // namespace ratingstream::dashboard
