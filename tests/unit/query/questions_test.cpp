// The questions' CQL (the window is [from, to), names quoted as CQL needs) and Q1's one-row result.

#include "query/questions.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace ratingstream;
using query::DurationAverage;
using query::Hundredths;

namespace {

DurationAverage of(std::initializer_list<std::optional<std::int32_t>> durations) {
  DurationAverage average;
  for (const auto& d : durations) average.add(d);
  return average;
}

TEST(AverageDurationResult, OneRowWithTheWindowAndCounts) {
  const query::TimeWindow window{{1000}, {2000}};
  const auto table = query::average_duration_result("Ann", window, of({90, 91, std::nullopt}));
  EXPECT_EQ(table.columns,
            (std::vector<std::string>{"name", "from", "to", "ratings", "without_duration", "avg_duration"}));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0],
            (std::vector<query::Cell>{query::Cell(std::string("Ann")), query::Cell(store::Timestamp{1000}),
                                      query::Cell(store::Timestamp{2000}), query::Cell(std::int64_t{3}),
                                      query::Cell(std::int64_t{1}), query::Cell(Hundredths{9050})}));
  const auto empty = query::average_duration_result("Ann", window, DurationAverage{});
  EXPECT_EQ(empty.rows[0][3], query::Cell(std::int64_t{0}));
  EXPECT_EQ(empty.rows[0][5], query::Cell(std::monostate{}));
}

TEST(QuestionsCql, TheWindowIsFromInclusiveToExclusive) {
  const store::TableRef table{"netflix", "movie_ratings"};
  EXPECT_EQ(query::average_duration_cql(table),
            "SELECT duration FROM netflix.movie_ratings WHERE name = ? AND timestamp >= ? AND timestamp < ?");
  EXPECT_EQ(query::movies_cql(table),
            "SELECT timestamp, movie FROM netflix.movie_ratings WHERE name = ? AND timestamp >= ? AND timestamp < ?");
  EXPECT_EQ(query::ratings_cql(table),
            "SELECT name, timestamp, id, country, director, duration, movie, rating, rating_movie, release_year, "
            "show_id FROM netflix.movie_ratings WHERE name = ? AND timestamp >= ? AND timestamp < ?");
  EXPECT_EQ(query::sample_cql({"Stats", "movie_ratings"}),
            "SELECT name, timestamp, id, country, director, duration, movie, rating, rating_movie, release_year, "
            "show_id FROM \"Stats\".movie_ratings LIMIT ?");
}

}  // namespace
