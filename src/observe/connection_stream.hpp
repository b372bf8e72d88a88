#pragma once
// cpp-httplib's Stream over an HttpConnection whose request head has already arrived: serves
// the bytes read ahead first, then reads the socket until a deadline; writes wait for the socket
// until a deadline too. Bytes read but not consumed by the request (the start of a pipelined
// one) are handed back with unread(), so the connection can wait for its next request.

#include <httplib.h>

#include <chrono>
#include <optional>
#include <string>

namespace ratingstream::observe {

class ConnectionStream final : public httplib::Stream {
 public:
  using SteadyClock = std::chrono::steady_clock;
  // `io_timeout` bounds reading the rest of the request (its body) from now, and writing the
  // answer from its first byte.
  ConnectionStream(int fd, std::string read_ahead, std::chrono::milliseconds io_timeout);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

  // Whether a read or a write failed or ran out of time: the connection is then not reused.
  bool failed() const { return failed_; }
  std::string unread() const { return buffer_.substr(offset_); }

 private:
  bool wait_for(short events, SteadyClock::time_point deadline) const;
  SteadyClock::time_point write_deadline() const;

  int fd_;
  std::string buffer_;
  std::size_t offset_ = 0;
  std::chrono::milliseconds io_timeout_;
  SteadyClock::time_point read_deadline_;
  mutable std::optional<SteadyClock::time_point> write_deadline_;
  mutable bool failed_ = false;
};

}  // namespace ratingstream::observe
