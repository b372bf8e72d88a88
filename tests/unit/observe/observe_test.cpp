#include <gtest/gtest.h>
#include <httplib.h>

#include "common/errors.hpp"
#include "observe/batch_report.hpp"
#include "observe/http_endpoint.hpp"
#include "observe/metrics.hpp"

using namespace ratingstream::observe;

namespace {
BatchReport sample_report() {
  BatchReport r;
  r.batch = 12;
  r.records_in = 500;
  r.written = 480;
  r.unmatched = 15;
  r.rejected = 5;
  r.rejected_by_reason = {{"malformed_json", 3}, {"bad_timestamp", 2}};
  r.input_rate = 1234;
  r.processing_rate = 25300;
  r.duration_seconds = 0.0198;
  r.lag = 7;
  return r;
}
}  // namespace

TEST(Progress, TextLineHasEveryFigure) {
  EXPECT_EQ(format_progress_text(sample_report()),
            "batch 12: in 500, written 480, unmatched 15, rejected 5 (malformed_json 3, bad_timestamp 2), "
            "input 1.2k/s, processing 25.3k/s, took 19.8ms, lag 7");
  BatchReport quiet;
  quiet.batch = 1;
  EXPECT_EQ(format_progress_text(quiet),
            "batch 1: in 0, written 0, unmatched 0, rejected 0, input 0/s, processing 0/s, took 0.0ms, lag unknown");
  // Records past the table's retention are said only when there are some.
  BatchReport old = quiet;
  old.records_in = 3;
  old.expired = 3;
  EXPECT_EQ(format_progress_text(old),
            "batch 1: in 3, written 0, unmatched 0, expired 3, rejected 0, input 0/s, "
            "processing 0/s, took 0.0ms, lag unknown");
}

TEST(Progress, JsonLineIsOneObject) {
  EXPECT_EQ(format_progress_json(sample_report()),
            "{\"batch\":12,\"records_in\":500,\"written\":480,\"unmatched\":15,\"expired\":0,\"rejected\":5,"
            "\"rejected_by_reason\":{\"malformed_json\":3,\"bad_timestamp\":2},\"input_rate\":1234.0,"
            "\"processing_rate\":25300.0,\"duration_seconds\":0.0198,\"lag\":7}");
  BatchReport unknown_lag;
  EXPECT_NE(format_progress(unknown_lag, ProgressFormat::json).find("\"lag\":null"), std::string::npos);
}

TEST(Metrics, CountersAccumulateAndEveryReasonIsExported) {
  Metrics m({"malformed_json", "bad_timestamp", "too_large"});
  m.record_batch(sample_report());
  m.record_batch(sample_report());
  m.add_write_retries(3);
  const std::string text = m.prometheus_text();
  EXPECT_NE(text.find("ratingstream_records_in_total 1000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ratingstream_records_written_total 960\n"), std::string::npos);
  EXPECT_NE(text.find("ratingstream_records_unmatched_total 30\n"), std::string::npos);
  EXPECT_NE(text.find("ratingstream_records_expired_total 0\n"), std::string::npos);
  EXPECT_NE(text.find("ratingstream_records_rejected_total{reason=\"malformed_json\"} 6\n"), std::string::npos);
  EXPECT_NE(text.find("ratingstream_records_rejected_total{reason=\"too_large\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("ratingstream_cassandra_write_retries_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("ratingstream_consumer_lag 7\n"), std::string::npos);
}

TEST(Metrics, HistogramIsCumulative) {
  Metrics m({});
  BatchReport fast, slow;
  fast.duration_seconds = 0.002;
  slow.duration_seconds = 2;
  m.record_batch(fast);
  m.record_batch(slow);
  const std::string text = m.prometheus_text();
  EXPECT_NE(text.find("ratingstream_batch_duration_seconds_bucket{le=\"0.001\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ratingstream_batch_duration_seconds_bucket{le=\"0.0025\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("ratingstream_batch_duration_seconds_bucket{le=\"1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("ratingstream_batch_duration_seconds_bucket{le=\"5\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("ratingstream_batch_duration_seconds_bucket{le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("ratingstream_batch_duration_seconds_count 2\n"), std::string::npos);
}

TEST(HttpEndpoint, ServesMetricsAndHealth) {
  Metrics m({"malformed_json"});
  m.record_batch(sample_report());
  HttpEndpoint endpoint(m, "127.0.0.1", 0);
  httplib::Client client("127.0.0.1", endpoint.port());
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("ratingstream_records_in_total 500"), std::string::npos);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  m.set_cassandra_reachable(false);
  health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  EXPECT_EQ(client.Get("/nope")->status, 404);
}

TEST(HttpEndpoint, PortInUseIsAnInputErrorNamingIt) {
  Metrics m({});
  HttpEndpoint first(m, "127.0.0.1", 0);
  try {
    HttpEndpoint second(m, "127.0.0.1", first.port());
    FAIL() << "expected InputError";
  } catch (const ratingstream::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(std::to_string(first.port())), std::string::npos);
  }
}

TEST(Metrics, HealthAndMetricsNameTheServersReachedAndNot) {
  Metrics m({});
  EXPECT_EQ(m.health().text, "ok");  // nothing known yet: no server lines
  m.set_cassandra_nodes({{"127.0.0.11:9042", "dc1", true}, {"127.0.0.12:9042", "dc1", false}});
  m.set_kafka_brokers({{"127.0.0.1:29201", "11", true}});
  EXPECT_EQ(m.health().text,
            "ok\ncassandra nodes: 127.0.0.11:9042 (dc1) reachable, 127.0.0.12:9042 (dc1) unreachable\n"
            "kafka brokers: 127.0.0.1:29201 (11) reachable");
  m.set_cassandra_problem("cassandra unavailable: 2 replicas needed, 1 alive");
  const auto health = m.health();
  EXPECT_FALSE(health.ok);
  EXPECT_TRUE(health.text.starts_with("cassandra unavailable: 2 replicas needed, 1 alive\ncassandra nodes: "))
      << health.text;
  const auto text = m.prometheus_text();
  EXPECT_NE(text.find("ratingstream_cassandra_node_reachable{node=\"127.0.0.11:9042\",datacenter=\"dc1\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("ratingstream_cassandra_node_reachable{node=\"127.0.0.12:9042\",datacenter=\"dc1\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("ratingstream_kafka_broker_reachable{broker=\"11\",address=\"127.0.0.1:29201\"} 1\n"),
            std::string::npos);
  // A datacenter name is the server's to choose: quotes and backslashes are escaped.
  m.set_cassandra_nodes({{"h:9042", "d\"c\\1", true}});
  EXPECT_NE(m.prometheus_text().find(R"(datacenter="d\"c\\1"} 1)"), std::string::npos);
  EXPECT_EQ(m.snapshot().cassandra_nodes.size(), 1u);
  EXPECT_EQ(m.snapshot().kafka_brokers.size(), 1u);
}
