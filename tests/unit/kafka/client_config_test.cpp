#include "kafka/client_config.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"

using ratingstream::InputError;
using ratingstream::kafka::make_client_config;
using ratingstream::kafka::split_property;

namespace {
std::string get(const RdKafka::Conf& conf, const std::string& key) {
  std::string value;
  EXPECT_EQ(conf.get(key, value), RdKafka::Conf::CONF_OK) << key;
  return value;
}
}  // namespace

TEST(ClientConfig, SplitsAtTheFirstEquals) {
  EXPECT_EQ(split_property("sasl.password=a=b"), (std::pair<std::string, std::string>{"sasl.password", "a=b"}));
  EXPECT_THROW(split_property("linger.ms"), InputError);
  EXPECT_THROW(split_property("=5"), InputError);
}

TEST(ClientConfig, AppliesBootstrapThenPropertiesThenDefaults) {
  const auto conf = make_client_config("host1:9092", {"linger.ms=7", "bootstrap.servers=host2:9092"},
                                       {{"linger.ms", "100"}, {"compression.codec", "gzip"}});
  EXPECT_EQ(get(*conf, "bootstrap.servers"), "host2:9092");
  EXPECT_EQ(get(*conf, "linger.ms"), "7");  // the user's value beats the default
  EXPECT_EQ(get(*conf, "compression.codec"), "gzip");
}

TEST(ClientConfig, UnknownPropertyIsAnInputErrorNamingIt) {
  try {
    make_client_config("localhost:29092", {"no.such.property=1"});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no.such.property"), std::string::npos);
  }
}

TEST(ClientConfig, InvalidValueIsAnInputErrorNamingIt) {
  try {
    make_client_config("localhost:29092", {"linger.ms=soon"});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("linger.ms"), std::string::npos);
  }
}

TEST(ClientConfig, KnowsWhichPropertiesAreSecrets) {
  using ratingstream::kafka::is_secret_property;
  for (const char* secret : {"sasl.password", "ssl.key.password", "ssl.keystore.password", "ssl.key.pem",
                             "sasl.oauthbearer.client.secret"}) {
    EXPECT_TRUE(is_secret_property(secret)) << secret;
  }
  for (const char* plain :
       {"sasl.username", "security.protocol", "ssl.ca.location", "linger.ms", "bootstrap.servers"}) {
    EXPECT_FALSE(is_secret_property(plain)) << plain;
  }
}

TEST(ClientConfig, NoSecurityFailureBeforeAnyClientMetOne) {
  EXPECT_FALSE(ratingstream::kafka::security_failure().has_value());
  EXPECT_NO_THROW(ratingstream::kafka::throw_if_security_failure("localhost:29092"));
}

// A malformed -X entry may be a secret typed wrongly: the message never shows it, whatever its
// shape; a well-formed key is named.
TEST(ClientConfig, MalformedPropertiesAreNamedWithoutTheirText) {
  const std::string secret = "Zq9Wx7Kv4Jp";
  for (const std::string& entry :
       {"sasl.password " + secret, "sasl.password:" + secret, secret, "sasl.password " + secret + "=x", "=" + secret,
        "\"sasl.password\"=" + secret, "sasl.password\n" + secret + "=x"}) {
    try {
      make_client_config("localhost:29092", {entry});
      ADD_FAILURE() << "expected InputError for " << entry;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).find(secret.substr(0, 4)), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("key=value"), std::string::npos) << e.what();
    }
  }
  try {
    make_client_config("localhost:29092", {"no.such.property=" + secret});
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no.such.property"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
  }
}

TEST(ClientConfig, SecretPropertiesIncludeOauthConfigAndAnyCase) {
  using ratingstream::kafka::is_secret_property;
  for (const char* secret : {"sasl.oauthbearer.config", "SASL.PASSWORD", "ssl.keystore.password", "ssl_key.pem",
                             "sasl.jaas.config", "ssl.key.pem"}) {
    EXPECT_TRUE(is_secret_property(secret)) << secret;
  }
}
