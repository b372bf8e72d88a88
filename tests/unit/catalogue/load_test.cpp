// Loading the catalogue CSV: the repository's sample, and every error a user can make, each
// named with file:line and what to fix.

#include "catalogue/load.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "common/errors.hpp"
#include "csv/csv_reader.hpp"
#include "test_support.hpp"

namespace ratingstream::catalogue {
namespace {

const std::string kHeader = "show_id,title,director,country,release_year,rating,duration\n";

// The InputError message of loading `content` from a file, or "" when it loaded.
std::string load_error(const std::string& content, std::string* path_out = nullptr) {
  testing::TempDir dir;
  const auto path = dir.write("catalogue.csv", content);
  if (path_out != nullptr) *path_out = path.string();
  try {
    load_catalogue(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::vector<std::string> movie_titles(const std::filesystem::path& movies_file) {
  std::vector<std::string> titles;
  csv::for_each_record(csv::read_file(movies_file), [&](const csv::Record& record) {
    ASSERT_EQ(record.fields.size(), 1u) << movies_file << ":" << record.line;
    titles.push_back(record.fields[0]);
  });
  return titles;
}

TEST(LoadCatalogue, ReadsQuotedFieldsAndKeepsValuesAsWritten) {
  testing::TempDir dir;
  const auto path = dir.write("c.csv", kHeader +
                                           "s1,\"Salt, Smoke and Silver\",\"A, B\",\"France, Belgium\",2021,TV-MA,117\n"
                                           "s2,\"The \"\"Quiet\"\" Harbour\",Not Given,Not Given,2018,PG-13,96\r\n"
                                           "s3,Ñandú,Someone,Argentina, 2022 ,R,93\n");
  const Catalogue catalogue = load_catalogue(path);
  ASSERT_EQ(catalogue.size(), 3u);
  const Film* salt = catalogue.find("Salt, Smoke and Silver");
  ASSERT_NE(salt, nullptr);
  EXPECT_EQ(salt->show_id, "s1");
  EXPECT_EQ(salt->director, "A, B");
  EXPECT_EQ(salt->country, "France, Belgium");
  EXPECT_EQ(salt->release_year, 2021);
  EXPECT_EQ(salt->age_rating, "TV-MA");
  EXPECT_EQ(salt->duration_minutes, 117);
  EXPECT_EQ(salt->line, 2u);
  const Film* quiet = catalogue.find("The \"Quiet\" Harbour");
  ASSERT_NE(quiet, nullptr);
  EXPECT_EQ(quiet->director, "Not Given");  // kept literally, as the original system did
  EXPECT_EQ(quiet->country, "Not Given");
  EXPECT_EQ(catalogue.find("Ñandú")->release_year, 2022);
}

TEST(LoadCatalogue, TheRepositorySampleHasEveryMovieAndOneDuplicate) {
  const auto root = testing::source_root() / "data" / "sample";
  const Catalogue catalogue = load_catalogue(root / "catalogue.csv");
  ASSERT_EQ(catalogue.duplicate_titles().size(), 1u);
  const auto& duplicate = catalogue.duplicate_titles()[0];
  EXPECT_EQ(duplicate.title, "Twin Harbours");
  EXPECT_EQ(catalogue.find("Twin Harbours")->line, duplicate.kept_line);
  EXPECT_EQ(duplicate.ignored_lines.size(), 1u);
  const auto titles = movie_titles(root / "movies.csv");
  EXPECT_GE(titles.size(), 30u);
  for (const auto& title : titles) EXPECT_NE(catalogue.find(title), nullptr) << title;
  // The sample exercises what the real data holds: quotes, commas and non-ASCII titles.
  const auto has = [&](auto predicate) { return std::any_of(titles.begin(), titles.end(), predicate); };
  EXPECT_TRUE(has([](const std::string& t) { return t.find(',') != std::string::npos; }));
  EXPECT_TRUE(has([](const std::string& t) { return t.find('"') != std::string::npos; }));
  EXPECT_TRUE(has([](const std::string& t) {
    return std::any_of(t.begin(), t.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  }));
}

TEST(LoadCatalogue, DuplicatesAreDescribedInOneLine) {
  testing::TempDir dir;
  const auto path = dir.write("c.csv", kHeader + "s1,15-Aug,A,India,2019,TV-14,124\n"
                                                 "s2,Other,B,India,2019,TV-14,90\n"
                                                 "s3,15-Aug,C,India,2020,TV-MA,100\n"
                                                 "s4,22-Jul,D,Norway,2018,R,144\n"
                                                 "s5,22-Jul,E,Norway,2018,R,144\n");
  const Catalogue catalogue = load_catalogue(path);
  EXPECT_EQ(catalogue.find("15-Aug")->show_id, "s1");
  EXPECT_EQ(catalogue.find("22-Jul")->show_id, "s4");
  EXPECT_EQ(describe_duplicates(catalogue),
            "2 titles occur more than once; the first row of each is used: \"15-Aug\" (lines 2, 4), "
            "\"22-Jul\" (lines 5, 6)");
}

TEST(LoadCatalogue, MissingUnreadableOrEmptyFilesNameThePath) {
  testing::TempDir dir;
  const auto missing = dir.path() / "nope.csv";
  try {
    load_catalogue(missing);
    FAIL() << "loaded a missing file";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(missing.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--catalog"), std::string::npos) << e.what();
  }
  try {
    load_catalogue(dir.path());
    FAIL() << "loaded a directory";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(dir.path().string()), std::string::npos) << e.what();
  }
  if (::geteuid() != 0) {  // root reads anything
    const auto locked = dir.write("locked.csv", kHeader + "s1,T,D,C,2020,R,90\n");
    ::chmod(locked.c_str(), 0);
    EXPECT_THROW(load_catalogue(locked), InputError);
  }
  std::string path;
  const std::string empty = load_error("", &path);
  EXPECT_NE(empty.find(path + ": the catalogue is empty"), std::string::npos) << empty;
  const std::string blank = load_error("\n\n", &path);
  EXPECT_NE(blank.find(path + ": the catalogue is empty"), std::string::npos) << blank;
  const std::string header_only = load_error(kHeader, &path);
  EXPECT_NE(header_only.find(path + ": the catalogue has a header but no films"), std::string::npos) << header_only;
}

TEST(LoadCatalogue, TheHeaderIsRequired) {
  std::string path;
  const std::string no_header = load_error("s1,Title,D,C,2020,R,90\n", &path);
  EXPECT_NE(no_header.find(path + ":1: the first line is \"s1,Title,D,C,2020,R,90\""), std::string::npos) << no_header;
  EXPECT_NE(no_header.find("show_id,title,director,country,release_year,rating,duration"), std::string::npos);
  EXPECT_NE(load_error("title,show_id,director,country,release_year,rating,duration\ns1,T,D,C,2020,R,90\n")
                .find(":1: "), std::string::npos);
  EXPECT_NE(load_error("show_id,title,director,country,release_year,rating\ns1,T,D,C,2020,R\n").find(":1: "),
            std::string::npos);
  EXPECT_NE(load_error("Show_ID,Title,Director,Country,Release_Year,Rating,Duration\n").find(":1: "),
            std::string::npos);
}

TEST(LoadCatalogue, MalformedRowsNameFileAndLine) {
  std::string path;
  const std::string six = load_error(kHeader + "s1,A,D,C,2020,R,90\ns2,B,D,2020,R,90\n", &path);
  EXPECT_NE(six.find(path + ":3: expected 7 columns"), std::string::npos) << six;
  EXPECT_NE(six.find("found 6"), std::string::npos) << six;
  EXPECT_NE(six.find("double quotes"), std::string::npos) << six;

  const std::string eight = load_error(kHeader + "s1,Salt, Smoke and Silver,D,C,2020,R,90\n", &path);
  EXPECT_NE(eight.find(path + ":2: expected 7 columns"), std::string::npos) << eight;
  EXPECT_NE(eight.find("found 8"), std::string::npos) << eight;

  const std::string year = load_error(kHeader + "s1,A,D,C,20x9,R,90\n", &path);
  EXPECT_NE(year.find(path + ":2: release_year \"20x9\" is not a whole number"), std::string::npos) << year;

  const std::string minutes = load_error(kHeader + "s1,A,D,C,2019,R,90\n\ns2,B,D,C,2019,R,90 min\n", &path);
  EXPECT_NE(minutes.find(path + ":4: duration \"90 min\" is not a whole number of minutes"), std::string::npos)
      << minutes;
  EXPECT_NE(load_error(kHeader + "s1,A,D,C,2019,R,-5\n").find(":2: duration \"-5\""), std::string::npos);
  EXPECT_NE(load_error(kHeader + "s1,A,D,C,2019,R,\n").find(":2: duration \"\""), std::string::npos);
  EXPECT_NE(load_error(kHeader + "s1,A,D,C,2019,R,1.5\n").find(":2: duration"), std::string::npos);
  EXPECT_NE(load_error(kHeader + "s1,A,D,C,99999999999,R,90\n").find(":2: release_year"), std::string::npos);
  EXPECT_NE(load_error(kHeader + "s1,,D,C,2019,R,90\n").find(":2: the title is empty"), std::string::npos);

  const std::string quote = load_error(kHeader + "s1,A,D,C,2019,R,90\ns2,\"Unclosed,D,C,2019,R,90\n", &path);
  EXPECT_NE(quote.find(path + ":3: broken CSV"), std::string::npos) << quote;
  const std::string stray = load_error(kHeader + "s1,The \"Quiet\" Harbour,D,C,2019,R,90\n", &path);
  EXPECT_NE(stray.find(path + ":2: broken CSV"), std::string::npos) << stray;
}

TEST(LoadCatalogue, ErrorsAreOneLineEvenForMultiLineFields) {
  const std::string error = load_error(kHeader + "s1,\"Two\nLines\",D,C,\"20\n19\",R,90\n");
  EXPECT_NE(error.find(":2: release_year \"20?19\""), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

}  // namespace
}  // namespace ratingstream::catalogue
