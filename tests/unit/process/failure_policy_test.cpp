// The failure policies of the Cassandra sink: pure functions.

#include <gtest/gtest.h>

#include "process/cassandra_sink.hpp"

namespace ratingstream::process {
namespace {

TEST(CassandraFailureHandling, TransientErrorsRetryForeverOthersStop) {
  using store::Error;
  using store::ErrorKind;
  EXPECT_EQ(failure_handling(Error(ErrorKind::connection, 0, "down")), FailureHandling::retry);
  EXPECT_EQ(failure_handling(Error(ErrorKind::timeout, 0x1100, "write timeout")), FailureHandling::retry);
  EXPECT_EQ(failure_handling(Error(ErrorKind::unavailable, 0x1000, "unavailable")), FailureHandling::retry);
  EXPECT_EQ(failure_handling(Error(ErrorKind::overloaded, 0x1001, "overloaded")), FailureHandling::retry);
  EXPECT_EQ(failure_handling(Error(ErrorKind::invalid_query, 0x2200, "no such table")), FailureHandling::fatal);
  EXPECT_EQ(failure_handling(Error(ErrorKind::unauthorized, 0x2100, "denied")), FailureHandling::fatal);
  EXPECT_EQ(failure_handling(Error(ErrorKind::server, 0x1500, "write failure")), FailureHandling::retry_limited);
  EXPECT_EQ(failure_handling(Error(ErrorKind::internal, 0, "bridge")), FailureHandling::retry_limited);
}

TEST(CassandraFailureHandling, APendingSchemaChangeIsRetried) {
  using store::Error;
  using store::ErrorKind;
  EXPECT_EQ(failure_handling(Error(ErrorKind::schema_pending, 0x2200, "table listed, not loaded")),
            FailureHandling::retry);
  EXPECT_FALSE(Error(ErrorKind::schema_pending, 0x2200, "").may_have_been_applied());
}

TEST(CassandraHealth, SlownessIsUnhealthyOnlyAfterTheGraceOtherFailuresAtOnce) {
  using namespace std::chrono_literals;
  using store::ErrorKind;
  for (const auto kind : {ErrorKind::timeout, ErrorKind::client_timeout, ErrorKind::overloaded, ErrorKind::abandoned,
                          ErrorKind::not_started}) {
    EXPECT_TRUE(is_slowness(kind)) << store::to_string(kind);
  }
  for (const auto kind : {ErrorKind::connection, ErrorKind::connection_broken, ErrorKind::unavailable,
                          ErrorKind::invalid_query, ErrorKind::unauthorized, ErrorKind::server}) {
    EXPECT_FALSE(is_slowness(kind)) << store::to_string(kind);
  }
  // A write timing out 3 s after the last acknowledged row (a replica restarting): still healthy.
  EXPECT_FALSE(reports_unhealthy(true, 3s, 10s));
  EXPECT_TRUE(reports_unhealthy(true, 10s, 10s));
  EXPECT_TRUE(reports_unhealthy(true, 25s, 10s));
  // No node, or too few replicas: unhealthy at the first failed round.
  EXPECT_TRUE(reports_unhealthy(false, 0s, 10s));
}

}  // namespace
}  // namespace ratingstream::process
