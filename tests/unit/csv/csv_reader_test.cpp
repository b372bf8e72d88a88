#include "csv/csv_reader.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

using ratingstream::csv::FileError;
using ratingstream::csv::for_each_record;
using ratingstream::csv::ParseError;
using ratingstream::csv::Record;

namespace {
std::vector<Record> records_of(std::string_view text) {
  std::vector<Record> out;
  for_each_record(text, [&](const Record& r) { out.push_back(r); });
  return out;
}
}  // namespace

TEST(CsvReader, QuotedFieldsKeepCommasQuotesAndNewlines) {
  const auto rs = records_of("a,\"b, c\",\"say \"\"hi\"\"\"\n\"multi\nline\",x\n");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].fields, (std::vector<std::string>{"a", "b, c", "say \"hi\""}));
  EXPECT_EQ(rs[1].fields, (std::vector<std::string>{"multi\nline", "x"}));
  EXPECT_EQ(rs[1].line, 2u);
}

TEST(CsvReader, SkipsBlankLinesAndCountsPhysicalLines) {
  const auto rs = records_of("\xEF\xBB\xBFone\n\n\r\ntwo\r\nthree");
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].fields[0], "one");
  EXPECT_EQ(rs[0].line, 1u);
  EXPECT_EQ(rs[1].fields[0], "two");
  EXPECT_EQ(rs[1].line, 4u);
  EXPECT_EQ(rs[2].fields[0], "three");  // no final newline
  EXPECT_EQ(rs[2].line, 5u);
}

TEST(CsvReader, KeepsUtf8AndEmptyFields) {
  const auto rs = records_of(
      "Naruto Shipp\xC3\xBB"
      "den,,x\n");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].fields, (std::vector<std::string>{"Naruto Shipp\xC3\xBB"
                                                    "den",
                                                    "", "x"}));
}

TEST(CsvReader, UnterminatedQuoteIsAParseErrorWithItsLine) {
  try {
    records_of("ok\n\"never closed,\nmore\n");
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2u);
  }
}

TEST(CsvReader, QuoteInsideAnUnquotedFieldIsAParseError) { EXPECT_THROW(records_of("fine\nbad\"field\n"), ParseError); }

TEST(CsvReader, EmptyTextHasNoRecords) { EXPECT_TRUE(records_of("").empty()); }

TEST(CsvReader, ReadFileNamesAMissingPath) {
  try {
    ratingstream::csv::read_file("/nonexistent/movies.csv");
    FAIL() << "expected FileError";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/movies.csv"), std::string::npos);
  }
  ratingstream::testing::TempDir dir;
  EXPECT_THROW(ratingstream::csv::read_file(dir.path()), FileError);
  EXPECT_EQ(ratingstream::csv::read_file(dir.write("f.csv", "x,y\n")), "x,y\n");
}
