#include "observe/connection_stream.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ratingstream::observe {
namespace {

void numeric_name(const sockaddr_storage& address, socklen_t length, std::string& ip, int& port) {
  char host[NI_MAXHOST] = {};
  char service[NI_MAXSERV] = {};
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host, sizeof host, service, sizeof service,
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(service);
  }
}

}  // namespace

ConnectionStream::ConnectionStream(int fd, std::string read_ahead, std::chrono::milliseconds io_timeout)
    : fd_(fd),
      buffer_(std::move(read_ahead)),
      io_timeout_(io_timeout),
      read_deadline_(SteadyClock::now() + io_timeout) {}

bool ConnectionStream::wait_for(short events, SteadyClock::time_point deadline) const {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) break;
    pollfd p{fd_, events, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (rc > 0) {
      if (p.revents & (POLLERR | POLLNVAL)) break;
      return true;  // readable, writable, or hung up (the read or write then says which)
    }
    if (rc < 0 && errno != EINTR) break;
  }
  failed_ = true;
  return false;
}

ConnectionStream::SteadyClock::time_point ConnectionStream::write_deadline() const {
  if (!write_deadline_) write_deadline_ = SteadyClock::now() + io_timeout_;
  return *write_deadline_;
}

bool ConnectionStream::is_readable() const { return offset_ < buffer_.size() || wait_for(POLLIN, read_deadline_); }

bool ConnectionStream::is_writable() const { return !failed_ && wait_for(POLLOUT, write_deadline()); }

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (offset_ >= buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
    char chunk[4096];
    for (;;) {
      if (!wait_for(POLLIN, read_deadline_)) return -1;
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
      if (n > 0) {
        buffer_.assign(chunk, static_cast<std::size_t>(n));
        break;
      }
      if (n == 0) return 0;
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        failed_ = true;
        return -1;
      }
    }
  }
  const std::size_t n = std::min(size, buffer_.size() - offset_);
  std::memcpy(ptr, buffer_.data() + offset_, n);
  offset_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  for (;;) {
    if (failed_ || !wait_for(POLLOUT, write_deadline())) return -1;
    const ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) return n;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      failed_ = true;
      return -1;
    }
  }
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) numeric_name(address, length, ip, port);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) numeric_name(address, length, ip, port);
}

}  // namespace ratingstream::observe
