#pragma once
// A Kafka client quota for one client.id, so a test can make the broker hold a client's
// deliveries back (a throttled producer) without touching anyone else's: a producer_byte_rate of
// 1 byte a second lets the first produce request through and then mutes the connection for
// seconds. librdkafka has no call for it (AlterClientQuotas), so this speaks the request itself:
// version 0, the non-flexible encoding, on a plain connection to the stack's broker.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace ratingstream::signals_test {

class ClientQuota {
 public:
  // Limits what producers with this client.id may send to `bytes_per_second`.
  ClientQuota(std::string client_id, double bytes_per_second) : client_id_(std::move(client_id)) {
    alter(bytes_per_second, false);
  }
  ~ClientQuota() {
    try {
      alter(0, true);
    } catch (const std::exception&) {
      // best effort: a quota left behind only slows a client.id no one else uses
    }
  }
  ClientQuota(const ClientQuota&) = delete;
  ClientQuota& operator=(const ClientQuota&) = delete;

 private:
  static void put16(std::string& out, std::int16_t v) {
    const std::uint16_t n = htons(static_cast<std::uint16_t>(v));
    out.append(reinterpret_cast<const char*>(&n), 2);
  }
  static void put32(std::string& out, std::int32_t v) {
    const std::uint32_t n = htonl(static_cast<std::uint32_t>(v));
    out.append(reinterpret_cast<const char*>(&n), 4);
  }
  static void put_string(std::string& out, const std::string& s) {
    put16(out, static_cast<std::int16_t>(s.size()));
    out += s;
  }
  static void put_double(std::string& out, double d) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((bits >> shift) & 0xFF));
  }

  void alter(double value, bool remove) const {
    std::string request;
    put16(request, 49);  // AlterClientQuotas
    put16(request, 0);   // version
    put32(request, 1);   // correlation id
    put_string(request, "ratingstream-test");
    put32(request, 1);  // one entry
    put32(request, 1);  // of one entity part
    put_string(request, "client-id");
    put_string(request, client_id_);
    put32(request, 1);  // one operation
    put_string(request, "producer_byte_rate");
    put_double(request, value);
    request.push_back(remove ? 1 : 0);
    request.push_back(0);  // validate_only: false
    std::string framed;
    put32(framed, static_cast<std::int32_t>(request.size()));
    framed += request;

    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(29092);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string answer;
    bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
              ::send(fd, framed.data(), framed.size(), 0) == static_cast<ssize_t>(framed.size());
    // correlation id, throttle time, entry count, then the entry's error code
    char buffer[4 + 14];
    std::size_t have = 0;
    while (ok && have < sizeof buffer) {
      const ssize_t n = ::recv(fd, buffer + have, sizeof buffer - have, 0);
      ok = n > 0;
      if (ok) have += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (!ok) throw std::runtime_error("AlterClientQuotas: no answer from the broker at 127.0.0.1:29092");
    std::int16_t error = 0;
    std::memcpy(&error, buffer + 16, 2);
    if (ntohs(static_cast<std::uint16_t>(error)) != 0) {
      throw std::runtime_error("AlterClientQuotas: error code " +
                               std::to_string(ntohs(static_cast<std::uint16_t>(error))));
    }
  }

  std::string client_id_;
};

}  // namespace ratingstream::signals_test
