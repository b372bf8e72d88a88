// The full original catalogue and movies file, read at run time from the folder named by
// RATINGSTREAM_SHARED_DATA (docs/architecture.md, "The original data files"), never copied: the
// loader finds exactly the two known duplicate titles and every movie. Label `data`, not `unit`:
// the files are not in the repository, so the test skips when their folder is missing.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "catalogue/load.hpp"
#include "csv/csv_reader.hpp"
#include "test_support.hpp"

namespace ratingstream::catalogue {
namespace {

TEST(SharedData, NetflixCatalogueHasExactlyTheTwoKnownDuplicatesAndEveryMovie) {
  const std::filesystem::path folder = testing::shared_data_dir();
  if (!std::filesystem::is_directory(folder)) {
    GTEST_SKIP() << "no folder " << folder.string() << " of the original data files; set "
                 << testing::kSharedDataVariable << " to the folder holding netflix.csv and movies.csv";
  }
  const Catalogue catalogue = load_catalogue(testing::shared_data("netflix.csv"));
  std::vector<std::string> duplicates;
  for (const auto& d : catalogue.duplicate_titles()) {
    duplicates.push_back(d.title);
    EXPECT_EQ(d.ignored_lines.size(), 1u) << d.title;
    EXPECT_EQ(catalogue.find(d.title)->line, d.kept_line) << d.title;
  }
  std::sort(duplicates.begin(), duplicates.end());
  EXPECT_EQ(duplicates, (std::vector<std::string>{"15-Aug", "22-Jul"}));
  EXPECT_EQ(catalogue.size(), 5997u - 2u);

  std::size_t movies = 0;
  csv::for_each_record(csv::read_file(testing::shared_data("movies.csv")), [&](const csv::Record& record) {
    ASSERT_EQ(record.fields.size(), 1u) << "movies.csv:" << record.line;
    ++movies;
    EXPECT_NE(catalogue.find(record.fields[0]), nullptr) << "movies.csv:" << record.line << ": " << record.fields[0];
  });
  EXPECT_EQ(movies, 5997u);
  EXPECT_NE(catalogue.find("Naruto Shippûden the Movie: Bonds"), nullptr);
}

}  // namespace
}  // namespace ratingstream::catalogue
