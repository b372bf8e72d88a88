// Fuzz target: the movies-file loader (src/produce/movies_file.hpp), and through it the CSV
// reader. produce/movies_file.hpp offers only load_movies(path), so each input is written to an
// in-memory file (memfd) and read back through /proc/self/fd/<n>: the same code path as a real
// --movies file, without touching the disk. load_movies() either returns the titles or throws
// InputError; anything else is a finding. Checked besides: an InputError message is one
// non-empty line naming the path, with no raw bytes of the input (valid UTF-8, no control
// characters); every title returned is non-empty, not blank, valid UTF-8, makes messages the
// processor accepts, and appears in the input (a title is a substring of the file unless it was
// quoted).

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "common/errors.hpp"
#include "fuzz_support.hpp"
#include "produce/message_check.hpp"
#include "produce/movies_file.hpp"

namespace {

struct MemFile {
  int fd = -1;
  std::string path;
  MemFile() {
    fd = memfd_create("fuzz-movies", MFD_CLOEXEC);
    if (fd < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    path = "/proc/self/fd/" + std::to_string(fd);
  }
  void set(const std::uint8_t* data, std::size_t size) {
    if (ftruncate(fd, 0) != 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static MemFile file;
  file.set(data, size);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const std::vector<std::string> titles = ratingstream::produce::load_movies(file.path);
    RS_FUZZ_CHECK(!titles.empty(), "no titles returned without an error");
    for (const auto& title : titles) {
      RS_FUZZ_CHECK(!title.empty(), "empty title");
      RS_FUZZ_CHECK(title.find_first_not_of(" \t\r") != std::string::npos, title);
      RS_FUZZ_CHECK(ratingstream::fuzz::valid_utf8(title), title);
      RS_FUZZ_CHECK(!ratingstream::produce::refusal_of_messages("x", title), title);
      RS_FUZZ_CHECK(title.find('"') != std::string::npos || text.find(title) != std::string_view::npos, title);
    }
  } catch (const ratingstream::InputError& e) {
    const std::string_view message = e.what();
    RS_FUZZ_CHECK(!message.empty(), "empty InputError");
    RS_FUZZ_CHECK(message.find('\n') == std::string_view::npos, message);
    RS_FUZZ_CHECK(message.find(file.path) != std::string_view::npos, message);
    RS_FUZZ_CHECK(ratingstream::fuzz::printable(message), message);
  } catch (const std::exception& e) {
    ratingstream::fuzz::fail("load_movies threw something other than InputError:", e.what());
  }
  return 0;
}
