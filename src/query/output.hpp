#pragma once
// The three shapes of a query's result on stdout (--format):
//   table  cqlsh's: header, `-+-` rule, values right-aligned, a blank line, `(N rows)`; null
//          is `null`; control characters in text are escaped (`\n`) so a row stays one line;
//          columns are padded by display width (display_width.hpp), not bytes.
//   csv    RFC 4180: a header record, then one record per row, each ending in CRLF; a field
//          holding `,` `"` CR or LF is quoted, `"` doubled, line breaks inside a field kept as
//          they are. Null is an empty field and the empty text `""`, as PostgreSQL's COPY CSV
//          writes them, so the two stay apart. Text is written as stored (lossless, for
//          programs); CsvOptions::escape_formulas makes it safe to open in a spreadsheet.
//   json   one JSON array of objects, one object a line (a valid document for jq, and still
//          one row a line for grep); null is JSON null, numbers are numbers, timestamps and
//          uuids strings.
// Timestamps read as cqlsh prints them (`2025-03-13 19:26:50.863000+0000`) in every format.

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/cell.hpp"
#include "rating/time_zone.hpp"

namespace ratingstream::query {

enum class Format { table, csv, json };

// "table", "csv", "json", in that order (the values --format accepts).
const std::vector<std::string>& format_names();
std::optional<Format> parse_format(std::string_view name);

// Receives a result as it is read, so csv and json stream any number of rows in constant
// memory; the table keeps its rows until end() because every row must be read to know the
// widths of its columns.
class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  virtual void begin(const std::vector<std::string>& columns) = 0;
  virtual void row(const std::vector<Cell>& cells) = 0;  // as many cells as columns
  virtual void end() = 0;
};

struct CsvOptions {
  // A text field that a spreadsheet would run as a formula (it starts with = + - @ TAB or CR,
  // OWASP's list for CSV injection) gets a leading `'`, which spreadsheets show as text. Off by
  // default: it changes the data (a name "-Ann" reads back as "'-Ann"), and the names and
  // titles come from whoever writes to the topic, so turn it on for files meant for people.
  bool escape_formulas = false;
};

// A writer of `format` to `out`, timestamps shown in `zone`.
std::unique_ptr<ResultWriter> make_writer(Format format, std::ostream& out, const rating::TimeZone& zone,
                                          const CsvOptions& csv = {});

// A whole result in memory: what a small question returns, and what tests render.
struct ResultTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

void write_table(const ResultTable& table, ResultWriter& writer);
std::string render(Format format, const ResultTable& table, const rating::TimeZone& zone, const CsvOptions& csv = {});

// The pieces, for tests: one CSV field, a text as it shows in a table cell. (JSON strings are
// written by common/json.hpp.)
std::string csv_field(const Cell& cell, const rating::TimeZone& zone, const CsvOptions& options = {});
std::string table_cell_text(const Cell& cell, const rating::TimeZone& zone);

}  // namespace ratingstream::query
