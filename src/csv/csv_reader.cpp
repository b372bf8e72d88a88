#include "csv/csv_reader.hpp"

#include <csv.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

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

void for_each_record(std::string_view text, const std::function<void(const Record&)>& on_record,
                     std::size_t max_record_bytes) {
  check_text(text);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

  Collector collector;
  collector.on_record = &on_record;
  Parser parser;

  // Feed one physical line at a time so records can be tagged with their starting line.
  // libcsv hands a field over only once it has seen what ends it, possibly lines later, so the
  // start of a record is taken from the parser's state: a line fed while no row has begun is
  // where the next record starts. (0 is libcsv's ROW_NOT_BEGUN; its header does not name it.)
  // The record's length is counted the same way and checked before a line is fed, so libcsv
  // never buffers more than max_record_bytes.
  constexpr int kRowNotBegun = 0;
  std::size_t record_bytes = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (parser.get()->pstate == kRowNotBegun) {
      collector.record_start_line = collector.current_line;
      record_bytes = 0;
    }
    std::size_t end = text.find('\n', pos);
    end = (end == std::string_view::npos) ? text.size() : end + 1;
    const std::size_t len = end - pos;
    record_bytes += len;
    if (record_bytes > max_record_bytes) {
      throw TextError(TextProblem::too_long, collector.record_start_line,
                      "a record longer than " + describe_size(max_record_bytes) + ", the most one may hold");
    }
    if (csv_parse(parser.get(), text.data() + pos, len, on_field, on_record_end, &collector) != len) {
      throw ParseError(collector.current_line, csv_strerror(csv_error(parser.get())));
    }
    ++collector.current_line;
    pos = end;
  }
  if (csv_fini(parser.get(), on_field, on_record_end, &collector) != 0) {
    throw ParseError(collector.record_start_line,
                     std::string(csv_strerror(csv_error(parser.get()))) + " (a quoted field is never closed)");
  }
}

namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

TextError too_large(std::size_t max_file_bytes) {
  return TextError(TextProblem::too_large, 0,
                   "larger than " + describe_size(max_file_bytes) + ", the most an input file may hold");
}

}  // namespace

std::string read_file(const std::filesystem::path& path, std::size_t max_file_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw FileError(path.string() + ": is a directory, not a file");
  }
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    throw FileError(path.string() + ": cannot open (" + std::strerror(errno) + ")");
  }
  std::string text;
  struct stat status {};
  if (::fstat(fd.get(), &status) == 0 && S_ISREG(status.st_mode)) {
    if (static_cast<std::uintmax_t>(status.st_size) > max_file_bytes) throw too_large(max_file_bytes);
    text.reserve(static_cast<std::size_t>(status.st_size));
  }
  // The start is checked as soon as it arrives, until it is long enough to tell: a device or a
  // pipe may never end, and a large binary file should not be read whole to be refused.
  constexpr std::size_t kChunk = 64 * 1024;
  constexpr std::size_t kStartBytes = 4096;
  while (true) {
    const std::size_t had = text.size();
    const std::size_t want = std::min(kChunk, max_file_bytes + 1 - had);
    text.resize(had + want);
    const ssize_t got = ::read(fd.get(), text.data() + had, want);
    if (got < 0) {
      text.resize(had);
      if (errno == EINTR) continue;
      throw FileError(path.string() + ": read error (" + std::strerror(errno) + ")");
    }
    text.resize(had + static_cast<std::size_t>(got));
    if (got == 0) break;
    if (text.size() > max_file_bytes) throw too_large(max_file_bytes);
    if (had < kStartBytes) check_text_start(text);
  }
  return text;
}

}  // namespace ratingstream::csv
