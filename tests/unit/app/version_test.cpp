// `ratingstream --version`: ours and the client libraries' versions, exit 0.

#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>

#include <regex>
#include <string>

#include "run_in_process.hpp"
#include "store/session.hpp"

namespace {

TEST(Version, NamesOursLibrdkafkasAndTheCassandraDrivers) {
  const auto r = ratingstream::testing::run_in_process({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_EQ(r.out.rfind("ratingstream 0.", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nlibrdkafka " + RdKafka::version_str() + "\n"), std::string::npos) << r.out;
  // The scylla crate's version as Cargo.lock pins it, and the bridge's.
  EXPECT_NE(r.out.find("\nCassandra driver: " + ratingstream::store::driver_version()), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_match(ratingstream::store::driver_version(),
                               std::regex(R"(scylla [0-9]+\.[0-9]+\.[0-9]+ \(cql-bridge [0-9]+\.[0-9]+\.[0-9]+\))")))
      << ratingstream::store::driver_version();
}

}  // namespace
