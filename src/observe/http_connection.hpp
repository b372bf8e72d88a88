#pragma once
// One accepted HTTP connection: its socket, the bytes read from it but not yet consumed (a
// request head, the start of a pipelined one), and how many requests it has had answered.
// Owns the socket: destroying a connection closes it, so a connection dropped anywhere (a full
// waiting room, a pool shutting down) never leaks a descriptor.

#include <cstddef>
#include <string>

namespace ratingstream::observe {

class HttpConnection {
 public:
  explicit HttpConnection(int fd) : fd_(fd) {}
  ~HttpConnection();
  HttpConnection(HttpConnection&& other) noexcept;
  HttpConnection& operator=(HttpConnection&& other) noexcept;
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  int fd() const { return fd_; }
  std::string pending;       // read, not yet consumed
  std::size_t answered = 0;  // requests answered on this connection

  // Best effort, without blocking: a short answer the server sends before closing (408, 431).
  void send_and_close(std::string_view answer);

 private:
  void close();
  int fd_ = -1;
};

// The end of a request's head (the blank line after the headers) is in `bytes`.
bool has_complete_head(std::string_view bytes);

// The path of the request line at the start of `head` ("/metrics" of "GET /metrics?x HTTP/1.1").
std::string_view request_path(std::string_view head);

}  // namespace ratingstream::observe
