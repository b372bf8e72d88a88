#pragma once
// Where the dashboard's data part reads the ratings table: an interface, so the handlers are
// tested with a fake and run against Cassandra (cassandra_ratings_source.hpp) in the binary.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "query/duration_average.hpp"
#include "query/output.hpp"
#include "query/time_window.hpp"
#include "store/session.hpp"

namespace ratingstream::dashboard {

// One of a person's ratings, as the overview shows it.
struct PersonRating {
  store::Timestamp at;
  std::string movie;
  std::optional<int> rating;  // rating_movie: the person's 1..10
};

class RatingsSource {
 public:
  virtual ~RatingsSource() = default;

  // The people in the table (its partition keys), at most `limit`.
  virtual std::vector<std::string> people(std::size_t limit) = 0;

  // `name`'s ratings newest first: all of those at or after `since`, and older ones until there
  // are `at_least`; never more than `at_most` (the bound that keeps a read small).
  virtual std::vector<PersonRating> recent(const std::string& name, store::Timestamp since, std::size_t at_least,
                                           std::size_t at_most) = 0;

  // Whether `name` has any row at all: tells "unknown person" from "nothing in this window".
  virtual bool has_ratings(const std::string& name) = 0;

  // Q1 and Q2, by the same code as `ratingstream query` (query::Questions). Q2 returns at most
  // `limit` rows newest first and sets `more` when the window holds more.
  virtual query::DurationAverage average_duration(const std::string& name, const query::TimeWindow& window) = 0;
  virtual query::ResultTable movies(const std::string& name, const query::TimeWindow& window, std::size_t limit,
                                    bool& more) = 0;
};

}  // namespace ratingstream::dashboard
