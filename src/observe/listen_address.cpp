#include "observe/listen_address.hpp"

#include <fmt/format.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace ratingstream::observe {

std::string http_url(std::string_view address, int port) {
  const bool ipv6 = address.find(':') != std::string_view::npos;
  return fmt::format("http://{}{}{}:{}/", ipv6 ? "[" : "", address, ipv6 ? "]" : "", port);
}

BindFailure diagnose_bind_failure(const std::string& address, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = ::getaddrinfo(address.empty() ? nullptr : address.c_str(), service.c_str(), &hints, &found);
      rc != 0) {
    return {BindFailure::Cause::bad_address,
            fmt::format("not an IP address or a host name that resolves ({})", ::gai_strerror(rc))};
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(found, &::freeaddrinfo);
  int error = 0;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    const bool bound = ::bind(fd, a->ai_addr, a->ai_addrlen) == 0;
    error = bound ? 0 : errno;
    ::close(fd);
    if (bound) break;
  }
  switch (error) {
    case EADDRINUSE: return {BindFailure::Cause::in_use, "the port is in use by another process"};
    case EADDRNOTAVAIL: return {BindFailure::Cause::not_local, "not an address of this machine"};
    case EACCES:
    case EPERM: return {BindFailure::Cause::not_allowed, "ports below 1024 need root (CAP_NET_BIND_SERVICE)"};
    case 0: return {BindFailure::Cause::other, "the port was taken or freed meanwhile; try again"};
    default: return {BindFailure::Cause::other, std::strerror(error)};
  }
}

}  // namespace ratingstream::observe
