// The Kafka broker killed with kill -9 (its pid from .stack/kafka.pid) and started again with
// `scripts/stack up kafka` while `ratingstream produce` (load mode) and `ratingstream process` both
// run. Both recover by themselves: the producer reports every message delivered and exits 0; the
// topic holds exactly the count it sent (idempotent producer: a retry after the broker came back
// does not duplicate); the table equals the rows derived from what is in the topic. Whatever
// happens, Kafka runs again at the end (ServerRestarter).

#include <gtest/gtest.h>

#include <regex>

#include "chaos_fixtures.hpp"

namespace ratingstream::chaos_test {
namespace {

constexpr int kPartitions = 3;
constexpr int kRate = 2000;
constexpr int kCount = 80'000;  // 40 s at kRate
constexpr auto kOutage = 15s;

// The movies file of the producer: the catalogue's titles, CSV-quoted where needed.
constexpr const char* kMovies = "Twin Harbours\n\"Salt, Smoke and Silver\"\n\"The \"\"Quiet\"\" Lantern\"\n";

// The string value of `field` in a JSON object written by the producer (escapes \" \\ \/ and
// \uXXXX below U+0080 are what its encoder writes for the names and titles used here).
std::optional<std::string> json_string(const std::string& json, const std::string& field) {
  const std::string key = "\"" + field + "\":\"";
  auto at = json.find(key);
  if (at == std::string::npos) return std::nullopt;
  std::string out;
  for (at += key.size(); at < json.size(); ++at) {
    const char c = json[at];
    if (c == '"') return out;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++at >= json.size()) return std::nullopt;
    switch (json[at]) {
      case 'u':
        if (at + 4 >= json.size()) return std::nullopt;
        out.push_back(static_cast<char>(std::stoi(json.substr(at + 1, 4), nullptr, 16)));
        at += 4;
        break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      default: out.push_back(json[at]);
    }
  }
  return std::nullopt;
}

// 2026-11-30T04:10:11.123456Z -> milliseconds since the epoch (truncated, as the table keeps them).
std::optional<std::int64_t> producer_timestamp_us(const std::string& text) {
  std::smatch m;
  if (!std::regex_match(text, m, std::regex(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z)"))) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  return static_cast<std::int64_t>(timegm(&tm)) * 1'000'000 + std::stoi(m[7]);
}

TEST(ChaosKafkaKill, ProducerAndProcessorRecoverFromABrokerKillNine) {
  const std::string topic = testing::unique_name("chaos_kafka");
  const std::string keyspace = testing::unique_name("chaos_kafka");
  const KeyspaceDropper dropper(keyspace);
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  const auto movies = dir.write("movies.csv", kMovies);
  create_topic(topic, kPartitions);

  Background processor({"process", "-t", topic, "--keyspace", keyspace, "--group", testing::unique_name("chaos_kafka"),
                        "--catalog", catalogue.string(), "--starting-offsets", "earliest", "--trigger", "1s",
                        "--progress", "json"},
                       dir.path(), "processor");
  // --flush-timeout: the last messages may still wait for the restarted broker when the count is
  // reached; the default 10 s would give up on them.
  Background producer({"produce", "-t", topic, "--movies", movies.string(), "--rate", std::to_string(kRate), "--count",
                       std::to_string(kCount), "--seed", "7", "--quiet", "--flush-timeout", "180s"},
                      dir.path(), "producer");

  auto session = cassandra();
  ASSERT_TRUE(testing::eventually(
      [&] { return count_rows(session, keyspace) >= kCount / 8 || !processor.running() || !producer.running(); }, 120s))
      << processor.err() << producer.err();
  ASSERT_TRUE(processor.running()) << processor.err();
  ASSERT_TRUE(producer.running()) << producer.err();
  const auto rows_at_kill = count_rows(session, keyspace);

  ServerRestarter restarter("kafka", [&] { return kafka_answers(topic); });
  restarter.mark_down();
  kill_server("kafka");
  if (::testing::Test::HasFatalFailure()) return;
  const auto down_at = std::chrono::steady_clock::now();
  // The outage is the deliberate wait; neither client may give up meanwhile.
  while (std::chrono::steady_clock::now() - down_at < kOutage) {
    ASSERT_TRUE(processor.running()) << "the processor exited while Kafka was down:\n" << processor.err();
    ASSERT_TRUE(producer.running()) << "the producer exited while Kafka was down:\n" << producer.err();
    std::this_thread::sleep_for(200ms);
  }
  const auto restart_began = std::chrono::steady_clock::now();
  ASSERT_TRUE(restarter.restart());
  const double restart_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - restart_began).count();

  ASSERT_EQ(producer.wait(300s), 0) << producer.err();
  const std::string summary = fmt::format("summary: sent {}, delivered {}, failed 0", kCount, kCount);
  EXPECT_NE(producer.err().find(summary), std::string::npos) << "expected \"" << summary << "\" in:\n" << producer.err();

  // What is in the topic, exactly, and the rows it must give.
  const auto consumed = consume_all(topic, kPartitions);
  EXPECT_EQ(consumed.size(), static_cast<std::size_t>(kCount)) << "the topic does not hold what the producer sent";
  std::map<store::Uuid, TableRow> expected;
  std::set<std::string> values;
  std::size_t repeated_values = 0;
  for (const auto& record : consumed) {
    ASSERT_TRUE(record.value.has_value());
    const std::string& json = *record.value;
    // Every message carries a distinct microsecond timestamp per person; the same value twice
    // would be a duplicate the idempotent producer should have prevented.
    if (!values.insert(json).second) ++repeated_values;
    const auto name = json_string(json, "name");
    const auto movie = json_string(json, "movie");
    const auto timestamp = json_string(json, "timestamp");
    std::smatch rating;
    ASSERT_TRUE(name && movie && timestamp && std::regex_search(json, rating, std::regex(R"("rating":(\d+))"))) << json;
    const auto us = producer_timestamp_us(*timestamp);
    ASSERT_TRUE(us) << json;
    const auto title = std::find(std::begin(kTitles), std::end(kTitles), *movie);
    ASSERT_NE(title, std::end(kTitles)) << json;
    EXPECT_EQ(record.key, name) << json;
    auto row = expected_row(*name, *us, *movie, std::stoi(rating[1]), &kFilms[title - std::begin(kTitles)]);
    expected.emplace(std::get<store::Uuid>(row[2]), std::move(row));
  }
  EXPECT_EQ(repeated_values, 0u) << "messages in the topic twice";

  EXPECT_TRUE(testing::eventually(
      [&] { return count_rows(session, keyspace) >= static_cast<std::int64_t>(expected.size()) || !processor.running(); },
      300s));
  ASSERT_TRUE(processor.running()) << "the processor exited after Kafka came back:\n" << processor.err();
  processor.signal(SIGTERM);
  EXPECT_EQ(processor.wait(60s), 0) << processor.err();
  expect_table_equals(read_rows(keyspace), expected);

  std::cerr << "Kafka killed at " << rows_at_kill << " rows, down " << kOutage.count() << " s, answering again "
            << restart_seconds << " s after scripts/stack up; topic " << consumed.size() << " records, table "
            << count_rows(session, keyspace) << " rows; processor read " << sum_progress(processor.err(), "records_in")
            << " records\n";
}

}  // namespace
}  // namespace ratingstream::chaos_test
