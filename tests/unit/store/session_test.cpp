// store::Session without a server: contact point parsing, and failing to connect cleanly.

#include "store/session.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "common/errors.hpp"

namespace ratingstream::store {
namespace {

using Points = std::vector<std::string>;

TEST(StoreContactPoints, AddsTheDefaultPort) {
  EXPECT_EQ(parse_contact_points("127.0.0.1"), Points{"127.0.0.1:9042"});
  EXPECT_EQ(parse_contact_points("cassandra"), Points{"cassandra:9042"});
}

TEST(StoreContactPoints, SplitsOnCommasAndKeepsPorts) {
  EXPECT_EQ(parse_contact_points("h1,h2:9043"), (Points{"h1:9042", "h2:9043"}));
  EXPECT_EQ(parse_contact_points(" h1 , h2:1 "), (Points{"h1:9042", "h2:1"}));
  EXPECT_EQ(parse_contact_points("a:65535"), Points{"a:65535"});
}

TEST(StoreContactPoints, AcceptsIpv6) {
  EXPECT_EQ(parse_contact_points("[::1]:9043"), Points{"[::1]:9043"});
  EXPECT_EQ(parse_contact_points("[::1]"), Points{"[::1]:9042"});
  EXPECT_EQ(parse_contact_points("::1"), Points{"[::1]:9042"});
}

TEST(StoreContactPoints, RejectsAnEmptyList) {
  EXPECT_THROW(parse_contact_points(""), InputError);
  EXPECT_THROW(parse_contact_points("  "), InputError);
}

TEST(StoreContactPoints, RejectsEmptyEntries) {
  EXPECT_THROW(parse_contact_points("h1,,h2"), InputError);
  EXPECT_THROW(parse_contact_points("h1,"), InputError);
  EXPECT_THROW(parse_contact_points(":9042"), InputError);
}

TEST(StoreContactPoints, RejectsBadPorts) {
  for (const char* bad :
       {"h:", "h:0", "h:65536", "h:x", "h:90x", "h:-1", "h:99999999999", "[::1]x", "[::1]:", "[]:9042"}) {
    try {
      parse_contact_points(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

TEST(StoreContactPoints, NamesThePortInTheMessage) {
  try {
    parse_contact_points("host:abc");
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad port 'abc'"), std::string::npos) << e.what();
  }
}

TEST(StoreConsistency, EveryLevelInAnyCaseIsReadAsCqlSpellsIt) {
  EXPECT_EQ(parse_consistency("--consistency", "local_quorum", false), "LOCAL_QUORUM");
  EXPECT_EQ(parse_consistency("--consistency", "Local_One", true), "LOCAL_ONE");
  for (const auto level : consistency_levels()) {
    EXPECT_EQ(parse_consistency("--consistency", level, false), level);
  }
}

TEST(StoreConsistency, AnythingElseIsAnErrorNamingTheFlagAndTheLevels) {
  for (const char* bad : {"", "quorums", "SERIAL", "LOCAL_SERIAL", "one ", "\x1b[31m"}) {
    try {
      parse_consistency("--consistency", bad, false);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("--consistency ", 0), 0u) << what;
      EXPECT_NE(what.find("LOCAL_QUORUM"), std::string::npos) << what;
      EXPECT_EQ(what.find('\x1b'), std::string::npos) << what;
    }
  }
}

TEST(StoreConsistency, WriteOnlyLevelsAreRefusedForReads) {
  for (const char* level : {"ANY", "each_quorum"}) {
    EXPECT_NO_THROW(parse_consistency("--consistency", level, false));
    try {
      parse_consistency("--consistency", level, true);
      ADD_FAILURE() << "accepted " << level << " for reads";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("for writes only"), std::string::npos) << e.what();
    }
  }
}

TEST(StoreError, RetryableKinds) {
  EXPECT_TRUE(Error(ErrorKind::timeout, 0x1100, "t").retryable());
  EXPECT_TRUE(Error(ErrorKind::connection, 0, "c").retryable());
  EXPECT_FALSE(Error(ErrorKind::invalid_query, 0x2200, "i").retryable());
  for (const auto kind :
       {ErrorKind::client_timeout, ErrorKind::connection_broken, ErrorKind::not_started, ErrorKind::abandoned}) {
    EXPECT_TRUE(Error(kind, 0, "x").retryable()) << to_string(kind);
  }
  EXPECT_FALSE(Error(ErrorKind::unauthorized, 0x0100, "u").retryable());
}

TEST(StoreError, KindsSayWhetherAWriteMayHaveBeenApplied) {
  for (const auto kind : {ErrorKind::connection, ErrorKind::not_started, ErrorKind::unavailable, ErrorKind::overloaded,
                          ErrorKind::invalid_query, ErrorKind::unauthorized}) {
    EXPECT_FALSE(Error(kind, 0, "x").may_have_been_applied()) << to_string(kind);
  }
  for (const auto kind : {ErrorKind::timeout, ErrorKind::client_timeout, ErrorKind::connection_broken,
                          ErrorKind::abandoned, ErrorKind::server, ErrorKind::internal}) {
    EXPECT_TRUE(Error(kind, 0, "x").may_have_been_applied()) << to_string(kind);
  }
}

TEST(StoreError, EveryKindHasItsOwnName) {
  std::set<std::string_view> names;
  const ErrorKind kinds[] = {
      ErrorKind::connection,     ErrorKind::timeout,           ErrorKind::unavailable, ErrorKind::overloaded,
      ErrorKind::invalid_query,  ErrorKind::unauthorized,      ErrorKind::server,      ErrorKind::internal,
      ErrorKind::client_timeout, ErrorKind::connection_broken, ErrorKind::not_started, ErrorKind::abandoned};
  for (const auto kind : kinds) names.insert(to_string(kind));
  EXPECT_EQ(names.size(), std::size(kinds));
  EXPECT_EQ(to_string(ErrorKind::timeout), "server timeout");
  EXPECT_EQ(to_string(ErrorKind::client_timeout), "client timeout");
}

TEST(StoreError, AWriteTimeoutKeepsItsTypeAndReplicaCounts) {
  const Error write(ErrorKind::timeout, 0x1100, "write timeout", std::nullopt,
                    ServerTimeout{"LOCAL_QUORUM", "UNLOGGED_BATCH", 1, 2});
  ASSERT_TRUE(write.write_timeout());
  EXPECT_EQ(write.write_timeout()->write_type, "UNLOGGED_BATCH");
  EXPECT_EQ(write.write_timeout()->received, 1);
  EXPECT_EQ(write.write_timeout()->required, 2);
  const Error read(ErrorKind::timeout, 0x1200, "read timeout", std::nullopt, ServerTimeout{"ONE", "", 0, 1});
  EXPECT_FALSE(read.write_timeout());
  ASSERT_TRUE(read.server_timeout());
  EXPECT_EQ(read.server_timeout()->required, 1);
  EXPECT_FALSE(Error(ErrorKind::client_timeout, 0, "no answer").server_timeout());
}

TEST(StoreConnect, ClosedPortIsAConnectionErrorNamingTheAddress) {
  SessionConfig config;
  config.contact_points = {"127.0.0.1:1"};
  config.connect_timeout = std::chrono::milliseconds(2000);
  config.request_timeout = std::chrono::milliseconds(2000);
  const auto start = std::chrono::steady_clock::now();
  try {
    Session::connect(config);
    FAIL() << "connected to a closed port";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::connection) << e.what();
    EXPECT_EQ(e.code(), 0);
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("cannot connect to Cassandra at 127.0.0.1:1: ", 0), 0u) << message;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(StoreConnect, UnresolvableHostIsAConnectionError) {
  SessionConfig config;
  config.contact_points = {"no-such-host.invalid:9042"};
  config.connect_timeout = std::chrono::milliseconds(2000);
  config.request_timeout = std::chrono::milliseconds(2000);
  try {
    Session::connect(config);
    FAIL() << "connected to an unresolvable host";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::connection) << e.what();
    EXPECT_NE(std::string(e.what()).find("no-such-host.invalid:9042"), std::string::npos) << e.what();
  }
}

TEST(StoreConnect, NoContactPointsIsBadInput) {
  SessionConfig config;
  config.contact_points = {};
  EXPECT_THROW(Session::connect(config), InputError);
}

// TLS files are read before any connection is tried: a bad one is bad input naming the file.
std::string connect_failure(const SessionConfig& config) {
  try {
    Session::connect(config);
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not an InputError: " << e.what();
    return {};
  }
  ADD_FAILURE() << "connected";
  return {};
}

SessionConfig tls_config() {
  SessionConfig config;
  config.contact_points = {"127.0.0.1:1"};
  config.connect_timeout = std::chrono::milliseconds(1000);
  config.request_timeout = std::chrono::milliseconds(1000);
  config.tls.enabled = true;
  return config;
}

TEST(StoreConnectTls, AMissingCaFileIsNamed) {
  auto config = tls_config();
  config.tls.ca_file = "/nonexistent/ca.pem";
  const auto message = connect_failure(config);
  EXPECT_NE(message.find("TLS CA file /nonexistent/ca.pem"), std::string::npos) << message;
}

TEST(StoreConnectTls, AFileThatIsNotPemIsNamed) {
  const auto path = std::filesystem::temp_directory_path() / ("rs_not_pem_" + std::to_string(::getpid()));
  std::ofstream(path) << "not a certificate\n";
  auto config = tls_config();
  config.tls.ca_file = path.string();
  const auto message = connect_failure(config);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  config.tls.ca_file.clear();
  config.tls.cert_file = path.string();
  config.tls.key_file = path.string();
  const auto cert_message = connect_failure(config);
  EXPECT_NE(cert_message.find("client certificate " + path.string()), std::string::npos) << cert_message;
  std::filesystem::remove(path);
}

TEST(StoreConnectTls, ACertificateNeedsItsKey) {
  auto config = tls_config();
  config.tls.cert_file = "/nonexistent/client.pem";
  EXPECT_NE(connect_failure(config).find("give both"), std::string::npos);
}

TEST(StoreConnectTls, WithTheSystemCasTheConnectionItselfFails) {
  auto config = tls_config();  // a good TLS set-up; nothing listens on port 1
  try {
    Session::connect(config);
    FAIL() << "connected to a closed port";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::connection) << e.what();
  }
}

}  // namespace
}  // namespace ratingstream::store
