// The pipeline against the secure pair of the local stack (`scripts/stack up secure`): Kafka that
// speaks only SASL/PLAIN over TLS and Cassandra with PasswordAuthenticator and client TLS only.
// produce -> process -> query works with the right credentials; wrong ones end each command with
// one clear line and exit 2; and no password ever shows in what the commands print, in the
// processor's metrics or in its dashboard data, even at debug log level.

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "../process/process_fixtures.hpp"

namespace ratingstream::process_test {
namespace {

// The secure pair's settings, as `scripts/stack env secure` prints them (passwords are random,
// made at the pair's first start).
struct SecureStack {
  std::string bootstrap = "localhost:29094";
  std::string cassandra = "127.0.0.1:9142";
  std::string ca;
  std::string kafka_user, kafka_password, cassandra_user, cassandra_password;
};

SecureStack secure_stack() {
  const auto result = testing::run({(testing::source_root() / "scripts" / "stack").string(), "env", "secure"}, 30s);
  if (result.exit_code != 0) {
    throw std::runtime_error("the secure stack is not there (run scripts/stack up secure): " + result.err);
  }
  std::map<std::string, std::string> env;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (const auto eq = line.find('='); eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  SecureStack s;
  s.bootstrap = env.at("RS_SECURE_BOOTSTRAP");
  s.cassandra = env.at("RS_SECURE_CASSANDRA");
  s.ca = env.at("RS_SECURE_CA");
  s.kafka_user = env.at("RS_SECURE_KAFKA_USER");
  s.kafka_password = env.at("RS_SECURE_KAFKA_PASSWORD");
  s.cassandra_user = env.at("RS_SECURE_CASSANDRA_USER");
  s.cassandra_password = env.at("RS_SECURE_CASSANDRA_PASSWORD");
  return s;
}

std::vector<std::string> kafka_flags(const SecureStack& s, const std::string& password) {
  return {"-b", s.bootstrap,
          "-X", "security.protocol=SASL_SSL",
          "-X", "sasl.mechanisms=PLAIN",
          "-X", "sasl.username=" + s.kafka_user,
          "-X", "sasl.password=" + password,
          "-X", "ssl.ca.location=" + s.ca};
}

std::vector<std::string> cassandra_flags(const SecureStack& s, const std::string& password) {
  return {"--cassandra",          s.cassandra, "--cassandra-user",   s.cassandra_user,
          "--cassandra-password", password,    "--cassandra-tls-ca", s.ca};
}

std::vector<std::string> concat(std::initializer_list<std::vector<std::string>> parts) {
  std::vector<std::string> all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

store::SessionConfig secure_session(const SecureStack& s) {
  store::SessionConfig config;
  config.contact_points = {s.cassandra};
  config.username = s.cassandra_user;
  config.password = s.cassandra_password;
  config.tls.enabled = true;
  config.tls.ca_file = s.ca;
  return config;
}

// Every secret the test knows, wrong ones included, must be absent from `text`.
void expect_no_secret(const std::string& text, const std::vector<std::string>& secrets, const std::string& where) {
  for (const auto& secret : secrets) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "a password appears in " << where << ":\n" << text;
  }
}

// The lines of the command's own error messages ("ratingstream: ..."), not its log lines.
std::size_t error_lines(const std::string& err) {
  std::size_t n = 0;
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) n += line.starts_with("ratingstream: ");
  return n;
}

std::size_t line_count(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

class SecureStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      stack_ = secure_stack();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
  }
  SecureStack stack_;
};

TEST_F(SecureStackTest, ProduceProcessQueryWithCredentialsAndTlsAndNoPasswordInAnyOutput) {
  const std::string topic = testing::unique_name("it_secure");
  const std::string keyspace = testing::unique_name("it_secure");
  const auto kafka = kafka_flags(stack_, stack_.kafka_password);
  const auto cassandra = cassandra_flags(stack_, stack_.cassandra_password);
  const std::vector<std::string> secrets{stack_.kafka_password, stack_.cassandra_password};
  const auto sample = testing::source_root() / "data" / "sample";
  constexpr int kCount = 200;

  const auto created =
      testing::run_ratingstream(concat({{"topic", "create", "-t", topic, "--partitions", "3"}, kafka}));
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  expect_no_secret(created.out + created.err, secrets, "topic create");

  const auto produced = testing::run_ratingstream(
      concat({{"produce", "-t", topic, "--rate", "0", "--count", std::to_string(kCount), "--seed", "7", "--quiet",
               "--movies", (sample / "movies.csv").string(), "--log-level", "debug"},
              kafka}),
      120s);
  ASSERT_EQ(produced.exit_code, 0) << produced.out << produced.err;
  EXPECT_NE(produced.err.find("delivered " + std::to_string(kCount) + ","), std::string::npos) << produced.err;
  expect_no_secret(produced.out + produced.err, secrets, "produce --log-level debug");

  // The processor at debug level with librdkafka's security debugging on: the most it ever says.
  testing::TempDir dir;
  Background processor(concat({{"process",
                                "-t",
                                topic,
                                "--keyspace",
                                keyspace,
                                "--group",
                                testing::unique_name("it_secure"),
                                "--catalog",
                                (sample / "catalogue.csv").string(),
                                "--starting-offsets",
                                "earliest",
                                "--trigger",
                                "1s",
                                "--until-idle",
                                "4s",
                                "--progress",
                                "json",
                                "--metrics-address",
                                "127.0.0.1",
                                "--metrics-port",
                                "0",
                                "--log-level",
                                "debug",
                                "-X",
                                "debug=security,broker,conf"},
                               kafka,
                               cassandra}),
                       dir.path(), "processor");
  int port = 0;
  ASSERT_TRUE(
      testing::eventually([&] { return (port = metrics_port(processor.err())) > 0 || !processor.running(); }, 60s));
  ASSERT_GT(port, 0) << processor.err();
  std::string served;
  ASSERT_TRUE(testing::eventually(
      [&] {
        const auto metrics = http_get(port, "/metrics");
        if (metrics.body.find("ratingstream_records_in_total " + std::to_string(kCount)) == std::string::npos) {
          return !processor.running();
        }
        served = metrics.body + http_get(port, "/api/pipeline").body + http_get(port, "/healthz").body;
        return true;
      },
      120s));
  EXPECT_EQ(processor.wait(60s), 0) << processor.err();
  EXPECT_EQ(sum_progress(processor.err(), "records_in"), kCount) << processor.err();
  const auto written = sum_progress(processor.err(), "written");
  EXPECT_EQ(written + sum_progress(processor.err(), "unmatched"), kCount) << processor.err();
  EXPECT_GT(written, 0);
  EXPECT_FALSE(served.empty());
  expect_no_secret(processor.out() + processor.err(), secrets, "process --log-level debug");
  expect_no_secret(served, secrets, "the processor's /metrics, /api/pipeline and /healthz");

  // Read back through the driver, over TLS, as the application role.
  {
    auto session = store::Session::connect(secure_session(stack_));
    EXPECT_EQ(count_rows(session, keyspace), written);
  }
  const auto rows = testing::run_ratingstream(
      concat({{"query", "sample", "--keyspace", keyspace, "--limit", "1000", "--format", "csv"}, cassandra}));
  ASSERT_EQ(rows.exit_code, 0) << rows.err;
  EXPECT_EQ(static_cast<std::int64_t>(line_count(rows.out)), written + 1) << rows.out;  // + the header
  const auto q1 = testing::run_ratingstream(concat({{"query", "avg-duration", "--keyspace", keyspace, "--name",
                                                     "Stelios Giagkos", "--from", "2000-01-01", "--to", "2100-01-01"},
                                                    cassandra}));
  ASSERT_EQ(q1.exit_code, 0) << q1.err;
  expect_no_secret(rows.out + rows.err + q1.out + q1.err, secrets, "query");

  auto session = store::Session::connect(secure_session(stack_));
  session.execute("DROP KEYSPACE IF EXISTS " + keyspace);
}

TEST_F(SecureStackTest, PasswordsFromTheEnvironmentAndAConfigFile) {
  testing::TempDir dir;
  // librdkafka properties under their long name in the file, the Cassandra password in the
  // environment: neither is on the command line, where ps would show it.
  const auto config = dir.write(
      "ratingstream.toml", fmt::format("bootstrap-servers = \"{}\"\n"
                                       "kafka-property = [\"security.protocol=SASL_SSL\", \"sasl.mechanisms=PLAIN\", "
                                       "\"sasl.username={}\", \"sasl.password={}\", \"ssl.ca.location={}\"]\n"
                                       "cassandra = \"{}\"\ncassandra-user = \"{}\"\ncassandra-tls-ca = \"{}\"\n",
                                       stack_.bootstrap, stack_.kafka_user, stack_.kafka_password, stack_.ca,
                                       stack_.cassandra, stack_.cassandra_user, stack_.ca));
  const std::string topic = testing::unique_name("it_secure_cfg");
  const auto created = testing::run_ratingstream({"topic", "create", "-t", topic, "--config", config.string()});
  EXPECT_EQ(created.exit_code, 0) << created.err;
  const auto schema = testing::run_ratingstream(
      {"schema", "--keyspace", testing::unique_name("it_secure_cfg"), "--config", config.string()}, 60s,
      {"RATINGSTREAM_CASSANDRA_PASSWORD=" + stack_.cassandra_password});
  EXPECT_EQ(schema.exit_code, 0) << schema.err;
  expect_no_secret(created.out + created.err + schema.out + schema.err,
                   {stack_.kafka_password, stack_.cassandra_password}, "topic create / schema with --config");
}

TEST_F(SecureStackTest, WrongCassandraPasswordIsOneClearLineAndExit2) {
  const std::string wrong = "wrong-" + testing::unique_name("pw");
  const std::vector<std::string> secrets{wrong, stack_.cassandra_password, stack_.kafka_password};
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"query", "sample"},
        std::vector<std::string>{"schema", "--keyspace", "it_secure_never"}}) {
    const auto result = testing::run_ratingstream(concat({command, cassandra_flags(stack_, wrong)}), 60s);
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_EQ(line_count(result.err), 1u) << result.err;
    EXPECT_NE(result.err.find("cannot connect to Cassandra at 127.0.0.1:9142"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("--cassandra-password"), std::string::npos) << result.err;
    expect_no_secret(result.out + result.err, secrets, "a refused login");
  }
  // No credentials at all against a node that requires them: the same kind of answer.
  const auto anonymous = testing::run_ratingstream(
      {"query", "sample", "--cassandra", stack_.cassandra, "--cassandra-tls-ca", stack_.ca}, 60s);
  EXPECT_EQ(anonymous.exit_code, 2) << anonymous.err;
  EXPECT_NE(anonymous.err.find("--cassandra-user"), std::string::npos) << anonymous.err;
}

