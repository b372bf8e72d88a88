// The movies file: one title per line, CSV quoting, blank lines skipped, clear errors.

#include "produce/movies_file.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/errors.hpp"
#include "test_support.hpp"

namespace ratingstream::produce {
namespace {

using Titles = std::vector<std::string>;

Titles load_text(const std::string& text) {
  testing::TempDir dir;
  return load_movies(dir.write("movies.csv", text));
}

// The InputError message of loading `text`, "" when it loads.
std::string error_of(const std::string& text) {
  testing::TempDir dir;
  const auto path = dir.write("movies.csv", text);
  try {
    load_movies(path);
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    return e.what();
  }
  return "";
}

TEST(MoviesFile, ReadsOneTitlePerLine) {
  EXPECT_EQ(load_text("Sankofa\nThe Starling\nJeans\n"), (Titles{"Sankofa", "The Starling", "Jeans"}));
}

TEST(MoviesFile, LastLineNeedsNoNewline) { EXPECT_EQ(load_text("A\nB"), (Titles{"A", "B"})); }

TEST(MoviesFile, QuotedCommasStayInTheTitle) {
  EXPECT_EQ(load_text("\"El patrón, radiografía de un crimen\"\nJeans\n"),
            (Titles{"El patrón, radiografía de un crimen", "Jeans"}));
}

TEST(MoviesFile, DoubledQuotesAreOneQuote) {
  EXPECT_EQ(load_text("\"The \"\"Real\"\" Story, Part 2\"\n"), (Titles{"The \"Real\" Story, Part 2"}));
}

TEST(MoviesFile, KeepsApostrophesAndOtherPunctuation) {
  EXPECT_EQ(load_text("Europe's Most Dangerous Man: Otto Skorzeny in Spain\nGo! Go! #1 | & more\n"),
            (Titles{"Europe's Most Dangerous Man: Otto Skorzeny in Spain", "Go! Go! #1 | & more"}));
}

TEST(MoviesFile, SkipsBlankLines) {
  EXPECT_EQ(load_text("\nA\n\n\nB\n  \n\n"), (Titles{"A", "B"}));
}

TEST(MoviesFile, AcceptsCrlfAndAByteOrderMark) {
  EXPECT_EQ(load_text("\xEF\xBB\xBF" "A\r\nB\r\n"), (Titles{"A", "B"}));
}

TEST(MoviesFile, KeepsNonAsciiTitles) {
  EXPECT_EQ(load_text("Naruto Shippûden\nDügün Dernek 2: Sünnet\n"),
            (Titles{"Naruto Shippûden", "Dügün Dernek 2: Sünnet"}));
}

TEST(MoviesFile, AnEmptyFileIsAnInputError) {
  EXPECT_NE(error_of("").find("no titles"), std::string::npos);
  EXPECT_NE(error_of("\n\n  \n").find("no titles"), std::string::npos);
}

TEST(MoviesFile, AMissingFileIsAnInputErrorNamingThePath) {
  testing::TempDir dir;
  const auto missing = dir.path() / "no-such-movies.csv";
  try {
    load_movies(missing);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(missing.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--movies"), std::string::npos) << e.what();
  }
}

TEST(MoviesFile, ADirectoryIsAnInputError) {
  testing::TempDir dir;
  EXPECT_THROW(load_movies(dir.path()), InputError);
}

TEST(MoviesFile, AnUnquotedCommaIsAnErrorNamingTheLine) {
  const std::string error = error_of("Sankofa\nLove, Death & Robots\n");
  EXPECT_NE(error.find(":2:"), std::string::npos) << error;
  EXPECT_NE(error.find("quote"), std::string::npos) << error;
}

TEST(MoviesFile, AnUnclosedQuoteIsAnError) { EXPECT_NE(error_of("A\n\"never closed\n"), ""); }

TEST(MoviesFile, InvalidUtf8IsAnErrorNamingTheLine) {
  const std::string error = error_of("A\nLatin-1 caf\xE9\n");
  EXPECT_NE(error.find(":2:"), std::string::npos) << error;
  EXPECT_NE(error.find("UTF-8"), std::string::npos) << error;
}

}  // namespace
}  // namespace ratingstream::produce
