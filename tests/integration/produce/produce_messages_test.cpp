// `ratingstream produce` against the real broker: what lands on the topic matches the message
// format (docs/contract.md, "Message format").
//
// Compression is checked where it is decided, in the broker's log: librdkafka decompresses on
// consume and does not say what the batches were. Each segment file under the broker's log dir
// (<log dir>/<topic>-<partition>/*.log) is a sequence of v2 record batches whose header holds the
// codec in the low 3 bits of its attributes (bytes 21..22): 0 none, 1 gzip, 2 snappy, 3 lz4,
// 4 zstd. The log dir is RS_KAFKA_LOG_DIR, by default the one scripts/stack uses
// (.stack/kafka/data). The lz4 test is the control that shows the reader can tell codecs apart.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>
#include <simdjson.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "kafka/topic_admin.hpp"
#include "produce/movies_file.hpp"
#include "test_support.hpp"

namespace ratingstream {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kBootstrap = "localhost:29092";
constexpr const char* kOwnName = "Stelios Giagkos";

struct Record {
  int32_t partition = 0;
  std::string key;
  std::string value;
};

// Every record of `topic` from the start, until `expected` have arrived (or a minute passed).
std::vector<Record> consume(const std::string& topic, std::size_t expected) {
  std::string err;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", kBootstrap, err);
  conf->set("group.id", testing::unique_name("produce_test"), err);
  conf->set("auto.offset.reset", "earliest", err);
  conf->set("enable.auto.commit", "false", err);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer) throw std::runtime_error("consumer: " + err);
  consumer->subscribe({topic});
  std::vector<Record> records;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (records.size() < expected && std::chrono::steady_clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(500));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    records.push_back({m->partition(), m->key() ? *m->key() : std::string(),
                       std::string(static_cast<const char*>(m->payload()), m->len())});
  }
  // A moment longer: more records than expected would be a failure too.
  for (int i = 0; i < 4; ++i) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(250));
    if (m->err() == RdKafka::ERR_NO_ERROR) records.push_back({m->partition(), {}, {}});
  }
  consumer->close();
  return records;
}

fs::path kafka_log_dir() {
  const char* dir = std::getenv("RS_KAFKA_LOG_DIR");
  return dir ? fs::path(dir) : testing::source_root() / ".stack" / "kafka" / "data";
}

// The compression codec of every record batch of `topic` in the broker's log files.
std::vector<int> batch_codecs(const std::string& topic) {
  std::vector<int> codecs;
  const fs::path log_dir = kafka_log_dir();
  if (!fs::is_directory(log_dir)) throw std::runtime_error(log_dir.string() + ": no Kafka log dir (RS_KAFKA_LOG_DIR)");
  for (const auto& partition_dir : fs::directory_iterator(log_dir)) {
    const std::string name = partition_dir.path().filename().string();
    if (!name.starts_with(topic + "-") || name.find_first_not_of("0123456789", topic.size() + 1) != std::string::npos) {
      continue;
    }
    for (const auto& file : fs::directory_iterator(partition_dir)) {
      if (file.path().extension() != ".log") continue;
      std::ifstream in(file.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto be32 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) << 24 |
               static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16 |
               static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8 |
               static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
      };
      // Batch header: baseOffset(8) batchLength(4) partitionLeaderEpoch(4) magic(1) crc(4) attributes(2)...
      for (std::size_t at = 0; at + 23 <= bytes.size();) {
        const std::uint32_t length = be32(at + 8);
        if (length == 0) break;  // zero fill past the end of the data
        EXPECT_EQ(bytes[at + 16], 2) << file.path() << ": not a v2 record batch at byte " << at;
        codecs.push_back(static_cast<unsigned char>(bytes[at + 22]) & 0x7);
        at += 12 + length;
      }
    }
  }
  return codecs;
}

struct Message {
  std::string name;
  std::string movie;
  std::int64_t rating = 0;
  std::string timestamp;
};

// Checks `json` has exactly the message's four fields with their types and returns them.
Message parse_message(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  Message m;
  const simdjson::padded_string padded(json);
  EXPECT_EQ(parser.parse(padded).get(object), simdjson::SUCCESS) << json;
  std::set<std::string> keys;
  for (auto field : object) {
    keys.emplace(field.key);
    std::string_view text;
    if (field.key == "name") {
      EXPECT_EQ(field.value.get(text), simdjson::SUCCESS) << json;
      m.name = text;
    } else if (field.key == "movie") {
      EXPECT_EQ(field.value.get(text), simdjson::SUCCESS) << json;
      m.movie = text;
    } else if (field.key == "rating") {
      EXPECT_TRUE(field.value.is_int64()) << json;  // an integer, not 7.0 or "7"
      EXPECT_EQ(field.value.get(m.rating), simdjson::SUCCESS) << json;
    } else if (field.key == "timestamp") {
      EXPECT_EQ(field.value.get(text), simdjson::SUCCESS) << json;
      m.timestamp = text;
    }
  }
  EXPECT_EQ(keys, (std::set<std::string>{"name", "movie", "rating", "timestamp"})) << json;
  return m;
}

