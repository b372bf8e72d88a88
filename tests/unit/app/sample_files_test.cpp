// The defaults of --catalog and --movies: the samples installed beside the binary, else the
// source tree's.

#include "app/sample_files.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace ratingstream::app {
namespace {

TEST(SampleFiles, AnInstalledBinaryFindsTheSamplesUnderItsOwnPrefix) {
  const testing::TempDir prefix;
  std::filesystem::create_directories(prefix.path() / "bin");
  std::filesystem::create_directories(prefix.path() / "share/ratingstream/sample");
  prefix.write("share/ratingstream/sample/catalogue.csv", "title\n");
  EXPECT_EQ(sample_file("catalogue.csv", prefix.path() / "bin/ratingstream"),
            (prefix.path() / "share/ratingstream/sample/catalogue.csv").string());
}

TEST(SampleFiles, ABinaryInItsBuildFolderFindsTheRepositorysSamples) {
  const testing::TempDir build;
  const std::string expected = (testing::source_root() / "data/sample/movies.csv").string();
  EXPECT_EQ(sample_file("movies.csv", build.path() / "ratingstream"), expected);
  EXPECT_EQ(sample_file("movies.csv", {}), expected);
}

TEST(SampleFiles, WithNeitherTheInstalledPathIsNamed) {
  const testing::TempDir prefix;
  EXPECT_EQ(sample_file("nothing.csv", prefix.path() / "bin/ratingstream"),
            (prefix.path() / "share/ratingstream/sample/nothing.csv").string());
}

TEST(SampleFiles, TheRunningBinaryIsKnown) { EXPECT_TRUE(std::filesystem::exists(running_binary())); }

}  // namespace
}  // namespace ratingstream::app
