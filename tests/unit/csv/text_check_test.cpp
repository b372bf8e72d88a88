// Telling UTF-8 text from other encodings and binary data, and the bounds on what is read.

#include "csv/text_check.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "csv/csv_reader.hpp"
#include "test_support.hpp"
#include "unfinished_pipe.hpp"

namespace ratingstream::csv {
namespace {

// The TextError of checking `text` (problem, line, what), or nothing when it is text.
struct Outcome {
  bool refused = false;
  TextProblem problem{};
  std::size_t line = 0;
  std::string what;
};

template <typename F>
Outcome outcome_of(F&& f) {
  try {
    f();
  } catch (const TextError& e) {
    return {true, e.problem(), e.line(), e.what()};
  }
  return {};
}

Outcome check(std::string_view text) {
  return outcome_of([&] { check_text(text); });
}

bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

std::string bytes(const char* data, std::size_t size) { return std::string(data, size); }

TEST(TextCheck, Utf8TextIsText) {
  for (const std::string& text : {std::string(), std::string("plain\nascii\r\n"),
                                  std::string("\xEF\xBB\xBF"
                                              "bom\n"),
                                  std::string("Naruto Shipp\xC3\xBB"
                                              "den \xE5\x8D\x83 \xF0\x9F\x8E\xAC\n"),
                                  std::string("tabs\tand \x1B escapes are text\n")}) {
    EXPECT_FALSE(check(text).refused) << text;
  }
}

TEST(TextCheck, ByteOrderMarksOfOtherEncodingsAreNamed) {
  const auto utf16le =
      check(bytes("\xFF\xFE"
                  "a\0",
                  4));
  EXPECT_TRUE(utf16le.refused);
  EXPECT_EQ(utf16le.problem, TextProblem::other_encoding);
  EXPECT_EQ(utf16le.line, 1u);
  EXPECT_NE(utf16le.what.find("UTF-16"), std::string::npos) << utf16le.what;
  EXPECT_NE(check(bytes("\xFE\xFF\0a", 4)).what.find("UTF-16"), std::string::npos);
  EXPECT_NE(check(bytes("\xFF\xFE\0\0a\0\0\0", 8)).what.find("UTF-32"), std::string::npos);
  EXPECT_NE(check(bytes("\0\0\xFE\xFF\0\0\0a", 8)).what.find("UTF-32"), std::string::npos);
}

TEST(TextCheck, Utf16WithoutAByteOrderMarkIsToldFromBinaryData) {
  std::string le, be;
  for (const char c : std::string("show_id,title\ns1,Jeans\n")) {
    le += std::string(1, c) + '\0';
    be += '\0' + std::string(1, c);
  }
  EXPECT_NE(check(le).what.find("UTF-16 text (little-endian"), std::string::npos) << check(le).what;
  EXPECT_NE(check(be).what.find("UTF-16 text (big-endian"), std::string::npos) << check(be).what;
  EXPECT_EQ(check(le).problem, TextProblem::other_encoding);
  const auto elf =
      check(bytes("\x7F"
                  "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
                  20));
  EXPECT_EQ(elf.problem, TextProblem::binary);
  EXPECT_NE(elf.what.find("binary"), std::string::npos);
}

TEST(TextCheck, ANulByteAnywhereIsBinaryAtItsLine) {
  const auto nul = check(std::string("one\ntwo\nthr") + '\0' + "ee\n" + std::string(10'000, 'x'));
  EXPECT_TRUE(nul.refused);
  EXPECT_EQ(nul.problem, TextProblem::binary);
  EXPECT_EQ(nul.line, 3u);
}

TEST(TextCheck, InvalidUtf8IsAnotherEncodingAtItsLine) {
  for (const std::string& bad : {std::string("caf\xE9"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                                 std::string("\xF4\x90\x80\x80"), std::string("cut \xE2\x82"), std::string("\xFF")}) {
    const auto result = check("fine\nalso fine\n" + bad + "\nlater\n");
    EXPECT_TRUE(result.refused) << bad;
    EXPECT_EQ(result.problem, TextProblem::other_encoding) << bad;
    EXPECT_EQ(result.line, 3u) << bad;
    EXPECT_TRUE(printable_ascii(result.what)) << result.what;
  }
}

TEST(TextCheck, TheStartOfAFileMayEndInTheMiddleOfACharacter) {
  // The next read brings the rest of the character.
  for (const std::string& start : {std::string("caf\xC3"), std::string("x \xE2\x82"), std::string("x \xF0\x9F\x8E")}) {
    EXPECT_FALSE(outcome_of([&] { check_text_start(start); }).refused) << start;
    EXPECT_TRUE(check(start).refused) << start;  // but not a whole file that ends so
  }
  EXPECT_TRUE(outcome_of([&] { check_text_start("caf\xC3x"); }).refused);
  EXPECT_TRUE(outcome_of([&] { check_text_start(bytes("ab\0", 3)); }).refused);
  EXPECT_TRUE(outcome_of([&] { check_text_start("\xFF\xFE"); }).refused);
}

TEST(TextCheck, SizesAreWrittenAsPeopleReadThem) {
  EXPECT_EQ(describe_size(64 * 1024 * 1024), "64 MiB");
  EXPECT_EQ(describe_size(1024), "1 KiB");
  EXPECT_EQ(describe_size(1000), "1000 bytes");
  EXPECT_EQ(describe_size(1), "1 byte");
}

TEST(RecordLimit, ARecordLongerThanTheLimitIsRefusedAtTheLineWhereItStarts) {
  std::vector<Record> records;
  const auto collect = [&](std::string_view text, std::size_t limit) {
    records.clear();
    return outcome_of([&] {
      for_each_record(
          text, [&](const Record& r) { records.push_back(r); }, limit);
    });
  };
  EXPECT_FALSE(collect("123456789\n\n\nabc\n", 10).refused);  // 10 bytes with its newline; blank lines are not records
  EXPECT_EQ(records.size(), 2u);
  const auto long_line = collect("ok\n1234567890\n", 10);
  EXPECT_TRUE(long_line.refused);
  EXPECT_EQ(long_line.problem, TextProblem::too_long);
  EXPECT_EQ(long_line.line, 2u);
  EXPECT_NE(long_line.what.find("longer than 10 bytes"), std::string::npos) << long_line.what;
  // A quoted field over several lines is one record: its lines add up.
  const auto multi_line = collect("ok\n\"12\n34\n56\n78\"\n", 10);
  EXPECT_TRUE(multi_line.refused);
  EXPECT_EQ(multi_line.line, 2u);
  EXPECT_NE(collect(std::string(3 << 20, 'x'), kMaxRecordBytes).what.find("longer than 1 MiB"), std::string::npos);
}

TEST(RecordLimit, TextThatIsNotUtf8IsRefusedBeforeAnyRecord) {
  std::size_t seen = 0;
  const auto result = outcome_of([&] { for_each_record("a\nb\nc\xE9\n", [&](const Record&) { ++seen; }); });
  EXPECT_TRUE(result.refused);
  EXPECT_EQ(result.line, 3u);
  EXPECT_EQ(seen, 0u);
}

TEST(ReadFile, AFileOfTheLimitIsReadAndOneByteMoreIsRefusedUnread) {
  testing::TempDir dir;
  EXPECT_EQ(read_file(dir.write("at.csv", std::string(100, 'x')), 100), std::string(100, 'x'));
  const auto over = outcome_of([&] { read_file(dir.write("over.csv", std::string(101, 'x')), 100); });
  EXPECT_TRUE(over.refused);
  EXPECT_EQ(over.problem, TextProblem::too_large);
  EXPECT_EQ(over.line, 0u);
  EXPECT_NE(over.what.find("larger than 100 bytes"), std::string::npos) << over.what;
}

TEST(ReadFile, AStreamIsReadUpToTheLimitOnly) {
  const testing::UnfinishedPipe pipe("start\n", "more\n");
  const auto result = outcome_of([&] { read_file(pipe.path(), 1000); });
  EXPECT_EQ(result.problem, TextProblem::too_large);
}

TEST(ReadFile, AStreamThatStartsWithBinaryDataIsRefusedBeforeItEnds) {
  const testing::UnfinishedPipe pipe(bytes("\x1F\x8B\x08\0", 4));
  const auto result = outcome_of([&] { read_file(pipe.path()); });
  EXPECT_EQ(result.problem, TextProblem::binary);
  const testing::UnfinishedPipe utf16(bytes("\xFF\xFEs\0", 4));
  EXPECT_EQ(outcome_of([&] { read_file(utf16.path()); }).problem, TextProblem::other_encoding);
}

TEST(ReadFile, TextAfterItsStartIsLeftToTheFullCheck) {
  // Only the start is looked at while reading; the whole is checked by for_each_record.
  testing::TempDir dir;
  const std::string text = std::string(100'000, 'x') + "\n\xE9\n";
  const auto path = dir.write("late.csv", text);
  EXPECT_EQ(read_file(path), text);
  const auto result = outcome_of([&] { for_each_record(text, [](const Record&) {}); });
  EXPECT_EQ(result.problem, TextProblem::other_encoding);
  EXPECT_EQ(result.line, 2u);
}

}  // namespace
}  // namespace ratingstream::csv
