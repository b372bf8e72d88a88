// Rendering a result: cqlsh's table, CSV (RFC 4180 quoting, null vs empty) and JSON; the text of
// timestamps, uuids and two-decimal numbers; padding by display width.

#include "query/output.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <string>

#include "query/cell.hpp"
#include "query/display_width.hpp"

using namespace ratingstream;
using query::Cell;
using query::Format;
using query::Hundredths;
using query::ResultTable;
using rating::TimeZone;

namespace {

// 2025-03-13 19:26:50.863 UTC
constexpr store::Timestamp kRatedAt{1741894010863};

const store::Uuid kId{0xa3, 0xd7, 0x4a, 0x49, 0x78, 0x07, 0x41, 0xa0, 0x9b, 0xa7, 0x05, 0x18, 0xeb, 0x11, 0x53, 0x78};

std::string rendered(Format format, const ResultTable& table, const TimeZone& zone = TimeZone::utc()) {
  return query::render(format, table, zone);
}

ResultTable two_rows() {
  ResultTable t;
  t.columns = {"name", "timestamp", "duration", "movie"};
  t.rows.push_back({Cell(std::string("Ann")), Cell(kRatedAt), Cell(std::int32_t{90}), Cell(std::string("Heat"))});
  t.rows.push_back(
      {Cell(std::string("Bob Marley")), Cell(store::Timestamp{0}), Cell(std::monostate{}), Cell(std::string("Se7en"))});
  return t;
}

TEST(CellText, TimestampsAsCqlshPrintsThem) {
  EXPECT_EQ(query::format_timestamp(kRatedAt, TimeZone::utc()), "2025-03-13 19:26:50.863000+0000");
  EXPECT_EQ(query::format_timestamp(store::Timestamp{0}, TimeZone::utc()), "1970-01-01 00:00:00.000000+0000");
  EXPECT_EQ(query::format_timestamp(store::Timestamp{-1}, TimeZone::utc()), "1969-12-31 23:59:59.999000+0000");
  EXPECT_EQ(query::format_timestamp(kRatedAt, TimeZone::named("Europe/Athens")), "2025-03-13 21:26:50.863000+0200");
  EXPECT_EQ(query::format_timestamp(store::Timestamp{kRatedAt.millis + 120LL * 86'400'000},  // July: summer time
                                    TimeZone::named("Europe/Athens")),
            "2025-07-11 22:26:50.863000+0300");
  // Half-hour offsets, both signs (Newfoundland is on summer time since March 9).
  EXPECT_EQ(query::format_timestamp(kRatedAt, TimeZone::named("America/St_Johns")), "2025-03-13 16:56:50.863000-0230");
  EXPECT_EQ(query::format_timestamp(kRatedAt, TimeZone::named("Asia/Kolkata")), "2025-03-14 00:56:50.863000+0530");
}

TEST(CellText, UuidsLowerCaseWithDashes) {
  EXPECT_EQ(query::format_uuid(kId), "a3d74a49-7807-41a0-9ba7-0518eb115378");
  EXPECT_EQ(query::format_uuid(store::Uuid{}), "00000000-0000-0000-0000-000000000000");
}

TEST(CellText, HundredthsWithTwoDecimals) {
  EXPECT_EQ(query::format_hundredths(Hundredths{9733}), "97.33");
  EXPECT_EQ(query::format_hundredths(Hundredths{9700}), "97.00");
  EXPECT_EQ(query::format_hundredths(Hundredths{5}), "0.05");
  EXPECT_EQ(query::format_hundredths(Hundredths{0}), "0.00");
  EXPECT_EQ(query::format_hundredths(Hundredths{-50}), "-0.50");
  EXPECT_EQ(query::format_hundredths(Hundredths{std::numeric_limits<std::int64_t>::min()}), "-92233720368547758.08");
}

TEST(CellText, OtherTypes) {
  const auto utc = TimeZone::utc();
  EXPECT_EQ(query::cell_text(Cell(std::int32_t{-7}), utc), "-7");
  EXPECT_EQ(query::cell_text(Cell(std::int64_t{1} << 40), utc), "1099511627776");
  EXPECT_EQ(query::cell_text(Cell(0.1), utc), "0.1");
  EXPECT_EQ(query::cell_text(Cell(true), utc), "True");
  EXPECT_EQ(query::cell_text(Cell(std::monostate{}), utc), "");
  EXPECT_EQ(query::to_cell(store::Value(std::int32_t{5})), Cell(std::int32_t{5}));
  EXPECT_EQ(query::to_cell(store::Value(std::monostate{})), Cell(std::monostate{}));
}

TEST(Table, LooksLikeCqlsh) {
  EXPECT_EQ(rendered(Format::table, two_rows()),
            " name       | timestamp                       | duration | movie\n"
            "------------+---------------------------------+----------+-------\n"
            "        Ann | 2025-03-13 19:26:50.863000+0000 |       90 |  Heat\n"
            " Bob Marley | 1970-01-01 00:00:00.000000+0000 |     null | Se7en\n"
            "\n"
            "(2 rows)\n");
}

TEST(Table, EmptyResultKeepsTheHeader) {
  ResultTable t;
  t.columns = {"timestamp", "movie"};
  EXPECT_EQ(rendered(Format::table, t),
            " timestamp | movie\n"
            "-----------+-------\n"
            "\n"
            "(0 rows)\n");
}

TEST(Table, PadsByDisplayWidthNotBytes) {
  ResultTable t;
  t.columns = {"movie", "n"};
  t.rows.push_back({Cell(std::string("Amélie")), Cell(std::int32_t{1})});  // é: 2 bytes, 1 column
  t.rows.push_back({Cell(std::string("Tiempo")), Cell(std::int32_t{2})});
  t.rows.push_back({Cell(std::string("千と千尋")), Cell(std::int32_t{3})});  // wide: 2 columns each
  EXPECT_EQ(rendered(Format::table, t),
            " movie    | n\n"
            "----------+---\n"
            "   Amélie | 1\n"
            "   Tiempo | 2\n"
            " 千と千尋 | 3\n"
            "\n"
            "(3 rows)\n");
}

TEST(Table, EscapesControlCharactersSoARowStaysOneLine) {
  EXPECT_EQ(query::table_cell_text(Cell(std::string("a\nb\tc\r\x01")), TimeZone::utc()), "a\\nb\\tc\\r\\x01");
  EXPECT_EQ(query::table_cell_text(Cell(std::monostate{}), TimeZone::utc()), "null");
  EXPECT_EQ(query::table_cell_text(Cell(std::string()), TimeZone::utc()), "");
}

TEST(Table, ShowsTimesInTheGivenZone) {
  const auto out = rendered(Format::table, two_rows(), TimeZone::named("Europe/Athens"));
  EXPECT_NE(out.find("2025-03-13 21:26:50.863000+0200"), std::string::npos) << out;
}

TEST(Csv, HeaderRowsAndNullsWithCrlfLineEnds) {
  // RFC 4180 section 2: each record ends with CRLF, the last one included.
  EXPECT_EQ(rendered(Format::csv, two_rows()),
            "name,timestamp,duration,movie\r\n"
            "Ann,2025-03-13 19:26:50.863000+0000,90,Heat\r\n"
            "Bob Marley,1970-01-01 00:00:00.000000+0000,,Se7en\r\n");
}

TEST(Csv, NullIsAnEmptyFieldAndTheEmptyTextIsQuoted) {
  // As PostgreSQL's COPY ... CSV writes them, so a reader that keeps quoting apart (COPY FROM,
  // pandas with keep_default_na) tells them apart again.
  ResultTable t;
  t.columns = {"a", "b", "c"};
  t.rows = {{Cell(std::monostate{}), Cell(std::string()), Cell(std::string("x"))},
            {Cell(std::string()), Cell(std::monostate{}), Cell(std::monostate{})}};
  EXPECT_EQ(rendered(Format::csv, t), "a,b,c\r\n,\"\",x\r\n\"\",,\r\n");
}

TEST(Csv, LineBreaksInsideAFieldStayInsideItsQuotes) {
  ResultTable t;
  t.columns = {"movie", "n"};
  t.rows = {{Cell(std::string("two\nlines")), Cell(std::int32_t{1})},
            {Cell(std::string("crlf\r\n")), Cell(std::int32_t{2})}};
  EXPECT_EQ(rendered(Format::csv, t), "movie,n\r\n\"two\nlines\",1\r\n\"crlf\r\n\",2\r\n");
}

TEST(Csv, QuotesAsRfc4180) {
  const auto utc = TimeZone::utc();
  EXPECT_EQ(query::csv_field(Cell(std::string("plain")), utc), "plain");
  EXPECT_EQ(query::csv_field(Cell(std::string("Crouching Tiger, Hidden Dragon")), utc),
            "\"Crouching Tiger, Hidden Dragon\"");
  EXPECT_EQ(query::csv_field(Cell(std::string("The \"Real\" One")), utc), "\"The \"\"Real\"\" One\"");
  EXPECT_EQ(query::csv_field(Cell(std::string("two\nlines")), utc), "\"two\nlines\"");
  EXPECT_EQ(query::csv_field(Cell(std::string("cr\r")), utc), "\"cr\r\"");
  EXPECT_EQ(query::csv_field(Cell(std::string("Amélie")), utc), "Amélie");
  // null is an empty field; the empty text is quoted so the two differ.
  EXPECT_EQ(query::csv_field(Cell(std::monostate{}), utc), "");
  EXPECT_EQ(query::csv_field(Cell(std::string()), utc), "\"\"");
}

TEST(Csv, EmptyResultIsTheHeaderAlone) {
  ResultTable t;
  t.columns = {"timestamp", "movie"};
  EXPECT_EQ(rendered(Format::csv, t), "timestamp,movie\r\n");
}

TEST(Json, OneArrayOneObjectALine) {
  ResultTable t = two_rows();
  t.columns.push_back("id");
  t.columns.push_back("avg");
  t.columns.push_back("seen");
  t.rows[0].insert(t.rows[0].end(), {Cell(kId), Cell(Hundredths{9733}), Cell(true)});
  t.rows[1].insert(t.rows[1].end(), {Cell(std::monostate{}), Cell(std::monostate{}), Cell(false)});
  EXPECT_EQ(rendered(Format::json, t),
            "[\n"
            "{\"name\":\"Ann\",\"timestamp\":\"2025-03-13 19:26:50.863000+0000\",\"duration\":90,\"movie\":\"Heat\","
            "\"id\":\"a3d74a49-7807-41a0-9ba7-0518eb115378\",\"avg\":97.33,\"seen\":true},\n"
            "{\"name\":\"Bob Marley\",\"timestamp\":\"1970-01-01 00:00:00.000000+0000\",\"duration\":null,"
            "\"movie\":\"Se7en\",\"id\":null,\"avg\":null,\"seen\":false}\n"
            "]\n");
}

TEST(Json, EmptyResultIsAnEmptyArray) {
  ResultTable t;
  t.columns = {"movie"};
  EXPECT_EQ(rendered(Format::json, t), "[]\n");
}

TEST(Json, NonFiniteDoublesAreNull) {
  ResultTable t;
  t.columns = {"x", "y"};
  t.rows.push_back({Cell(std::numeric_limits<double>::quiet_NaN()), Cell(2.5)});
  EXPECT_EQ(rendered(Format::json, t), "[\n{\"x\":null,\"y\":2.5}\n]\n");
}

TEST(DisplayWidth, CountsColumnsNotBytes) {
  EXPECT_EQ(query::display_width(""), 0u);
  EXPECT_EQ(query::display_width("Heat"), 4u);
  EXPECT_EQ(query::display_width("Amélie"), 6u);          // precomposed é
  EXPECT_EQ(query::display_width("Ame\xCC\x81lie"), 6u);  // e + combining acute
  EXPECT_EQ(query::display_width("Łódź"), 4u);
  EXPECT_EQ(query::display_width("ليلى"), 4u);  // Arabic
  EXPECT_EQ(query::display_width("a\xE2\x80\x8B"
                                 "b"),
            2u);  // zero-width space (in the catalogue)
  EXPECT_EQ(query::display_width("千と千尋"), 8u);
  EXPECT_EQ(query::display_width("\xF0\x9F\x8E\xAC"), 2u);  // 🎬
  EXPECT_EQ(query::display_width("\xFF"
                                 "a"),
            2u);                                    // a bad byte shows as one replacement character
  EXPECT_EQ(query::display_width("\xE4\xB8"), 2u);  // a cut sequence: its bytes, one each
}

TEST(DisplayWidth, CountsOneCharacterPerGraphemeCluster) {
  // Marks of scripts beyond the Latin, Arabic and Hebrew blocks take no column of their own.
  EXPECT_EQ(query::display_width("नमस्ते"), 4u);                                  // Devanagari: virama and vowel sign
  EXPECT_EQ(query::display_width("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"), 2u);  // 한 as three jamo
  // An emoji ZWJ sequence is drawn as one wide character.
  EXPECT_EQ(query::display_width("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"), 2u);
  EXPECT_EQ(query::display_width("\xE2\x9A\xBD"), 2u);  // ⚽, wide outside the emoji blocks
  EXPECT_EQ(query::display_width("a\tb"), 3u);          // a control character is printed: one column
}

TEST(Format, Names) {
  EXPECT_EQ(query::parse_format("table"), Format::table);
  EXPECT_EQ(query::parse_format("csv"), Format::csv);
  EXPECT_EQ(query::parse_format("json"), Format::json);
  EXPECT_EQ(query::parse_format("xml"), std::nullopt);
  EXPECT_EQ(query::format_names(), (std::vector<std::string>{"table", "csv", "json"}));
}

}  // namespace

