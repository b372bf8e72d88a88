#include "csv/csv_reader.hpp"

#include <csv.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ratingstream::csv {
namespace {

// State shared with libcsv's C callbacks.
struct Collector {
  const std::function<void(const Record&)>* on_record = nullptr;
  std::size_t current_line = 1;
  std::size_t record_start_line = 1;  // where the record being parsed began
  Record record;
  bool record_open = false;
};

void on_field(void* data, std::size_t len, void* user) {
  auto* c = static_cast<Collector*>(user);
  if (!c->record_open) {
    c->record_open = true;
    c->record.line = c->record_start_line;
    c->record.fields.clear();
  }
  c->record.fields.emplace_back(static_cast<const char*>(data), len);
}

void on_record_end(int /*terminator*/, void* user) {
  auto* c = static_cast<Collector*>(user);
  if (!c->record_open) return;  // libcsv reports nothing for blank lines; be safe anyway
  c->record_open = false;
  (*c->on_record)(c->record);
}

// RAII owner of a libcsv parser.
class Parser {
 public:
  Parser() {
    if (csv_init(&p_, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
  }
  ~Parser() { csv_free(&p_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  csv_parser* get() { return &p_; }

 private:
  csv_parser p_{};
};

}  // namespace

void for_each_record(std::string_view text, const std::function<void(const Record&)>& on_record) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

  Collector collector;
  collector.on_record = &on_record;
  Parser parser;

  // Feed one physical line at a time so records can be tagged with their starting line.
  // libcsv hands a field over only once it has seen what ends it, possibly lines later, so the
  // start of a record is taken from the parser's state: a line fed while no row has begun is
  // where the next record starts. (0 is libcsv's ROW_NOT_BEGUN; its header does not name it.)
  constexpr int kRowNotBegun = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (parser.get()->pstate == kRowNotBegun) collector.record_start_line = collector.current_line;
    std::size_t end = text.find('\n', pos);
    end = (end == std::string_view::npos) ? text.size() : end + 1;
    const std::size_t len = end - pos;
    if (csv_parse(parser.get(), text.data() + pos, len, on_field, on_record_end, &collector) != len) {
      throw ParseError(collector.current_line, csv_strerror(csv_error(parser.get())));
    }
    ++collector.current_line;
    pos = end;
  }
  if (csv_fini(parser.get(), on_field, on_record_end, &collector) != 0) {
    throw ParseError(collector.record_start_line, std::string(csv_strerror(csv_error(parser.get()))) +
                               " (a quoted field is never closed)");
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw FileError(path.string() + ": is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw FileError(path.string() + ": cannot open (" + std::strerror(errno) + ")");
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw FileError(path.string() + ": read error");
  return std::move(out).str();
}

}  // namespace ratingstream::csv
