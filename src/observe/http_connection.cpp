#include "observe/http_connection.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <utility>

namespace ratingstream::observe {

HttpConnection::~HttpConnection() { close(); }

HttpConnection::HttpConnection(HttpConnection&& other) noexcept
    : pending(std::move(other.pending)), answered(other.answered), fd_(std::exchange(other.fd_, -1)) {}

HttpConnection& HttpConnection::operator=(HttpConnection&& other) noexcept {
  if (this != &other) {
    close();
    pending = std::move(other.pending);
    answered = other.answered;
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void HttpConnection::send_and_close(std::string_view answer) {
  if (fd_ >= 0) (void)::send(fd_, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  close();
}

void HttpConnection::close() {
  if (fd_ < 0) return;
  ::shutdown(fd_, SHUT_RDWR);
  ::close(fd_);
  fd_ = -1;
}

bool has_complete_head(std::string_view bytes) { return bytes.find("\r\n\r\n") != std::string_view::npos; }

std::string_view request_path(std::string_view head) {
  const auto start = head.find(' ');
  if (start == std::string_view::npos) return {};
  const auto end = head.find_first_of(" ?\r\n", start + 1);
  return head.substr(start + 1, end == std::string_view::npos ? std::string_view::npos : end - start - 1);
}

}  // namespace ratingstream::observe
