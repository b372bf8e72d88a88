#include "query/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <sstream>
#include <type_traits>

#include "common/json.hpp"
#include "query/display_width.hpp"

namespace ratingstream::query {
namespace {

bool is_null(const Cell& cell) { return std::holds_alternative<std::monostate>(cell); }

// ---- table ---------------------------------------------------------------------------------

// cqlsh's layout (cqlshlib print_formatted_result): ' ' + header cells left-aligned and joined
// by ' | ', the line's trailing spaces removed; '-' + rules joined by '-+-' + '-'; ' ' + value
// cells right-aligned; then a blank line and "(N rows)". cqlsh's leading blank line is left
// out: it separates results from the prompt, and there is no prompt here.
class TableWriter final : public ResultWriter {
 public:
  TableWriter(std::ostream& out, rating::TimeZone zone) : out_(out), zone_(std::move(zone)) {}

  void begin(const std::vector<std::string>& columns) override {
    columns_ = columns;
    widths_.clear();
    for (const auto& c : columns_) widths_.push_back(display_width(c));
  }

  void row(const std::vector<Cell>& cells) override {
    std::vector<std::string> texts;
    texts.reserve(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
      texts.push_back(table_cell_text(cells[i], zone_));
      widths_[i] = std::max(widths_[i], display_width(texts.back()));
    }
    rows_.push_back(std::move(texts));
  }

  void end() override {
    std::string line = " ";
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) line += " | ";
      line += columns_[i];
      line.append(widths_[i] - display_width(columns_[i]), ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out_ << line << '\n';

    line = "-";
    for (std::size_t i = 0; i < widths_.size(); ++i) {
      if (i > 0) line += "-+-";
      line.append(widths_[i], '-');
    }
    out_ << line << "-\n";

    for (const auto& texts : rows_) {
      line = " ";
      for (std::size_t i = 0; i < texts.size(); ++i) {
        if (i > 0) line += " | ";
        line.append(widths_[i] - display_width(texts[i]), ' ');
        line += texts[i];
      }
      out_ << line << '\n';
    }
    out_ << "\n(" << rows_.size() << " rows)\n";
    out_.flush();
  }

 private:
  std::ostream& out_;
  rating::TimeZone zone_;
  std::vector<std::string> columns_;
  std::vector<std::size_t> widths_;
  std::vector<std::vector<std::string>> rows_;
};

// ---- csv -----------------------------------------------------------------------------------

void write_csv_line(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out << ',';
    out << fields[i];
  }
  out << "\r\n";
}

bool looks_like_formula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

std::string csv_quoted_if_needed(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos && !text.empty()) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

class CsvWriter final : public ResultWriter {
 public:
  CsvWriter(std::ostream& out, rating::TimeZone zone, CsvOptions options)
      : out_(out), zone_(std::move(zone)), options_(options) {}

  void begin(const std::vector<std::string>& columns) override {
    std::vector<std::string> header;
    for (const auto& c : columns) header.push_back(csv_quoted_if_needed(c));
    write_csv_line(out_, header);
  }
  void row(const std::vector<Cell>& cells) override {
    std::vector<std::string> fields;
    fields.reserve(cells.size());
    for (const auto& cell : cells) fields.push_back(csv_field(cell, zone_, options_));
    write_csv_line(out_, fields);
  }
  void end() override { out_.flush(); }

 private:
  std::ostream& out_;
  rating::TimeZone zone_;
  CsvOptions options_;
};

// ---- json ----------------------------------------------------------------------------------

std::string json_value(const Cell& cell, const rating::TimeZone& zone) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          return std::isfinite(v) ? fmt::format("{}", v) : "null";  // JSON has no NaN or Infinity
        } else if constexpr (std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t> ||
                             std::is_same_v<T, Hundredths>) {
          return cell_text(cell, zone);
        } else {  // text, timestamp, uuid
          return json_string(cell_text(cell, zone));
        }
      },
      cell);
}

class JsonWriter final : public ResultWriter {
 public:
  JsonWriter(std::ostream& out, rating::TimeZone zone) : out_(out), zone_(std::move(zone)) {}

  void begin(const std::vector<std::string>& columns) override {
    keys_.clear();
    for (const auto& c : columns) keys_.push_back(json_string(c));
    rows_ = 0;
    out_ << '[';
  }
  void row(const std::vector<Cell>& cells) override {
    out_ << (rows_++ == 0 ? "\n{" : ",\n{");
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out_ << ',';
      out_ << keys_[i] << ':' << json_value(cells[i], zone_);
    }
    out_ << '}';
  }
  void end() override {
    out_ << (rows_ == 0 ? "]\n" : "\n]\n");
    out_.flush();
  }

 private:
  std::ostream& out_;
  rating::TimeZone zone_;
  std::vector<std::string> keys_;
  std::size_t rows_ = 0;
};

}  // namespace

const std::vector<std::string>& format_names() {
  static const std::vector<std::string> names{"table", "csv", "json"};
  return names;
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "csv") return Format::csv;
  if (name == "json") return Format::json;
  return std::nullopt;
}

std::unique_ptr<ResultWriter> make_writer(Format format, std::ostream& out, const rating::TimeZone& zone,
                                          const CsvOptions& csv) {
  switch (format) {
    case Format::table: return std::make_unique<TableWriter>(out, zone);
    case Format::csv: return std::make_unique<CsvWriter>(out, zone, csv);
    case Format::json: return std::make_unique<JsonWriter>(out, zone);
  }
  return nullptr;
}

void write_table(const ResultTable& table, ResultWriter& writer) {
  writer.begin(table.columns);
  for (const auto& row : table.rows) writer.row(row);
  writer.end();
}

std::string render(Format format, const ResultTable& table, const rating::TimeZone& zone, const CsvOptions& csv) {
  std::ostringstream out;
  write_table(table, *make_writer(format, out, zone, csv));
  return out.str();
}

std::string csv_field(const Cell& cell, const rating::TimeZone& zone, const CsvOptions& options) {
  if (is_null(cell)) return {};
  // Only text can hold a formula: numbers, times and uuids are written by us (a negative number
  // is a number to a spreadsheet, not a formula).
  if (const auto* text = std::get_if<std::string>(&cell);
      text && options.escape_formulas && looks_like_formula(*text)) {
    std::string quoted = "\"'";
    for (const char c : *text) {
      if (c == '"') quoted += '"';
      quoted += c;
    }
    return quoted + '"';
  }
  return csv_quoted_if_needed(cell_text(cell, zone));  // the empty text is quoted: "" is not null
}

std::string table_cell_text(const Cell& cell, const rating::TimeZone& zone) {
  if (is_null(cell)) return "null";
  const std::string text = cell_text(cell, zone);
  std::string shown;
  shown.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      shown += "\\n";
    } else if (c == '\r') {
      shown += "\\r";
    } else if (c == '\t') {
      shown += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      shown += fmt::format("\\x{:02x}", byte);
    } else {
      shown += c;
    }
  }
  return shown;
}

}  // namespace ratingstream::query
