#pragma once
// The data endpoints of the dashboard (docs/dashboard.md): the overview, the people, Q1 and Q2.
// Every answer is JSON; every failure is {"error": "..."} with a 4xx (the request) or 503
// (Cassandra) status, never an exception out of a handler.

#include <chrono>
#include <cstddef>
#include <functional>

#include "common/clock.hpp"
#include "dashboard/answer_cache.hpp"
#include "dashboard/http_answer.hpp"
#include "dashboard/overview.hpp"
#include "dashboard/ratings_source.hpp"

namespace ratingstream::dashboard {

struct DataLimits {
  std::chrono::milliseconds cache_ttl{1500};
  std::size_t max_people = 200;             // people read for the overview
  std::size_t max_recent = 2000;            // rows read per person for the overview
  std::size_t max_movies = 1000;            // Q2 rows answered
  std::chrono::hours max_window{24 * 366};  // longest Q1/Q2 window
  OverviewSettings overview;
};

class DataHandlers {
 public:
  // `source` and `clock` must outlive this object.
  explicit DataHandlers(RatingsSource& source, DataLimits limits = {}, const Clock& clock = real_clock());

  HttpAnswer overview();                              // GET /api/overview
  HttpAnswer people();                                // GET /api/people
  HttpAnswer average_duration(const Params& params);  // GET /api/q1?name=&from=&to= | &hour=  [&tz=]
  HttpAnswer movies(const Params& params);            // GET /api/q2?name=&from=&to= | &hour=  [&tz=]

 private:
  // Runs `answer`, turning every exception into its error answer.
  HttpAnswer guarded(const std::function<HttpAnswer()>& answer);

  RatingsSource& source_;
  DataLimits limits_;
  const Clock& clock_;
  AnswerCache overview_cache_;
  AnswerCache question_cache_;
};

}  // namespace ratingstream::dashboard
