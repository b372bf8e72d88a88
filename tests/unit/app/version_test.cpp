// `ratingstream --version`: ours and the client libraries' versions, exit 0.

#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>

#include <string>

#include "run_in_process.hpp"

namespace {

TEST(Version, NamesOursLibrdkafkasAndTheCassandraDrivers) {
  const auto r = ratingstream::testing::run_in_process({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_EQ(r.out.rfind("ratingstream 0.", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nlibrdkafka " + RdKafka::version_str() + "\n"), std::string::npos) << r.out;
  // The scylla crate's version as Cargo.lock pins it, and the bridge's.
  EXPECT_NE(r.out.find("\nCassandra driver: scylla 1.9.0 (cql-bridge 0.1.0)"), std::string::npos) << r.out;
}

}  // namespace
