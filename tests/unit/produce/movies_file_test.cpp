// The movies file: one title per line, CSV quoting, blank lines skipped, clear errors.

#include "produce/movies_file.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../csv/unfinished_pipe.hpp"
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

// The InputError message of loading the file at `path`, "" when it loads.
std::string error_at(const std::filesystem::path& path) {
  try {
    load_movies(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
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

TEST(MoviesFile, SkipsBlankLines) { EXPECT_EQ(load_text("\nA\n\n\nB\n  \n\n"), (Titles{"A", "B"})); }

TEST(MoviesFile, AcceptsCrlfAndAByteOrderMark) {
  EXPECT_EQ(load_text("\xEF\xBB\xBF"
                      "A\r\nB\r\n"),
            (Titles{"A", "B"}));
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
    EXPECT_NE(std::string(e.what()).find("pass movies FILE"), std::string::npos) << e.what();
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

// The processor refuses a value over 64 KiB (rating::kDefaultMaxValueBytes); the producer must
// not send one, so a title that cannot fit is the movies file's error.
TEST(MoviesFile, ATitleTooLongForAMessageTheProcessorTakesNamesItsLine) {
  const std::string error = error_of("Jeans\n" + std::string(70'000, 'x') + "\nSankofa\n");
  EXPECT_NE(error.find(":2: "), std::string::npos) << error.substr(0, 300);
  EXPECT_NE(error.find("65536"), std::string::npos) << error.substr(0, 300);
  EXPECT_LT(error.size(), 500u) << "the title is not echoed";
  // Quotes are escaped in JSON (\"), so 40,000 of them make an 80,000-byte message.
  EXPECT_NE(error_of("\"" + std::string(80'000, '"') + "\"\n").find(":1: "), std::string::npos);
  // What fits is taken: a title of 65,000 bytes leaves room for the rest of the message.
  EXPECT_EQ(load_text(std::string(65'000, 'x') + "\n").size(), 1u);
}

TEST(MoviesFile, ALineLongerThanTheLimitIsRefusedWithoutEchoingIt) {
  const std::string error = error_of("Jeans\n" + std::string(2 << 20, 'x') + "\n");
  EXPECT_NE(error.find(":2: "), std::string::npos) << error.substr(0, 300);
  EXPECT_NE(error.find("longer than 1 MiB"), std::string::npos) << error.substr(0, 300);
  EXPECT_LT(error.size(), 500u);
}

TEST(MoviesFile, Utf16IsNamedAndSavedAsUtf8) {
  std::string le("\xFF\xFE", 2), be("\xFE\xFF", 2), bare;
  for (const char c : std::string("Jeans\nSankofa\n")) {
    le += std::string(1, c) + '\0';
    be += '\0' + std::string(1, c);
    bare += std::string(1, c) + '\0';
  }
  for (const std::string& text : {le, be, bare}) {
    const std::string error = error_of(text);
    EXPECT_NE(error.find("UTF-16"), std::string::npos) << error;
    EXPECT_NE(error.find("save it as UTF-8"), std::string::npos) << error;
    EXPECT_TRUE(printable_ascii(error)) << error;
  }
}

TEST(MoviesFile, BinaryFilesAreRefusedWithoutEchoingTheirBytesSayingWhatTheFileMustBe) {
  for (const std::string& bytes : {std::string("\x7F"
                                               "ELF\x02\x01\x01\0\0\0\x9B[2J\x1B]0;x\x07",
                                               20),
                                   std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16)}) {
    const std::string error = error_of(bytes);
    EXPECT_NE(error.find("binary"), std::string::npos) << error;
    EXPECT_NE(error.find("one title per line"), std::string::npos) << error;
    EXPECT_TRUE(printable_ascii(error)) << error;
  }
}

TEST(MoviesFile, DevZeroIsRefusedAsBinaryAtOnce) {
  const std::string error = error_at("/dev/zero");
  EXPECT_NE(error.find("/dev/zero"), std::string::npos) << error;
  EXPECT_NE(error.find("binary"), std::string::npos) << error;
}

TEST(MoviesFile, ABinaryStreamIsRefusedFromItsFirstBytesNotAfterItsEnd) {
  // The writer never closes the pipe: a loader that reads to the end before looking never returns.
  const testing::UnfinishedPipe pipe(std::string("\x1F\x8B\x08\0\0\0\0\0\0\x03", 10));
  EXPECT_NE(error_at(pipe.path()).find("binary"), std::string::npos);
}

TEST(MoviesFile, AnEndlessStreamOfTitlesIsRefusedAtTheSizeLimit) {
  const testing::UnfinishedPipe pipe("Jeans\n", "Sankofa\n");
  const std::string error = error_at(pipe.path());
  EXPECT_NE(error.find("larger than 64 MiB"), std::string::npos) << error;
}

TEST(MoviesFile, AHugeFileIsRefusedBeforeItIsRead) {
  testing::TempDir dir;
  const auto path = dir.path() / "huge.csv";
  { std::ofstream(path) << "Jeans\n"; }
  std::filesystem::resize_file(path, std::uintmax_t{1} << 40);  // 1 TiB, sparse: nothing is written
  const std::string error = error_at(path);
  EXPECT_NE(error.find(path.string()), std::string::npos) << error;
  EXPECT_NE(error.find("larger than 64 MiB"), std::string::npos) << error;
}

}  // namespace
}  // namespace ratingstream::produce
