#pragma once
// The data part of the page from each person's recent ratings: ratings per minute over the last
// hour, the top movies of the hour by count and by average rating, each person's latest ratings.
// Pure: a function of the ratings and the time, so it is tested without Cassandra.

#include <cstddef>
#include <string>
#include <vector>

#include "dashboard/ratings_source.hpp"

namespace ratingstream::dashboard {

struct PersonRatings {
  std::string name;
  std::vector<PersonRating> newest_first;  // the last hour's, and at least the latest few
};

struct OverviewSettings {
  int minutes = 60;                 // the window of "per minute" and "top movies"
  std::size_t top = 10;             // movies per top list
  std::size_t latest = 5;           // latest ratings shown per person
  std::size_t min_for_average = 2;  // ratings a movie needs to enter the top by average
};

// The JSON of GET /api/overview (docs/dashboard.md). `now_millis`: Unix time in ms.
// `people_truncated` / `ratings_truncated` say that a read bound was reached.
std::string overview_json(const std::vector<PersonRatings>& people, std::int64_t now_millis,
                          const OverviewSettings& settings, bool people_truncated, bool ratings_truncated);

}  // namespace ratingstream::dashboard
