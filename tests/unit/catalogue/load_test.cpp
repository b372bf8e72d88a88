// Loading the catalogue CSV: the repository's sample, and every error a user can make, each
// named with file:line and what to fix.

#include "catalogue/load.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "../csv/unfinished_pipe.hpp"
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

// The InputError message of loading the file at `path`, or "" when it loaded.
std::string load_error_of(const std::filesystem::path& path) {
  try {
    load_catalogue(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// True when every byte of `text` is printable ASCII: nothing a terminal would act on, and none
// of the file's raw bytes.
bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

// `text` (ASCII) as UTF-16 (little- or big-endian) or UTF-32 little-endian, with or without BOM.
std::string utf16(std::string_view text, bool little_endian, bool bom) {
  std::string out;
  if (bom) out += little_endian ? "\xFF\xFE" : "\xFE\xFF";
  for (const char c : text) {
    if (little_endian) {
      out.push_back(c);
      out.push_back('\0');
    } else {
      out.push_back('\0');
      out.push_back(c);
    }
  }
  return out;
}

std::string utf32le(std::string_view text) {
  std::string out("\xFF\xFE\0\0", 4);
  for (const char c : text) out += std::string(1, c) + std::string(3, '\0');
  return out;
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
  const auto path = dir.write("c.csv", kHeader +
                                           "s1,15-Aug,A,India,2019,TV-14,124\n"
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
    EXPECT_NE(std::string(e.what()).find("CSV file with catalog"), std::string::npos) << e.what();
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
  EXPECT_NE(
      load_error("title,show_id,director,country,release_year,rating,duration\ns1,T,D,C,2020,R,90\n").find(":1: "),
      std::string::npos);
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

TEST(LoadCatalogue, UnicodeTextThatIsNotUtf8IsNamedAndSavedAsUtf8) {
  const std::string content = kHeader + "s1,Jeans,D,C,2020,R,90\n";
  testing::TempDir dir;
  for (const auto& [name, bytes] :
       {std::pair{"utf16le-bom", utf16(content, true, true)}, std::pair{"utf16be-bom", utf16(content, false, true)},
        std::pair{"utf16le", utf16(content, true, false)}, std::pair{"utf16be", utf16(content, false, false)},
        std::pair{"utf32le-bom", utf32le(content)}}) {
    const auto path = dir.write(std::string(name) + ".csv", bytes);
    const std::string error = load_error_of(path);
    EXPECT_NE(error.find(path.string()), std::string::npos) << name << ": " << error;
    EXPECT_NE(error.find(std::string_view(name).starts_with("utf32") ? "UTF-32" : "UTF-16"), std::string::npos)
        << name << ": " << error;
    EXPECT_NE(error.find("save it as UTF-8"), std::string::npos) << name << ": " << error;
    EXPECT_TRUE(printable_ascii(error)) << name << ": " << error;
  }
}

TEST(LoadCatalogue, TextInAnotherEncodingNamesTheLine) {
  std::string path;
  const std::string latin1 = load_error(kHeader + "s1,Jeans,D,C,2020,R,90\ns2,Caf\xE9,D,C,2020,R,90\n", &path);
  EXPECT_NE(latin1.find(path + ":3: "), std::string::npos) << latin1;
  EXPECT_NE(latin1.find("UTF-8"), std::string::npos) << latin1;
  EXPECT_TRUE(printable_ascii(latin1)) << latin1;
}

TEST(LoadCatalogue, BinaryFilesAreRefusedWithoutEchoingTheirBytes) {
  std::mt19937 random(7);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(random());
  testing::TempDir dir;
  for (const std::string& bytes :
       {std::string("\x7F"
                    "ELF\x02\x01\x01",
                    7) +
            noise,
        std::string("\x1F\x8B\x08") + noise, kHeader + "s1,T\x1B[2J\x9B,D,C,2020,R,90\n" + noise, noise}) {
    const auto path = dir.write("binary.csv", bytes);
    const std::string error = load_error_of(path);
    EXPECT_NE(error.find(path.string()), std::string::npos) << error;
    EXPECT_TRUE(printable_ascii(error)) << error;
    EXPECT_NE(error.find("show_id,title,director,country,release_year,rating,duration"), std::string::npos) << error;
  }
}

TEST(LoadCatalogue, DevZeroIsRefusedAsBinaryAtOnce) {
  const std::string error = load_error_of("/dev/zero");
  EXPECT_NE(error.find("/dev/zero"), std::string::npos) << error;
  EXPECT_NE(error.find("binary"), std::string::npos) << error;
}

TEST(LoadCatalogue, ABinaryStreamIsRefusedFromItsFirstBytesNotAfterItsEnd) {
  // The writer never closes the pipe: a loader that reads to the end before looking never returns.
  const testing::UnfinishedPipe pipe(std::string("PK\x03\x04\x14\0\x06\0", 8) + std::string(1000, '\0'));
  const std::string error = load_error_of(pipe.path());
  EXPECT_NE(error.find("binary"), std::string::npos) << error;
}

TEST(LoadCatalogue, AnEndlessTextStreamIsRefusedAtTheSizeLimit) {
  const testing::UnfinishedPipe pipe(kHeader, "s1,Jeans,D,C,2020,R,90\n");
  const std::string error = load_error_of(pipe.path());
  EXPECT_NE(error.find("larger than 64 MiB"), std::string::npos) << error;
}

TEST(LoadCatalogue, AHugeFileIsRefusedBeforeItIsRead) {
  testing::TempDir dir;
  const auto path = dir.path() / "huge.csv";
  { std::ofstream(path) << kHeader; }
  std::filesystem::resize_file(path, std::uintmax_t{1} << 40);  // 1 TiB, sparse: nothing is written
  const std::string error = load_error_of(path);
  EXPECT_NE(error.find(path.string()), std::string::npos) << error;
  EXPECT_NE(error.find("larger than 64 MiB"), std::string::npos) << error;
}

TEST(LoadCatalogue, ARecordLongerThanTheLimitNamesItsLine) {
  std::string path;
  const std::string error =
      load_error(kHeader + "s1,Jeans,D,C,2020,R,90\ns2,\"" + std::string(2 << 20, 'x') + "\",D,C,2020,R,90\n", &path);
  EXPECT_NE(error.find(path + ":3: "), std::string::npos) << error.substr(0, 200);
  EXPECT_NE(error.find("longer than 1 MiB"), std::string::npos) << error.substr(0, 200);
}

TEST(LoadCatalogue, AMissingColumnIsNamedWithTheHeaderItNeeds) {
  const std::string header = "show_id,title,director,country,release_year,rating,duration";
  std::string path;
  const std::string no_director =
      load_error("show_id,title,country,release_year,rating,duration\ns1,T,C,2020,R,90\n", &path);
  EXPECT_NE(no_director.find(path + ":1: "), std::string::npos) << no_director;
  EXPECT_NE(no_director.find("no column director"), std::string::npos) << no_director;
  EXPECT_NE(no_director.find(header), std::string::npos) << no_director;
  // Each column in turn, the last one included (it used to vanish from a header cut short).
  for (const std::string_view column :
       {"show_id", "title", "director", "country", "release_year", "rating", "duration"}) {
    std::string without = header;
    without.erase(without.find(column), column.size());
    without.erase(std::unique(without.begin(), without.end(), [](char a, char b) { return a == ',' && b == ','; }),
                  without.end());
    if (without.front() == ',') without.erase(0, 1);
    if (without.back() == ',') without.pop_back();
    const std::string error = load_error(without + "\n");
    EXPECT_NE(error.find("no column " + std::string(column)), std::string::npos) << without << " -> " << error;
  }
  const std::string two = load_error("show_id,title,country,release_year,rating\n");
  EXPECT_NE(two.find("no columns director, duration"), std::string::npos) << two;
  const std::string renamed = load_error("show_id,Title,director,country,release_year,rating,duration\n");
  EXPECT_NE(renamed.find("no column title (column 2 is \"Title\")"), std::string::npos) << renamed;
}

TEST(LoadCatalogue, AMisplacedColumnIsNamedWithWhereItMustBe) {
  std::string path;
  const std::string swapped =
      load_error("title,show_id,director,country,release_year,rating,duration\nT,s1,D,C,2020,R,90\n", &path);
  EXPECT_NE(swapped.find(path + ":1: the column show_id is column 2, where it must be column 1"), std::string::npos)
      << swapped;
  EXPECT_NE(swapped.find("show_id,title,director,country,release_year,rating,duration"), std::string::npos) << swapped;
  const std::string last_first = load_error("duration,show_id,title,director,country,release_year,rating\n");
  EXPECT_NE(last_first.find("the column show_id is column 2, where it must be column 1"), std::string::npos)
      << last_first;
  const std::string extra = load_error("show_id,title,director,country,release_year,rating,duration,cast\n");
  EXPECT_NE(extra.find("column 8 \"cast\" is not a catalogue column"), std::string::npos) << extra;
  const std::string twice = load_error("show_id,title,title,director,country,release_year,rating,duration\n");
  EXPECT_NE(twice.find("column 3 is \"title\" again"), std::string::npos) << twice;
}

}  // namespace
}  // namespace ratingstream::catalogue
