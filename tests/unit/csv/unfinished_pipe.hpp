#pragma once
// A pipe whose writer has sent some bytes and keeps it open, as a device or a network mount that
// is slow or never ends would: a reader that waits for the end of such a file never returns.
// Closing happens in the destructor, after the test has looked at what the reader did.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

namespace ratingstream::testing {

class UnfinishedPipe {
 public:
  // `start` is written at once; then, when `endless` is not empty, it is written over and over
  // until the reader goes away (an endless stream, like /dev/zero or `yes`).
  explicit UnfinishedPipe(std::string start, std::string endless = {}) {
    std::signal(SIGPIPE, SIG_IGN);  // a writer whose reader left gets EPIPE instead of dying
    if (::pipe(fds_) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
    // Written in blocks of 64 KiB or more: one write per repetition would make the test slow.
    std::string block;
    while (!endless.empty() && block.size() < 64 * 1024) block += endless;
    writer_ = std::thread([this, start = std::move(start), endless = std::move(block)] {
      if (!write_all(start)) return;
      while (!endless.empty() && write_all(endless)) {
      }
    });
  }
  ~UnfinishedPipe() {
    ::close(fds_[0]);  // the writer, blocked on a full pipe, gets EPIPE
    writer_.join();
    ::close(fds_[1]);
  }
  UnfinishedPipe(const UnfinishedPipe&) = delete;
  UnfinishedPipe& operator=(const UnfinishedPipe&) = delete;

  // A path that opens the read end (the pipe stays open for writing while this object lives).
  std::string path() const { return "/proc/self/fd/" + std::to_string(fds_[0]); }

 private:
  bool write_all(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fds_[1], bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  int fds_[2] = {-1, -1};
  std::thread writer_;
};

}  // namespace ratingstream::testing
