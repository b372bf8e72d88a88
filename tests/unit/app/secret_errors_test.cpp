// No error line ever shows a secret: a password or a secret librdkafka property, from a flag,
// the environment or the config file, however malformed the input. Every case is a usage error
// (exit 2) found before any server is contacted.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/config_file.hpp"
#include "run_in_process.hpp"
#include "test_support.hpp"

using ratingstream::testing::InProcessResult;
using ratingstream::testing::run_in_process;
using ratingstream::testing::ScopedEnv;
using ratingstream::testing::TempDir;

namespace {

// Letters and digits in no word, so a message's own words never match a piece of it.
const std::string kSecret = "Zq9Wx7Kv4Jp";

// Neither the secret, nor three characters of it in a row, nor one of its characters quoted
// the way parsers quote "the character they saw".
void expect_no_trace_of_secret(const InProcessResult& r, const std::string& what) {
  const std::string text = r.all();
  for (std::size_t i = 0; i + 3 <= kSecret.size(); ++i) {
    EXPECT_EQ(text.find(kSecret.substr(i, 3)), std::string::npos)
        << what << " shows '" << kSecret.substr(i, 3) << "' of the secret:\n"
        << text;
  }
  for (const char c : kSecret) {
    EXPECT_EQ(text.find(std::string("'") + c + "'"), std::string::npos)
        << what << " quotes a character of the secret:\n"
        << text;
  }
}

void expect_usage_error_without_secret(const InProcessResult& r, const std::string& what) {
  EXPECT_EQ(r.exit_code, 2) << what << ":\n" << r.all();
  EXPECT_FALSE(r.err.empty()) << what;
  expect_no_trace_of_secret(r, what);
}

// topic create against a closed port with a short wait: a case this test misses fails fast.
std::vector<std::string> topic_create(std::vector<std::string> extra) {
  std::vector<std::string> args{"topic", "create", "-b", "127.0.0.1:1", "-t", "secret_errors", "--timeout", "1s"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST(SecretErrors, MalformedKafkaPropertyFlagsNeverShowTheValue) {
  const std::vector<std::vector<std::string>> shapes{
      {"-X", "sasl.password " + kSecret},             // a space instead of '='
      {"-X", "sasl.password:" + kSecret},             // a colon
      {"-X", "sasl.password" + kSecret},              // nothing between
      {"-X", kSecret},                                // the value alone
      {"-X", "sasl.password " + kSecret + "=x"},      // '=' later, the key has a space
      {"-X", "\"sasl.password\"=" + kSecret + "\""},  // quotes kept by the shell
      {"-X", "=" + kSecret},                          // no key
      {"--kafka-property=sasl.password " + kSecret},
      {"-Xsasl.password " + kSecret},
      {"-X", "sasl.password", kSecret},   // unquoted: two arguments
      {"-X", "sasl.password=", kSecret},  // '=' then the value as its own argument
      {"--kafka-property", "ssl.key.password " + kSecret},
      {"-X", "sasl.oauthbearer.client.secret\t" + kSecret},
  };
  for (const auto& shape : shapes) {
    const auto r = run_in_process(topic_create(shape));
    std::string what = "topic create";
    for (const auto& a : shape) what += " [" + a + "]";
    expect_usage_error_without_secret(r, what);
  }
}

TEST(SecretErrors, MisplacedPasswordsOnTheCommandLineAreNotEchoed) {
  const std::vector<std::vector<std::string>> commands{
      {"schema", "--print", "--cassandra-pasword=" + kSecret},  // a typo in the flag name
      {"schema", "--print", "--cassandra-pasword", kSecret},
      {"schema", "--print", "--cassandra-password", "ab", kSecret},  // an unquoted space
      {"schema", "--print", "--cassandra-user", "u", "--cassandra-password", "x", "--" + kSecret},
      {"query", "sample", "-X", "sasl.password=" + kSecret},  // a flag query does not have
      {"schema", "--print", "sasl.password=" + kSecret},      // -X forgotten
      {"topic", "create", "--cassandra-password", kSecret},
  };
  for (const auto& args : commands) {
    std::string what;
    for (const auto& a : args) what += " [" + a + "]";
    expect_usage_error_without_secret(run_in_process(args), what);
  }
}

TEST(SecretErrors, MalformedKafkaPropertyFromTheEnvironmentNeverShowsTheValue) {
  for (const std::string& value :
       {"sasl.password " + kSecret, "sasl.password" + kSecret, kSecret, "sasl.password " + kSecret + "=1"}) {
    const ScopedEnv env("RATINGSTREAM_KAFKA_PROPERTY", value);
    const auto r = run_in_process(topic_create({}));
    expect_usage_error_without_secret(r, "RATINGSTREAM_KAFKA_PROPERTY=" + value);
    EXPECT_NE(r.err.find("RATINGSTREAM_KAFKA_PROPERTY"), std::string::npos) << r.err;
  }
}

TEST(SecretErrors, MalformedSecretsInTheConfigFileNameFileAndLineButNotTheValue) {
  const std::vector<std::string> files{
      "cassandra-password \"" + kSecret + "\"\n",  // no '='
      "cassandra-password = " + kSecret + "\n",    // not quoted
      "cassandra-password = \"" + kSecret + "\n",  // not closed
      "cassandra-password = '" + kSecret + "\n",
      "cassandra-password = \"\"\"" + kSecret + "\n",               // multi-line, never closed
      "cassandra-password = \"\"\"\n" + kSecret + "\\q\n\"\"\"\n",  // a bad escape on a line of its own
      "cassandra-password = \"" + kSecret.substr(0, 5) + "\\q" + kSecret.substr(5) + "\"\n",
      "cassandra-password = \"" + kSecret + "\" " + kSecret + "\n",  // something after the value
      "cassandra-password = \"" + kSecret + "\"\"\n",
      "cassandra-password = 12" + kSecret + "\n",  // a broken number
      "cassandra-password = 1e5" + kSecret + "\n",
      "cassandra-password = tru" + kSecret + "\n",
      "cassandra-password = 2024-13-01\n",
      "cassandra-password = 123456789\n",                     // a number, not a string
      "cassandra-password = [\"" + kSecret + "\", \"x\"]\n",  // an array for a single value
      "cassandra-password = { value = \"" + kSecret + "\" }\n",
      "cassandra-password = true\n",
      "cassandra_password = \"" + kSecret + "\"\n",    // an unknown key that looks like a secret
      "sasl.password = \"" + kSecret + "\"\n",         // a librdkafka property as a key
      "\"cassandra-password " + kSecret + "\" = 1\n",  // the secret inside a key
      "\"sasl.password=" + kSecret + "\" = \"x\"\n",
      "kafka-property = [\"sasl.password " + kSecret + "\"]\n",  // a bad element of an array
      "kafka-property = [\"security.protocol=SASL_SSL\",\n  \"sasl.password:" + kSecret + "\"]\n",
      "kafka-property = \"sasl.password" + kSecret + "\"\n",
      "[process]\ncassandra-password = \"" + kSecret + "\" # x\ncassandra-password = \"" + kSecret + "\"\n",  // twice
  };
  TempDir dir;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto file = dir.write("c" + std::to_string(i) + ".toml", "# secrets\n" + files[i]);
    // Top-level keys apply to the subcommand that has the option: topic create has -X, schema
    // the Cassandra credentials.
    const bool kafka = files[i].find("kafka-property") != std::string::npos;
    const auto r = run_in_process(kafka ? topic_create({"--config", file.string()})
                                        : std::vector<std::string>{"schema", "--print", "--config", file.string()});
    expect_usage_error_without_secret(r, "the file\n" + files[i]);
    // file:line, and the line is never line 1: that is the comment.
    EXPECT_NE(r.err.find(file.string() + ":"), std::string::npos) << files[i] << r.err;
    EXPECT_EQ(r.err.find(file.string() + ":1:"), std::string::npos) << files[i] << r.err;
  }
}

TEST(SecretErrors, UserAndPasswordGoTogetherFromAnySource) {
  TempDir dir;
  const auto user_file = dir.write("user.toml", "cassandra-user = \"ann\"\n");
  const auto password_file = dir.write("password.toml", "cassandra-password = \"" + kSecret + "\"\n");
  // A closed port: should the check be missing, the command fails fast instead of connecting.
  const std::vector<std::string> query{"query", "sample", "--cassandra", "127.0.0.1:1"};
  const auto with = [&](std::vector<std::string> extra) {
    auto args = query;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  std::vector<std::pair<std::string, InProcessResult>> results;
  results.emplace_back("flag user", run_in_process(with({"--cassandra-user", "ann"})));
  results.emplace_back("flag password", run_in_process(with({"--cassandra-password", kSecret})));
  results.emplace_back("file user", run_in_process(with({"--config", user_file.string()})));
  results.emplace_back("file password", run_in_process(with({"--config", password_file.string()})));
  {
    const ScopedEnv env("RATINGSTREAM_CASSANDRA_PASSWORD", kSecret);
    results.emplace_back("env password", run_in_process(query));
  }
  {
    const ScopedEnv env("RATINGSTREAM_CASSANDRA_USER", "ann");
    results.emplace_back("env user", run_in_process(query));
  }
  for (const auto& [what, r] : results) {
    expect_usage_error_without_secret(r, what);
    EXPECT_NE(r.err.find("--cassandra-user"), std::string::npos) << what << ": " << r.err;
    EXPECT_NE(r.err.find("--cassandra-password"), std::string::npos) << what << ": " << r.err;
  }
}

// toml++'s descriptions quote what they saw; every shape that does is cut or replaced, fixed
// tokens and key names stay.
TEST(SecretErrors, TomlDescriptionsLoseTheInputTheyQuote) {
  using ratingstream::app::description_without_input;
  const std::vector<std::pair<std::string, std::string>> cases{
      {"Error while parsing key-value pair: expected '=', saw '" + kSecret + "'",
       "Error while parsing key-value pair: expected '='"},
      {"Error while parsing boolean: expected 'true', saw '" + kSecret + "'",
       "Error while parsing boolean: expected 'true'"},
      {"Error while parsing date: expected month between 1 and 12 (inclusive), saw 13",
       "Error while parsing date: expected month between 1 and 12 (inclusive)"},
      {"Error while parsing string: unknown escape sequence '\\" + kSecret.substr(0, 1) + "'",
       "Error while parsing string: unknown escape sequence (write \\\\ for a backslash in a \"string\", or use a "
       "literal string in single quotes)"},
      {"Error while parsing floating-point: '" + kSecret + "' could not be interpreted as a value",
       "Error while parsing floating-point: a value could not be read (a string needs quotes)"},
      {"Error while parsing integer: '0x" + kSecret + "' is not representable in 64 bits",
       "Error while parsing integer: a number is too large for 64 bits"},
      {"Error while parsing key-value pair: cannot redefine existing string 'cassandra-password'",
       "Error while parsing key-value pair: cannot redefine existing string 'cassandra-password'"},
      {"Error while parsing key-value pair: cannot redefine existing string '\"a " + kSecret + "\"'",
       "Error while parsing key-value pair: cannot redefine existing string (not shown)"},
      {"Error while parsing table header: expected ']'", "Error while parsing table header: expected ']'"},
      {"odd ' quote " + kSecret, "odd "},
  };
  for (const auto& [description, expected] : cases) EXPECT_EQ(description_without_input(description), expected);
}
