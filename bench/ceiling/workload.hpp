#pragma once
// The benchmark workload, shared by the ceiling loader and the micro-benchmarks: ratings shaped as
// `ratingstream produce` makes them (14 generated people plus the own name, a uniformly random
// movie of the movies file, a uniform rating 1..10), and the catalogue they join with. The files
// are read at run time (by default the full originals, from shared_data_file()), never copied.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "rating/rating.hpp"

namespace ratingstream::bench {

// <name> in the folder of the original data files: $RATINGSTREAM_SHARED_DATA, ../shared/data when
// unset or empty, a relative value taken from the repository root
// (docs/architecture.md, "The original data files").
std::filesystem::path shared_data_file(std::string_view name);

struct Workload {
  std::vector<std::string> people;
  std::vector<std::string> movies;
  catalogue::Catalogue catalogue;
};

// Reads the movies file and the catalogue; the people are drawn with `seed`.
Workload load_workload(const std::filesystem::path& movies, const std::filesystem::path& catalog, std::uint64_t seed);

// `count` ratings: people in turn (as the producer's rounds), random movies and ratings from
// `seed`, timestamps one microsecond apart from `start_us`.
std::vector<rating::Rating> make_ratings(const Workload& workload, std::size_t count, std::uint64_t seed,
                                         std::int64_t start_us);

}  // namespace ratingstream::bench