TEST_F(SecureStackTest, WrongKafkaPasswordIsOneClearLineAndExit2) {
  const std::string wrong = "wrong-" + testing::unique_name("pw");
  const std::vector<std::string> secrets{wrong, stack_.kafka_password, stack_.cassandra_password};
  const auto produce = testing::run_ratingstream(concat({{"produce", "-t", testing::unique_name("it_secure_never"),
                                                          "--count", "1", "--interval", "1s", "--seed", "1"},
                                                         kafka_flags(stack_, wrong)}),
                                                 120s);
  EXPECT_EQ(produce.exit_code, 2) << produce.out << produce.err;
  EXPECT_EQ(error_lines(produce.err), 1u) << produce.err;
  EXPECT_NE(produce.err.find("Kafka at localhost:29094 refused the connection"), std::string::npos) << produce.err;
  EXPECT_NE(produce.err.find("sasl.password"), std::string::npos) << produce.err;
  expect_no_secret(produce.out + produce.err, secrets, "produce with a wrong password");

  const auto process = testing::run_ratingstream(concat({{"process", "-t", testing::unique_name("it_secure_never"),
                                                          "--keyspace", "it_secure_never", "--trigger", "1s"},
                                                         kafka_flags(stack_, wrong),
                                                         cassandra_flags(stack_, stack_.cassandra_password)}),
                                                 120s);
  EXPECT_EQ(process.exit_code, 2) << process.out << process.err;
  EXPECT_EQ(error_lines(process.err), 1u) << process.err;
  EXPECT_NE(process.err.find("refused the connection"), std::string::npos) << process.err;
  expect_no_secret(process.out + process.err, secrets, "process with a wrong Kafka password");
}