TEST(Csv, FormulasPassAsStoredByDefault) {
  const auto utc = TimeZone::utc();
  EXPECT_EQ(query::csv_field(Cell(std::string("=cmd|' /C calc'!A0")), utc), "=cmd|' /C calc'!A0");
  EXPECT_EQ(query::csv_field(Cell(std::string("-Ann")), utc), "-Ann");
}

TEST(Csv, EscapeFormulasPrefixesAQuoteToTextAFormulaCouldStartWith) {
  const auto utc = TimeZone::utc();
  const query::CsvOptions safe{.escape_formulas = true};
  EXPECT_EQ(query::csv_field(Cell(std::string("=cmd|' /C calc'!A0")), utc, safe), "\"'=cmd|' /C calc'!A0\"");
  EXPECT_EQ(query::csv_field(Cell(std::string("+1+1")), utc, safe), "\"'+1+1\"");
  EXPECT_EQ(query::csv_field(Cell(std::string("-2+3")), utc, safe), "\"'-2+3\"");
  EXPECT_EQ(query::csv_field(Cell(std::string("@SUM(A1)")), utc, safe), "\"'@SUM(A1)\"");
  EXPECT_EQ(query::csv_field(Cell(std::string("\t=1")), utc, safe), "\"'\t=1\"");
  EXPECT_EQ(query::csv_field(Cell(std::string("\r=1")), utc, safe), "\"'\r=1\"");
  EXPECT_EQ(query::csv_field(Cell(std::string("=\"x\",1")), utc, safe), "\"'=\"\"x\"\",1\"");  // still RFC 4180
  // Text that cannot start a formula, numbers (a negative one too), null and "" are unchanged.
  EXPECT_EQ(query::csv_field(Cell(std::string("Heat = fire")), utc, safe), "Heat = fire");
  EXPECT_EQ(query::csv_field(Cell(std::int32_t{-5}), utc, safe), "-5");
  EXPECT_EQ(query::csv_field(Cell(Hundredths{-50}), utc, safe), "-0.50");
  EXPECT_EQ(query::csv_field(Cell(std::monostate{}), utc, safe), "");
  EXPECT_EQ(query::csv_field(Cell(std::string()), utc, safe), "\"\"");
  ResultTable t;
  t.columns = {"name", "rating"};
  t.rows = {{Cell(std::string("=HYPERLINK(\"http://x\")")), Cell(std::int32_t{7})}};
  EXPECT_EQ(query::render(Format::csv, t, utc, safe), "name,rating\r\n\"'=HYPERLINK(\"\"http://x\"\")\",7\r\n");
}
