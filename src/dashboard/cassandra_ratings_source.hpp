#pragma once
// The dashboard's RatingsSource over Cassandra. Connects on first use (so a dashboard starts
// while Cassandra is still down, and answers 503 until it is up) on the HTTP threads, never on
// the processor's pipeline thread. Reads are bounded: LIMITs and small pages.

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "dashboard/ratings_source.hpp"
#include "store/schema.hpp"
#include "store/session.hpp"

namespace ratingstream::dashboard {

class CassandraRatingsSource final : public RatingsSource {
 public:
  CassandraRatingsSource(store::SessionConfig config, store::TableRef table);
  ~CassandraRatingsSource() override;

  std::vector<std::string> people(std::size_t limit) override;
  std::vector<PersonRating> recent(const std::string& name, store::Timestamp since, std::size_t at_least,
                                   std::size_t at_most) override;
  bool has_ratings(const std::string& name) override;
  query::DurationAverage average_duration(const std::string& name, const query::TimeWindow& window) override;
  query::ResultTable movies(const std::string& name, const query::TimeWindow& window, std::size_t limit,
                            bool& more) override;

 private:
  struct Connection;
  // The connection, made on first use; a failed connect is tried again on the next call.
  Connection& connection();
  // Bucketed tables: calls `on_name` with each person's name once, from the partition keys, while
  // it returns true; returns whether every key was read (docs/data-over-time.md, "The dashboard").
  static bool scan_partition_keys(Connection& c, const std::function<bool(std::string&)>& on_name);

  store::SessionConfig config_;
  store::TableRef table_;
  std::mutex connect_mutex_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace ratingstream::dashboard