TEST_F(SecureStackTest, AnUntrustedCertificateIsRefused) {
  // TLS trusting only the system's CAs, none of which signed the local node's certificate.
  const auto result = testing::run_ratingstream(
      {"query", "sample", "--cassandra", stack_.cassandra, "--cassandra-user", stack_.cassandra_user,
       "--cassandra-password", stack_.cassandra_password, "--cassandra-tls"},
      60s);
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_EQ(error_lines(result.err), 1u) << result.err;
  EXPECT_NE(result.err.find("cannot connect to Cassandra at 127.0.0.1:9142"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("certificate verify failed"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--cassandra-tls-ca"), std::string::npos) << result.err;
  expect_no_secret(result.out + result.err, {stack_.cassandra_password}, "an untrusted certificate");
}

TEST(TlsFlags, AMissingOrBrokenFileIsExit2NamingIt) {
  testing::TempDir dir;
  const auto not_pem = dir.write("ca.pem", "this is not a certificate\n");
  const auto missing = testing::run_ratingstream({"query", "sample", "--cassandra-tls-ca", "/nonexistent/ca.pem"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--cassandra-tls-ca /nonexistent/ca.pem: cannot read the file"), std::string::npos)
      << missing.err;
  const auto broken = testing::run_ratingstream({"query", "sample", "--cassandra-tls-ca", not_pem.string()});
  EXPECT_EQ(broken.exit_code, 2) << broken.err;
  EXPECT_NE(broken.err.find(not_pem.string()), std::string::npos) << broken.err;
  EXPECT_EQ(line_count(broken.err), 1u) << broken.err;
  const auto half = testing::run_ratingstream({"query", "sample", "--cassandra-tls-cert", not_pem.string()});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_NE(half.err.find("give both"), std::string::npos) << half.err;
}

}  // namespace
}  // namespace ratingstream::process_test
