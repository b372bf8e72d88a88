#pragma once
// One row of the movie catalogue (docs/contract.md, "The catalogue and the join"; the columns the
// Cassandra row takes: "The table").

#include <cstddef>
#include <cstdint>
#include <string>

namespace ratingstream::catalogue {

struct Film {
  std::string show_id;
  std::string title;
  std::string director;  // the literal "Not Given" where unknown, kept as written
  std::string country;   // likewise
  std::int32_t release_year = 0;
  std::string age_rating;  // the catalogue's `rating` column: TV-MA, PG-13, ...
  std::int32_t duration_minutes = 0;
  std::size_t line = 0;  // where it was read (1-based), for messages
};

}  // namespace ratingstream::catalogue