// "2025-03-13T19:26:50.863211Z" as seconds since the epoch, UTC; -1 when it is not of that form.
std::int64_t parse_utc_micros_timestamp(const std::string& text) {
  static const std::regex form(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z)");
  std::smatch m;
  if (!std::regex_match(text, m, form)) return -1;
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  return static_cast<std::int64_t>(::timegm(&tm));
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Titles that test the whole way from the CSV file to the JSON on the wire.
const char* const kHostileMovies =
    "Sankofa\n"
    "\"El patrón, radiografía de un crimen\"\n"
    "\"The \"\"Real\"\" Story\"\n"
    "Back\\slash\n"
    "Naruto Shippûden\n"
    "\n"
    "Dügün Dernek 2: Sünnet\n"
    "Europe's Most Dangerous Man: Otto Skorzeny in Spain\n"
    "\"Tab\tand, comma\"\n";

TEST(ProduceMessages, ThreeHundredMessagesMatchTheSpec) {
  testing::TempDir dir;
  const fs::path movies_file = dir.write("movies.csv", kHostileMovies);
  const std::string topic = testing::unique_name("produce_spec");
  const std::int64_t started = now_seconds();

  const auto run = testing::run_ratingstream(
      {"produce", "-t", topic, "--movies", movies_file.string(), "--count", "300", "--interval", "0"}, 120s);
  ASSERT_FALSE(run.timed_out);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("created topic " + topic), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("summary: sent 300, delivered 300, failed 0"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("seed "), std::string::npos) << "a run without --seed prints its seed:\n" << run.err;
  // Schedule mode echoes each message, as the original did.
  std::size_t echoed = 0;
  for (std::size_t at = run.out.find("Sent: {"); at != std::string::npos; at = run.out.find("Sent: {", at + 1))
    ++echoed;
  EXPECT_EQ(echoed, 300u);

  const auto records = consume(topic, 300);
  ASSERT_EQ(records.size(), 300u);
  const auto expected_movies = produce::load_movies(movies_file);
  const std::set<std::string> movie_set(expected_movies.begin(), expected_movies.end());
  ASSERT_EQ(movie_set.size(), 8u);

  std::map<std::string, int> by_name;
  std::map<std::string, std::set<int32_t>> partitions_of;
  std::set<std::string> movies_seen;
  std::set<std::int64_t> ratings_seen;
  for (const auto& record : records) {
    const Message m = parse_message(record.value);
    EXPECT_EQ(record.key, m.name) << record.value;
    EXPECT_TRUE(movie_set.contains(m.movie)) << record.value;
    EXPECT_GE(m.rating, 1) << record.value;
    EXPECT_LE(m.rating, 10) << record.value;
    const std::int64_t at = parse_utc_micros_timestamp(m.timestamp);
    EXPECT_NE(at, -1) << "not UTC with microseconds and Z: " << m.timestamp;
    EXPECT_GE(at, started - 2) << m.timestamp;
    EXPECT_LE(at, now_seconds() + 2) << m.timestamp;
    ++by_name[m.name];
    partitions_of[m.name].insert(record.partition);
    movies_seen.insert(m.movie);
    ratings_seen.insert(m.rating);
  }
  EXPECT_GE(by_name.size(), 15u);
  EXPECT_TRUE(by_name.contains(kOwnName));
  for (const auto& [name, n] : by_name) EXPECT_EQ(n, 20) << name << ": one message per person per round";
  for (const auto& [name, partitions] : partitions_of) EXPECT_EQ(partitions.size(), 1u) << name;
  EXPECT_EQ(movies_seen, movie_set) << "every movie of the file is rated";
  EXPECT_EQ(ratings_seen.size(), 10u) << "ratings 1..10 all occur in 300 uniform draws";

  const auto codecs = batch_codecs(topic);
  ASSERT_FALSE(codecs.empty());
  for (const int codec : codecs) EXPECT_EQ(codec, 1) << "a record batch that is not gzip";
}

TEST(ProduceMessages, CompressionFlagChoosesTheCodec) {
  const std::string topic = testing::unique_name("produce_lz4");
  const auto run = testing::run_ratingstream(
      {"produce", "-t", topic, "--count", "30", "--interval", "0", "--quiet", "--compression", "lz4"}, 120s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "") << "--quiet prints no messages";
  ASSERT_EQ(consume(topic, 30).size(), 30u);
  const auto codecs = batch_codecs(topic);
  ASSERT_FALSE(codecs.empty());
  for (const int codec : codecs) EXPECT_EQ(codec, 3) << "a record batch that is not lz4";
}

TEST(ProduceMessages, DefaultsToTheSampleMoviesAndSeedReproducesTheRatings) {
  const std::string topic = testing::unique_name("produce_seed");
  const std::vector<std::string> args = {"produce", "-t",    topic,      "--count", "45",   "--interval",  "0",
                                         "--seed",  "12345", "--people", "4",       "--me", "Ada Lovelace"};
  const auto first = testing::run_ratingstream(args, 120s);
  const auto second = testing::run_ratingstream(args, 120s);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("topic " + topic + " exists"), std::string::npos) << second.err;

  const auto sample = produce::load_movies(testing::source_root() / "data" / "sample" / "movies.csv");
  const std::set<std::string> sample_set(sample.begin(), sample.end());
  std::vector<std::string> first_lines, second_lines;
  std::set<std::string> names;
  auto without_timestamps = [&](const std::string& out, std::vector<std::string>& lines) {
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      ASSERT_TRUE(line.starts_with("Sent: ")) << line;
      const Message m = parse_message(line.substr(6));
      EXPECT_TRUE(sample_set.contains(m.movie)) << m.movie;
      names.insert(m.name);
      lines.push_back(m.name + "|" + m.movie + "|" + std::to_string(m.rating));
    }
  };
  without_timestamps(first.out, first_lines);
  without_timestamps(second.out, second_lines);
  EXPECT_EQ(first_lines.size(), 45u);
  EXPECT_EQ(first_lines, second_lines) << "--seed repeats names, movies and ratings";
  EXPECT_EQ(names.size(), 5u);
  EXPECT_TRUE(names.contains("Ada Lovelace"));
  EXPECT_EQ(consume(topic, 90).size(), 90u);
}

