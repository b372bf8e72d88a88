#include "app/config_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "common/errors.hpp"

namespace ratingstream::app {
namespace {

constexpr std::string_view kWhatItShouldBe = "give a UTF-8 TOML text file";

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

std::size_t line_of(const std::string& text, std::size_t offset) {
  return 1 +
         static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// The offset of the first byte that does not belong to valid UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or npos.
std::size_t first_invalid_utf8(const std::string& text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xbf;  // the range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) low = 0xa0;   // overlong
      if (lead == 0xed) high = 0x9f;  // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) low = 0x90;   // overlong
      if (lead == 0xf4) high = 0x8f;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + length > size) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    }
    i += length;
  }
  return std::string::npos;
}

std::string too_large(const std::string& name) {
  return fmt::format("--config {}: larger than a config file may be (1 MiB, {} bytes); {}", name, kMaxConfigFileBytes,
                     kWhatItShouldBe);
}

}  // namespace

std::string read_config_text(const std::filesystem::path& file) {
  const std::string name = file.string();
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. The type is
  // checked before anything is read.
  const FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    const int error = errno;
    if (error == ENOENT) throw InputError(fmt::format("--config {}: no such file; {}", name, kWhatItShouldBe));
    throw InputError(fmt::format("--config {}: cannot open the file: {}", name, std::strerror(error)));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    throw InputError(fmt::format("--config {}: cannot read the file: {}", name, std::strerror(errno)));
  }
  if (S_ISDIR(info.st_mode)) throw InputError(fmt::format("--config {}: is a directory; {}", name, kWhatItShouldBe));
  if (!S_ISREG(info.st_mode)) {
    throw InputError(
        fmt::format("--config {}: not a regular file (a device, FIFO or socket); {}", name, kWhatItShouldBe));
  }
  if (static_cast<std::uintmax_t>(info.st_size) > kMaxConfigFileBytes) throw InputError(too_large(name));

  // The size may change, or be wrong (files under /proc say 0): the bound holds for the read.
  std::string text;
  std::array<char, 64 * 1024> buffer{};
  while (true) {
    const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError(fmt::format("--config {}: cannot read the file: {}", name, std::strerror(errno)));
    if (got == 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(got));
    if (text.size() > kMaxConfigFileBytes) throw InputError(too_large(name));
  }

  if (const auto nul = text.find('\0'); nul != std::string::npos) {
    throw InputError(fmt::format("--config {}: line {} holds a NUL byte, so this is not a text file; {}", name,
                                 line_of(text, nul), kWhatItShouldBe));
  }
  if (const auto bad = first_invalid_utf8(text); bad != std::string::npos) {
    throw InputError(
        fmt::format("--config {}: line {} is not valid UTF-8 text; {}", name, line_of(text, bad), kWhatItShouldBe));
  }
  return text;
}

std::string description_without_input(std::string_view description) {
  std::string text(description);
  // What the parser saw comes last ("expected '=', saw '\"'", "..., saw 13"); the column of
  // the message points at it.
  if (auto saw = text.find(", saw "); saw != std::string::npos) {
    text.erase(saw);
  } else if (saw = text.find(" saw "); saw != std::string::npos) {
    text.erase(saw);
  }
  // Descriptions that quote the input in the middle are replaced whole (the prefix, such as
  // "Error while parsing string: ", stays).
  if (const auto escape = text.find("unknown escape sequence"); escape != std::string::npos) {
    return text.substr(0, escape) +
           "unknown escape sequence (write \\\\ for a backslash in a \"string\", or use a literal string in single "
           "quotes)";
  }
  // "'12x' could not be interpreted as a value", "'0x1...' is not representable in 64 bits",
  // "an unspecified error occurred while trying to interpret '...' as a value".
  for (const auto& [suffix, replacement] :
       {std::pair<std::string_view, std::string_view>{"' could not be interpreted as a value",
                                                      "a value could not be read (a string needs quotes)"},
        {"' is not representable in 64 bits", "a number is too large for 64 bits"},
        {"' as a value", "a value could not be read (a string needs quotes)"}}) {
    if (text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const auto colon = text.rfind(": ", text.find('\''));  // the end of "Error while parsing value: "
      return (colon == std::string::npos ? std::string() : text.substr(0, colon + 2)) + std::string(replacement);
    }
  }
  // Whatever is still quoted: fixed tokens and plain key names stay, anything else goes.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto open = text.find('\'', i);
    if (open == std::string::npos) {
      out.append(text, i, std::string::npos);
      break;
    }
    const auto close = text.find('\'', open + 1);
    if (close == std::string::npos) {  // an unbalanced quote: keep the text before it only
      out.append(text, i, open - i);
      break;
    }
    const std::string_view piece(text.data() + open + 1, close - open - 1);
    const bool plain_name = !piece.empty() && std::all_of(piece.begin(), piece.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
             c == '.';
    });
    constexpr std::array<std::string_view, 11> kTokens{"=", "]", "}", ",", "[", "{", "\\n", "\\v", "\\f", "\\e", "\\x"};
    const bool token = std::find(kTokens.begin(), kTokens.end(), piece) != kTokens.end();
    out.append(text, i, open - i);
    out += (plain_name || token) ? "'" + std::string(piece) + "'" : std::string("(not shown)");
    i = close + 1;
  }
  return out;
}

toml::table parse_config_toml(const std::string& text, const std::filesystem::path& file) {
  try {
    return toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    std::string what = description_without_input(e.description());
    if (what.ends_with("expected '='")) what += " (write key = value, a string in quotes)";
    if (what.ends_with("could not determine value type")) what += " (a string needs quotes)";
    if (what.find("control characters") != std::string::npos && what.find("parsing string") != std::string::npos) {
      what += " (a string not closed on its line?)";
    }
    throw InputError(fmt::format("{}:{}:{}: not valid TOML: {}", file.string(), e.source().begin.line,
                                 e.source().begin.column, what));
  }
}

}  // namespace ratingstream::app
