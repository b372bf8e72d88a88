// What the driver checks in a Cassandra node's certificate: that a trusted CA signed it and that
// it names the node's IP address (a subjectAltName IP entry); the driver connects to every node
// by the address the cluster reports, so a host name in the certificate is never compared. A
// node certificate naming only host names is refused with one line that says so and how to fix
// it. The node here is `openssl s_server` with certificates made by the test: the refusal
// happens in the TLS handshake, before any CQL, and the same server with an IP entry passes it.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "../process/process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

// A loopback port nobody listens on now.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

// `openssl s_server` with `cert` and `key` on a loopback port, for the test's lifetime.
class TlsServer {
 public:
  TlsServer(const std::filesystem::path& cert, const std::filesystem::path& key) : port_(free_port()) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string accept = "127.0.0.1:" + std::to_string(port_);
      ::execlp("openssl", "openssl", "s_server", "-quiet", "-accept", accept.c_str(), "-cert", cert.c_str(), "-key",
               key.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    EXPECT_TRUE(testing::eventually([this] { return accepts(port_); }, 10s)) << "openssl s_server did not start";
  }
  ~TlsServer() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  pid_t pid_ = -1;
};

// A CA, and a node certificate it signed with the given subjectAltName.
struct Certificates {
  testing::TempDir dir;
  std::filesystem::path ca = dir.path() / "ca.pem";
  std::filesystem::path cert = dir.path() / "node.pem";
  std::filesystem::path key = dir.path() / "node.key";

  explicit Certificates(const std::string& alt_names) {
    const auto d = dir.path().string();
    const auto ext = dir.write("ext.cnf", "subjectAltName=" + alt_names + "\n");
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                   "-subj", "/CN=test ca", "-keyout", d + "/ca.key", "-out", ca.string()},
          {"/usr/bin/openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=cassandra.example", "-keyout",
           key.string(), "-out", d + "/node.csr"},
          {"/usr/bin/openssl", "x509", "-req", "-in", d + "/node.csr", "-CA", ca.string(), "-CAkey", d + "/ca.key",
           "-CAcreateserial", "-days", "2", "-extfile", ext.string(), "-out", cert.string()}}) {
      const auto made = testing::run(command, 60s);
      EXPECT_EQ(made.exit_code, 0) << made.err;
    }
  }
};

testing::CommandResult query_over_tls(const std::string& address, const std::filesystem::path& ca) {
  return testing::run_ratingstream(
      {"query", "sample", "--cassandra", address, "--cassandra-tls", "--cassandra-tls-ca", ca.string()}, 60s);
}

TEST(TlsNodeNames, ACertificateNamingOnlyHostNamesIsRefusedSayingItNeedsTheIpAddress) {
  const Certificates certificates("DNS:cassandra.example,DNS:localhost");
  if (::testing::Test::HasFailure()) return;
  const TlsServer node(certificates.cert, certificates.key);
  const auto result = query_over_tls(node.address(), certificates.ca);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_NE(result.err.find("IP address mismatch"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("subjectAltName IP entry"), std::string::npos) << result.err;
}

TEST(TlsNodeNames, ACertificateNamingTheIpAddressPassesTheHandshake) {
  const Certificates certificates("DNS:cassandra.example,IP:127.0.0.1");
  if (::testing::Test::HasFailure()) return;
  const TlsServer node(certificates.cert, certificates.key);
  const auto result = query_over_tls(node.address(), certificates.ca);
  // s_server is no Cassandra: the connection fails after the handshake, not in it.
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.err.find("certificate verify failed"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("IP address mismatch"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ratingstream::process_test
