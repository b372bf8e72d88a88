#pragma once
// Test clients that misbehave on purpose: connections that send nothing, or only part of a
// request, and hold their socket open; and one well-behaved GET with a bound on its wait.
// Header-only, shared by the observe and dashboard tests. Loopback only.

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace ratingstream::observe::testing {

inline int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

class SlowClients {
 public:
  explicit SlowClients(int port) : port_(port) {}
  ~SlowClients() {
    for (const int fd : fds_) ::close(fd);
  }
  SlowClients(const SlowClients&) = delete;
  SlowClients& operator=(const SlowClients&) = delete;

  void open_silent(int count) { open_sending(count, {}); }
  void open_sending(int count, std::string_view bytes) {
    for (int i = 0; i < count; ++i) {
      const int fd = connect_loopback(port_);
      if (fd < 0) continue;
      if (!bytes.empty()) (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      fds_.push_back(fd);
    }
  }
  std::size_t open_count() const { return fds_.size(); }

 private:
  int port_;
  std::vector<int> fds_;
};

// The status of GET `path`, or -1 when no answer came within `bound` (connecting included).
inline int get_status(int port, const std::string& path, std::chrono::seconds bound) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(bound);
  client.set_read_timeout(bound);
  client.set_write_timeout(bound);
  const auto result = client.Get(path.c_str());
  return result ? result->status : -1;
}

}  // namespace ratingstream::observe::testing
