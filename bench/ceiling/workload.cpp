#include "workload.hpp"

#include <random>

#include "catalogue/load.hpp"
#include "original_data.hpp"
#include "produce/movies_file.hpp"
#include "produce/people.hpp"

namespace ratingstream::bench {

std::filesystem::path shared_data_file(std::string_view name) {
  return testing::original_data_folder(RS_SOURCE_ROOT) / name;
}

Workload load_workload(const std::filesystem::path& movies, const std::filesystem::path& catalog, std::uint64_t seed) {
  Workload w;
  w.people = produce::make_people(14, "Stelios Giagkos", seed);
  w.movies = produce::load_movies(movies);
  w.catalogue = catalogue::load_catalogue(catalog);
  return w;
}

std::vector<rating::Rating> make_ratings(const Workload& workload, std::size_t count, std::uint64_t seed,
                                         std::int64_t start_us) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::size_t> movie(0, workload.movies.size() - 1);
  std::uniform_int_distribution<int> score(1, 10);
  std::vector<rating::Rating> ratings;
  ratings.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    rating::Rating r;
    r.name = workload.people[i % workload.people.size()];
    r.movie = workload.movies[movie(random)];
    r.rating = score(random);
    r.timestamp_us = start_us + static_cast<std::int64_t>(i);
    ratings.push_back(std::move(r));
  }
  return ratings;
}

}  // namespace ratingstream::bench
