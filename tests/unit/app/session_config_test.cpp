// What the Cassandra options become in the driver's session settings.

#include <gtest/gtest.h>

#include "app/command_line.hpp"
#include "common/errors.hpp"

using ratingstream::InputError;
using ratingstream::app::CassandraOptions;
using ratingstream::app::session_config;

namespace {

TEST(SessionConfig, CarriesHostsLevelsDatacenterAndOnlyTheKeyspaceInUseForMetadata) {
  CassandraOptions options;
  options.hosts = "10.0.0.1,10.0.0.2:9043";
  options.keyspace = "ratings_eu";
  options.consistency = "local_one";
  options.local_dc = "dc1";
  const auto config = session_config(options);
  EXPECT_EQ(config.contact_points, (std::vector<std::string>{"10.0.0.1:9042", "10.0.0.2:9043"}));
  EXPECT_EQ(config.consistency, "LOCAL_ONE");
  EXPECT_EQ(config.local_datacenter, "dc1");
  // Routing needs this keyspace's metadata only; the session selects no keyspace (the product
  // names it in every statement, and it may not exist yet when the processor starts).
  EXPECT_EQ(config.metadata_keyspace, "ratings_eu");
  EXPECT_EQ(config.keyspace, "");
  EXPECT_FALSE(config.tls.enabled);
}

TEST(SessionConfig, AUserWithoutAPasswordNamesBothFlags) {
  CassandraOptions options;
  options.username = "ann";
  try {
    (void)session_config(options);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--cassandra-user is set but --cassandra-password is not"), std::string::npos)
        << e.what();
  }
}

}  // namespace
