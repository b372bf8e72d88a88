#include "dashboard/overview.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "dashboard/http_answer.hpp"
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

std::string movie_json(const MovieTally& t) {
  return fmt::format("{{\"movie\":{},\"count\":{},\"avg_rating\":{}}}", json_quote(t.movie), t.count,
                     t.rated == 0 ? "null" : fmt::format("{:.2f}", t.average()));
}

std::string movie_list(const std::vector<MovieTally>& tallies, std::size_t top) {
  std::string out;
  for (std::size_t i = 0; i < tallies.size() && i < top; ++i) {
    if (!out.empty()) out += ",";
    out += movie_json(tallies[i]);
  }
  return "[" + out + "]";
}

}  // namespace

std::string overview_json(const std::vector<PersonRatings>& people, std::int64_t now_millis,
                          const OverviewSettings& settings, bool people_truncated, bool ratings_truncated) {
  // Whole minutes, the current (partial) one last, so the chart's last bar grows as it fills.
  const std::int64_t current_minute = now_millis - now_millis % kMinute;
  const std::int64_t first_minute = current_minute - (settings.minutes - 1) * kMinute;
  std::vector<std::int64_t> per_minute(static_cast<std::size_t>(settings.minutes), 0);
  std::map<std::string, MovieTally> movies;
  std::string people_out;
  const auto utc = rating::TimeZone::utc();

  for (const auto& person : people) {
    std::string latest;
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
        if (!latest.empty()) latest += ",";
        latest += fmt::format("{{\"timestamp\":{},\"t\":{},\"movie\":{},\"rating\":{}}}",
                              json_quote(query::format_timestamp(r.at, utc)), r.at.millis, json_quote(r.movie),
                              r.rating ? std::to_string(*r.rating) : "null");
      }
    }
    if (!people_out.empty()) people_out += ",\n";
    people_out += fmt::format("{{\"name\":{},\"latest\":[{}]}}", json_quote(person.name), latest);
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

  std::string minutes_out;
  for (std::size_t i = 0; i < per_minute.size(); ++i) {
    if (!minutes_out.empty()) minutes_out += ",";
    minutes_out += fmt::format("{{\"t\":{},\"count\":{}}}", first_minute + static_cast<std::int64_t>(i) * kMinute,
                               per_minute[i]);
  }
  return fmt::format(
      "{{\"generated_at\":{},\"window_minutes\":{},\n\"ratings_per_minute\":[{}],\n\"top_by_count\":{},\n"
      "\"top_by_rating\":{},\n\"min_ratings_for_average\":{},\n\"people\":[\n{}\n],\n\"people_truncated\":{},"
      "\"ratings_truncated\":{}}}\n",
      now_millis, settings.minutes, minutes_out, movie_list(by_count, settings.top),
      movie_list(by_rating, settings.top), settings.min_for_average, people_out, people_truncated ? "true" : "false",
      ratings_truncated ? "true" : "false");
}

}  // namespace ratingstream::dashboard