// The history loader: the rounds of a past span, as fast as the broker takes them, the same
// messages (timestamps included) on every run with the same seed and end.
TEST(ProduceMessages, AHistoryIsTheRoundsOfAPastSpanAndASeedRepeatsItExactly) {
  const std::string topic = testing::unique_name("produce_history");
  const std::vector<std::string> args = {
      "produce", "-t", topic,           "--history",           "1h", "--interval", "10s", "--people", "2", "--me", "",
      "--seed",  "21", "--history-end", "2025-01-01T00:00:00Z"};
  const auto first = testing::run_ratingstream(args, 120s);
  const auto second = testing::run_ratingstream(args, 120s);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(first.out, second.out);
  std::istringstream in(first.out);
  std::vector<Message> sent;
  for (std::string line; std::getline(in, line);) sent.push_back(parse_message(line.substr(6)));
  ASSERT_EQ(sent.size(), 720u);  // 360 rounds of 2 people
  std::set<std::string> names;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    names.insert(sent[i].name);
    const auto round = static_cast<int>(i / 2);
    EXPECT_EQ(sent[i].timestamp, fmt::format("2024-12-31T23:{:02}:{:02}.000000Z", round / 6, round % 6 * 10)) << i;
  }
  EXPECT_EQ(names.size(), 2u);
  EXPECT_EQ(consume(topic, 1440).size(), 1440u);

  const auto refused = testing::run_ratingstream({"produce", "-t", topic, "--history", "1h", "--rate", "5"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  const auto bad_end = testing::run_ratingstream({"produce", "-t", topic, "--history", "1h", "--history-end", "soon"});
  EXPECT_EQ(bad_end.exit_code, 2) << bad_end.err;
  EXPECT_NE(bad_end.err.find("--history-end"), std::string::npos) << bad_end.err;
}

TEST(ProduceMessages, AMissingTopicIsCreatedWithTheRequestedPartitions) {
  const std::string topic = testing::unique_name("produce_parts");
  const auto run = testing::run_ratingstream(
      {"produce", "-t", topic, "--count", "1", "--interval", "0", "--partitions", "5", "--quiet"}, 120s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("created topic " + topic + " (5 partitions)"), std::string::npos) << run.err;
  std::string err;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", kBootstrap, err);
  EXPECT_EQ(kafka::partition_count(*conf, topic, 10s), 5);
}

}  // namespace
}  // namespace ratingstream
