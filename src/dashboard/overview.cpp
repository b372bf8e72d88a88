#include "dashboard/overview.hpp"

#include <algorithm>
#include <map>

#include "common/json.hpp"
#include "query/cell.hpp"

namespace ratingstream::dashboard {
namespace {

constexpr std::int64_t kMinute = 60'000;

struct MovieTally {
  std::string movie;
  std::int64_t count = 0;
  std::int64_t rated = 0;  // ratings with a value
  std::int64_t sum = 0;
  double average() const { return rated == 0 ? 0.0 : static_cast<double>(sum) / static_cast<double>(rated); }
};

Json movie_list(const std::vector<MovieTally>& tallies, std::size_t top) {
  Json out = Json::array();
  for (std::size_t i = 0; i < tallies.size() && i < top; ++i) {
    const auto& t = tallies[i];
    out.push_back({{"movie", t.movie},
                   {"count", t.count},
                   {"avg_rating", t.rated == 0 ? Json(nullptr) : json_rounded(t.average(), 2)}});
  }
  return out;
}

}  // namespace

std::string overview_json(const std::vector<PersonRatings>& people, std::int64_t now_millis,
                          const OverviewSettings& settings, bool people_truncated, bool ratings_truncated) {
  // Whole minutes, the current (partial) one last, so the chart's last bar grows as it fills.
  const std::int64_t current_minute = now_millis - now_millis % kMinute;
  const std::int64_t first_minute = current_minute - (settings.minutes - 1) * kMinute;
  std::vector<std::int64_t> per_minute(static_cast<std::size_t>(settings.minutes), 0);
  std::map<std::string, MovieTally> movies;
  Json people_out = Json::array();
  const auto utc = rating::TimeZone::utc();

  for (const auto& person : people) {
    Json latest = Json::array();
    for (std::size_t i = 0; i < person.newest_first.size(); ++i) {
      const auto& r = person.newest_first[i];
      if (r.at.millis >= first_minute && r.at.millis < current_minute + kMinute) {
        ++per_minute[static_cast<std::size_t>((r.at.millis - first_minute) / kMinute)];
        auto& tally = movies[r.movie];
        tally.movie = r.movie;
        ++tally.count;
        if (r.rating) {
          ++tally.rated;
          tally.sum += *r.rating;
        }
      }
      if (i < settings.latest) {
        latest.push_back({{"timestamp", query::format_timestamp(r.at, utc)},
                          {"t", r.at.millis},
                          {"movie", r.movie},
                          {"rating", json_or_null(r.rating)}});
      }
    }
    people_out.push_back({{"name", person.name}, {"latest", std::move(latest)}});
  }

  std::vector<MovieTally> tallies;
  for (auto& [movie, tally] : movies) tallies.push_back(std::move(tally));
  // Ties by title, so the lists do not flicker between refreshes.
  auto by_count = tallies;
  std::stable_sort(by_count.begin(), by_count.end(),
                   [](const MovieTally& a, const MovieTally& b) { return a.count > b.count; });
  std::vector<MovieTally> by_rating;
  for (const auto& t : tallies) {
    if (t.rated >= static_cast<std::int64_t>(settings.min_for_average)) by_rating.push_back(t);
  }
  std::stable_sort(by_rating.begin(), by_rating.end(), [](const MovieTally& a, const MovieTally& b) {
    if (a.average() != b.average()) return a.average() > b.average();
    return a.count > b.count;
  });

  Json minutes_out = Json::array();
  for (std::size_t i = 0; i < per_minute.size(); ++i) {
    minutes_out.push_back({{"t", first_minute + static_cast<std::int64_t>(i) * kMinute}, {"count", per_minute[i]}});
  }
  return json_text({{"generated_at", now_millis},
                    {"window_minutes", settings.minutes},
                    {"ratings_per_minute", minutes_out},
                    {"top_by_count", movie_list(by_count, settings.top)},
                    {"top_by_rating", movie_list(by_rating, settings.top)},
                    {"min_ratings_for_average", settings.min_for_average},
                    {"people", people_out},
                    {"people_truncated", people_truncated},
                    {"ratings_truncated", ratings_truncated}}) +
         "\n";
}

}  // namespace ratingstream::dashboard
