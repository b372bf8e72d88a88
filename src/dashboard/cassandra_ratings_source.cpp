#include "dashboard/cassandra_ratings_source.hpp"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <set>

#include "common/clock.hpp"
#include "query/questions.hpp"
#include "query/window_rows.hpp"
#include "store/people_index.hpp"

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

// How far back the overview looks for a person's ratings in a bucketed table, whose partitions
// cannot be found by the name alone (docs/data-over-time.md, "The dashboard").
constexpr std::chrono::hours kBucketedLookBack{400 * 24};
// Partition keys (name, bucket) read at most to list the people of a bucketed table.
constexpr std::size_t kMaxPartitionsScanned = 20'000;

// The window a bucketed table's overview reads: the look-back before `newest` (the end of the
// person's latest bucket, or now), to `ahead` after it.
query::TimeWindow look_back_window(store::Timestamp newest, std::chrono::hours ahead) {
  using std::chrono::milliseconds;
  return {store::Timestamp{newest.millis - std::chrono::duration_cast<milliseconds>(kBucketedLookBack).count()},
          store::Timestamp{newest.millis + std::chrono::duration_cast<milliseconds>(ahead).count()}};
}

}  // namespace

struct CassandraRatingsSource::Connection {
  store::Session session;
  store::TableLayout layout;
  store::PreparedStatement people;
  store::PreparedStatement recent;  // original layout: the person's newest rows; bucketed: of one bucket
  query::Questions questions;
  // A bucketed table's complete people index (docs/data-over-time.md, "The people index").
  std::optional<store::PeopleIndex> index;

  Connection(store::Session s, const store::TableRef& table)
      : session(std::move(s)),
        layout(store::detect_table_layout(session, table)),
        people(session.prepare(layout.bucketed()
                                   ? fmt::format("SELECT DISTINCT name, bucket FROM {}", qualified(table))
                                   : fmt::format("SELECT DISTINCT name FROM {} LIMIT ?", qualified(table)),
                               store::Idempotence::idempotent)),
        recent(session.prepare(
            layout.bucketed()
                ? fmt::format("SELECT timestamp, movie, rating_movie FROM {} WHERE name = ? AND bucket = ? AND "
                              "timestamp >= ? AND timestamp < ?",
                              qualified(table))
                : fmt::format("SELECT timestamp, movie, rating_movie FROM {} WHERE name = ? LIMIT ?", qualified(table)),
            store::Idempotence::idempotent)),
        questions(session, table, kPageSize) {
    if (layout.bucketed() && store::read_people_index_state(session, table) == store::DerivedTableState::complete) {
      index.emplace(session, table, layout, std::nullopt);
    }
  }

  // The person's rows newest first: of the whole partition (original layout), or of the buckets
  // of the look-back window (bucketed), which ends with the bucket of the newest when the people
  // index says it.
  template <class OnRow>
  void newest_first(const std::string& name, std::size_t at_most, OnRow&& on_row) {
    if (!layout.bucketed()) {
      const store::BoundValue values[] = {store::BoundValue::of_text(name),
                                          store::BoundValue::of_int32(static_cast<std::int32_t>(at_most))};
      auto pager = session.query(recent, values, kPageSize);
      while (auto row = pager.next()) {
        if (!on_row(*row)) return;
      }
      return;
    }
    // Without an index: back from now, and a day ahead (ratings dated a little in the future).
    query::TimeWindow window =
        look_back_window(store::Timestamp{millis_since_epoch(real_clock().wall_now())}, std::chrono::hours{24});
    if (index) {
      const auto latest = index->latest_bucket(name);
      if (!latest) return;
      window = look_back_window(store::next_bucket_start(*layout.bucket, *latest), std::chrono::hours{0});
    }
    query::WindowRows rows(layout, window, [this, &name](const query::WindowPart& part) {
      const store::BoundValue values[] = {
          store::BoundValue::of_text(name), store::BoundValue::of_timestamp(*part.bucket),
          store::BoundValue::of_timestamp(part.window.from), store::BoundValue::of_timestamp(part.window.to)};
      return session.query(recent, values, kPageSize);
    });
    std::size_t seen = 0;
    while (auto row = rows.next()) {
      if (!on_row(*row) || ++seen == at_most) return;
    }
  }
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
  std::vector<std::string> names;
  if (c.index) return c.index->names(limit);
  if (!c.layout.bucketed()) {
    const store::BoundValue values[] = {store::BoundValue::of_int32(static_cast<std::int32_t>(limit))};
    auto pager = c.session.query(c.people, values, kPageSize);
    while (auto row = pager.next()) {
      if (auto* name = std::get_if<std::string>(&row->at(0))) names.push_back(std::move(*name));
    }
    return names;
  }
  scan_partition_keys(c, [&](std::string& name) {
    names.push_back(std::move(name));
    return names.size() < limit;
  });
  return names;
}

bool CassandraRatingsSource::scan_partition_keys(Connection& c, const std::function<bool(std::string&)>& on_name) {
  // One key per person and bucket, in token order (so people come mixed): each name once, reading
  // a bounded number of keys. Returns whether every key was read.
  auto pager = c.session.query(c.people, {}, 1000);
  std::set<std::string> seen;
  std::size_t scanned = 0;
  while (auto row = pager.next()) {
    auto* name = std::get_if<std::string>(&row->at(0));
    if (name != nullptr && seen.insert(*name).second && !on_name(*name)) return false;
    if (++scanned == kMaxPartitionsScanned) return false;
  }
  return true;
}

std::vector<PersonRating> CassandraRatingsSource::recent(const std::string& name, store::Timestamp since,
                                                         std::size_t at_least, std::size_t at_most) {
  std::vector<PersonRating> ratings;
  connection().newest_first(name, at_most, [&](std::vector<store::Value>& row) {
    PersonRating r;
    if (const auto* at = std::get_if<store::Timestamp>(&row.at(0))) r.at = *at;
    if (auto* movie = std::get_if<std::string>(&row.at(1))) r.movie = std::move(*movie);
    if (const auto* rating = std::get_if<std::int32_t>(&row.at(2))) r.rating = *rating;
    // Newest first: once past `since` with enough rows, the rest is older still.
    if (r.at.millis < since.millis && ratings.size() >= at_least) return false;
    ratings.push_back(std::move(r));
    return true;
  });
  return ratings;
}

bool CassandraRatingsSource::has_ratings(const std::string& name) {
  auto& c = connection();
  if (c.index) return c.index->latest_bucket(name).has_value();
  if (c.layout.bucketed()) {
    // The partition keys say it without reading the buckets of the look-back one by one; a person
    // is unknown only when every key was read (past the bound the question is answered anyway).
    bool found = false;
    const bool complete = scan_partition_keys(c, [&](const std::string& seen) {
      found = seen == name;
      return !found;
    });
    return found || !complete;
  }
  bool found = false;
  connection().newest_first(name, 1, [&found](const std::vector<store::Value>&) {
    found = true;
    return false;
  });
  return found;
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
