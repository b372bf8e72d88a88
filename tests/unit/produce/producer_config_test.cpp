// The producer's defaults, and -X overriding them under any alias.

#include "produce/producer_config.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/errors.hpp"

namespace ratingstream::produce {
namespace {

std::string get(const RdKafka::Conf& conf, const std::string& key) {
  std::string value;
  EXPECT_EQ(conf.get(key, value), RdKafka::Conf::CONF_OK) << key;
  return value;
}

TEST(ProducerConfig, IsIdempotentWithAllAcksAndTheChosenCompression) {
  const auto conf = make_producer_config("broker:9092", {}, "gzip");
  EXPECT_EQ(get(*conf, "bootstrap.servers"), "broker:9092");
  EXPECT_EQ(get(*conf, "enable.idempotence"), "true");
  EXPECT_EQ(get(*conf, "acks"), "-1");  // librdkafka's spelling of all
  EXPECT_EQ(get(*conf, "compression.codec"), "gzip");
  EXPECT_EQ(get(*conf, "partitioner"), "murmur2_random");
  EXPECT_EQ(get(*make_producer_config("b:1", {}, "lz4"), "compression.codec"), "lz4");
}

TEST(ProducerConfig, UserPropertiesWinUnderAnyAlias) {
  EXPECT_EQ(get(*make_producer_config("b:1", {"compression.type=zstd"}, "gzip"), "compression.codec"), "zstd");
  EXPECT_EQ(get(*make_producer_config("b:1", {"request.required.acks=1"}, "gzip"), "acks"), "1");
  EXPECT_EQ(get(*make_producer_config("b:1", {"linger.ms=50"}, "gzip"), "linger.ms"), "50");
}

TEST(ProducerConfig, AnUnknownPropertyIsAnInputErrorNamingIt) {
  try {
    make_producer_config("b:1", {"no.such.property=1"}, "gzip");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no.such.property"), std::string::npos) << e.what();
  }
}

TEST(AdminConfig, NeverLetsTheBrokerAutoCreateTheTopic) {
  EXPECT_EQ(get(*make_admin_config("b:1", {}), "allow.auto.create.topics"), "false");
}

}  // namespace
}  // namespace ratingstream::produce
