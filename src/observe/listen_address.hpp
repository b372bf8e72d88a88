#pragma once
// Where the HTTP endpoints listen, how their address is written in a URL, and why an address
// cannot be listened on, in words a user can act on.

#include <string>
#include <string_view>

namespace ratingstream::observe {

// The endpoints show the pipeline's counters and, on the dashboard, people's ratings, with no
// authentication: by default only this machine reaches them. An explicit address (0.0.0.0, or
// one interface's) exposes them.
inline constexpr std::string_view kDefaultListenAddress = "127.0.0.1";

// http://127.0.0.1:9108/, http://[::1]:9108/ (an IPv6 address in brackets, RFC 3986).
std::string http_url(std::string_view address, int port);

// Why binding `address`:`port` fails, found by trying it: the address is no IP address or
// resolvable name, is not one of this machine's, the port is taken, or needs privileges. The
// caller puts the flags in front.
struct BindFailure {
  enum class Cause { bad_address, not_local, in_use, not_allowed, other } cause;
  std::string detail;  // one line, without the flag names
};
BindFailure diagnose_bind_failure(const std::string& address, int port);

}  // namespace ratingstream::observe
