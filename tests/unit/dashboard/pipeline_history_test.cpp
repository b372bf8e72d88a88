// The pipeline history: rates per second from consecutive samples, the ring's bound, the JSON
// shape the page and scripts read.

#include "dashboard/pipeline_history.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>

#include "test_support.hpp"

namespace ratingstream::dashboard {
namespace {

using namespace std::chrono_literals;
using WallClock = PipelineHistory::WallClock;

observe::MetricsSnapshot counters(std::uint64_t in, std::uint64_t written, std::uint64_t bad_json = 0) {
  observe::MetricsSnapshot s;
  s.records_in = in;
  s.written = written;
  s.rejected = {{"bad_json", bad_json}, {"bad_rating", 0}};
  return s;
}

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element doc;
  const auto error = parser.parse(json).get(doc);
  EXPECT_EQ(error, simdjson::SUCCESS) << json;
  return doc;
}

TEST(PipelineHistory, RatesAreDifferencesPerSecondOfTheTimeBetweenSamples) {
  PipelineHistory history;
  const auto t0 = WallClock::time_point{} + 1'700'000'000s;
  history.add(t0, counters(100, 90));
  auto second = counters(130, 110, 4);
  second.lag = 7;
  second.duration_count = 2;
  second.duration_sum = 0.5;
  history.add(t0 + 2s, second);

  simdjson::dom::parser parser;
  const auto doc = parse(parser, history.json());
  const auto samples = doc["samples"].get_array().value();
  ASSERT_EQ(samples.size(), 1u);
  const auto s = samples.at(0).value();
  EXPECT_EQ(s["t"].get_int64().value(), 1'700'000'002'000);
  EXPECT_DOUBLE_EQ(s["records_in"].get_double().value(), 15.0);
  EXPECT_DOUBLE_EQ(s["written"].get_double().value(), 10.0);
  EXPECT_DOUBLE_EQ(s["rejected"].get_double().value(), 2.0);
  EXPECT_EQ(s["lag"].get_int64().value(), 7);
  EXPECT_DOUBLE_EQ(s["batch_seconds"].get_double().value(), 0.25);
  EXPECT_EQ(doc["totals"]["records_in"].get_uint64().value(), 130u);
  EXPECT_EQ(doc["totals"]["rejected"].get_uint64().value(), 4u);
  EXPECT_EQ(doc["rejected_by_reason"]["bad_json"].get_uint64().value(), 4u);
  EXPECT_EQ(doc["lag"].get_int64().value(), 7);
  EXPECT_TRUE(doc["cassandra_up"].get_bool().value());
}

TEST(PipelineHistory, NoBatchInASecondIsANullDurationAndAnUnknownLagIsNull) {
  PipelineHistory history;
  const auto t0 = WallClock::time_point{} + 1000s;
  history.add(t0, counters(0, 0));
  history.add(t0 + 1s, counters(0, 0));
  simdjson::dom::parser parser;
  const auto doc = parse(parser, history.json());
  const auto s = doc["samples"].at(0).value();
  EXPECT_TRUE(s["batch_seconds"].is_null());
  EXPECT_TRUE(s["lag"].is_null());
  EXPECT_TRUE(doc["lag"].is_null());
}

TEST(PipelineHistory, ARestartedProcessorGivesZeroNotANegativeRate) {
  PipelineHistory history;
  const auto t0 = WallClock::time_point{} + 1000s;
  history.add(t0, counters(500, 500));
  history.add(t0 + 1s, counters(3, 3));
  simdjson::dom::parser parser;
  const auto doc = parse(parser, history.json());
  EXPECT_DOUBLE_EQ(doc["samples"].at(0)["records_in"].get_double().value(), 0.0);
}

TEST(PipelineHistory, KeepsOnlyTheLastCapacitySamples) {
  PipelineHistory history(5);
  const auto t0 = WallClock::time_point{} + 1000s;
  for (int i = 0; i < 20; ++i) history.add(t0 + std::chrono::seconds(i), counters(static_cast<std::uint64_t>(i), 0));
  simdjson::dom::parser parser;
  const auto doc = parse(parser, history.json());
  const auto samples = doc["samples"].get_array().value();
  ASSERT_EQ(samples.size(), 5u);
  EXPECT_EQ(samples.at(4)["t"].get_int64().value(), 1'019'000);
  EXPECT_EQ(samples.at(0)["t"].get_int64().value(), 1'015'000);
}

TEST(PipelineHistory, AnEmptyHistoryIsValidJsonSayingSo) {
  PipelineHistory history;
  simdjson::dom::parser parser;
  const auto doc = parse(parser, history.json());
  EXPECT_EQ(doc["samples"].get_array().value().size(), 0u);
  EXPECT_FALSE(doc["sampled"].get_bool().value());
}

TEST(PipelineSampler, SamplesTheSourceRepeatedlyUntilDestroyed) {
  PipelineHistory history;
  std::atomic<int> calls{0};
  {
    PipelineSampler sampler(
        history,
        [&calls] {
          ++calls;
          return counters(static_cast<std::uint64_t>(calls.load()), 0);
        },
        10ms);
    EXPECT_TRUE(testing::eventually([&calls] { return calls.load() >= 3; }, 5s, 5ms));
  }
  const int after_stop = calls.load();
  simdjson::dom::parser parser;
  const auto doc = parse(parser, history.json());
  EXPECT_GE(doc["samples"].get_array().value().size(), 2u);
  EXPECT_EQ(calls.load(), after_stop);  // the thread is gone
}

TEST(PipelineHistory, ListsTheServersOfTheLastSample) {
  PipelineHistory history;
  auto last = counters(0, 0);
  last.cassandra_nodes = {{"127.0.0.11:9042", "dc1", true}, {"127.0.0.12:9042", "dc\"1", false}};
  last.kafka_brokers = {{"127.0.0.1:29201", "11", true}};
  history.add(WallClock::time_point{} + 1000s, last);
  simdjson::dom::parser parser;
  const auto doc = parse(parser, history.json());
  const auto nodes = doc["cassandra_nodes"].get_array().value();
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes.at(1)["address"].get_string().value(), "127.0.0.12:9042");
  EXPECT_EQ(nodes.at(1)["detail"].get_string().value(), "dc\"1");
  EXPECT_FALSE(nodes.at(1)["reachable"].get_bool().value());
  const auto brokers = doc["kafka_brokers"].get_array().value();
  ASSERT_EQ(brokers.size(), 1u);
  EXPECT_EQ(brokers.at(0)["detail"].get_string().value(), "11");
  EXPECT_TRUE(brokers.at(0)["reachable"].get_bool().value());
}

}  // namespace
}  // namespace ratingstream::dashboard
