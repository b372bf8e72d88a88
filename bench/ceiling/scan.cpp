// rs_bench_scan: reads a ratings table back after a benchmark run and says, from Cassandra's own
// WRITETIME() of each row (microseconds, the same clock for every system on this machine):
//   - rows, and the first and last write time (the throughput run: when the last row was in);
//   - for the rows whose rating time is in [--since-ms, --until-ms): the age of each row when it
//     was written, WRITETIME(movie) minus the row's `timestamp` (the rating's time as the producer
//     stamped it, truncated to ms, so an age reads up to 1 ms long): min, mean, p50, p90, p99,
//     p99.9 and max, and p99 / max per --bucket-s of rating time (to see whether a system kept up).
//   - with --name, only that person's rows of the window, read from their partition with the window
//     in the query (bench/soak samples one person's last minute this way; original layout only).
// Prints one JSON object on stdout. With --drop it drops the keyspace instead (bench/run's clean-up),
// with --release-version it prints Cassandra's version.
//
//   rs_bench_scan --keyspace bench_ours_latency --since-ms 1764083500000

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "common/defaults.hpp"
#include "store/schema.hpp"
#include "store/session.hpp"

using namespace ratingstream;

namespace {

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Rows, write times and ages of a ratings table after a benchmark run"};
  std::string cassandra{defaults::kCassandraHosts};
  std::string keyspace;
  std::string table{defaults::kTable};
  std::int64_t since_ms = std::numeric_limits<std::int64_t>::min();
  std::int64_t until_ms = std::numeric_limits<std::int64_t>::max();
  double bucket_s = 10;
  std::string name;
  bool drop = false;
  bool release_version = false;
  app.add_option("--cassandra", cassandra, "Cassandra contact points")->capture_default_str();
  app.add_option("--keyspace", keyspace, "keyspace");
  app.add_option("--table", table, "table")->capture_default_str();
  app.add_option("--since-ms", since_ms, "ages only of rows rated at or after this (Unix ms)");
  app.add_option("--until-ms", until_ms, "ages only of rows rated before this (Unix ms)");
  app.add_option("--name", name, "only this person's rows, read by partition (original layout)");
  app.add_option("--bucket-s", bucket_s, "seconds of rating time per bucket")->capture_default_str();
  app.add_flag("--drop", drop, "drop the keyspace (if it exists) and exit");
  app.add_flag("--release-version", release_version, "print Cassandra's release_version and exit");
  CLI11_PARSE(app, argc, argv);
  if (keyspace.empty() && !release_version) {
    std::cerr << "scan: --keyspace is required\n";
    return 2;
  }

  try {
    store::SessionConfig config;
    config.contact_points = store::parse_contact_points(cassandra);
    config.request_timeout = std::chrono::milliseconds(60'000);
    store::Session session = store::Session::connect(config);
    if (release_version) {
      store::RowPager version = session.query("SELECT release_version FROM system.local");
      const auto row = version.next();
      const auto* text = row ? std::get_if<std::string>(&(*row)[0]) : nullptr;
      std::printf("%s\n", text != nullptr ? text->c_str() : "unknown");
      return 0;
    }
    if (drop) {
      store::check_identifier(Setting::keyspace, keyspace);
      session.execute("DROP KEYSPACE IF EXISTS " + store::quote_identifier(keyspace));
      session.await_schema_agreement();
      return 0;
    }
    std::string cql = "SELECT timestamp, WRITETIME(movie) FROM " + store::quote_identifier(keyspace) + "." +
                      store::quote_identifier(table);
    std::vector<store::BoundValue> values;
    if (!name.empty()) {
      cql += " WHERE name = ? AND timestamp >= ? AND timestamp < ?";
      values = {store::BoundValue::of_text(name), store::BoundValue::of_timestamp({since_ms}),
                store::BoundValue::of_timestamp({until_ms})};
    }
    store::RowPager pager = session.query(cql, values, 5000);

    std::size_t rows = 0;
    std::int64_t first_write = std::numeric_limits<std::int64_t>::max();
    std::int64_t last_write = std::numeric_limits<std::int64_t>::min();
    std::vector<double> ages;
    std::map<std::int64_t, std::vector<double>> buckets;  // bucket start (ms) -> ages
    const auto bucket_ms = static_cast<std::int64_t>(bucket_s * 1000);
    while (auto row = pager.next()) {
      const auto* ts = std::get_if<store::Timestamp>(&(*row)[0]);
      const auto* wt = std::get_if<std::int64_t>(&(*row)[1]);
      if (ts == nullptr || wt == nullptr) continue;
      ++rows;
      first_write = std::min(first_write, *wt);
      last_write = std::max(last_write, *wt);
      if (ts->millis < since_ms || ts->millis >= until_ms) continue;
      const double age_ms = static_cast<double>(*wt - ts->millis * 1000) / 1000.0;
      ages.push_back(age_ms);
      if (bucket_ms > 0) {
        const std::int64_t from = since_ms == std::numeric_limits<std::int64_t>::min() ? 0 : since_ms;
        buckets[from + (ts->millis - from) / bucket_ms * bucket_ms].push_back(age_ms);
      }
    }
    std::sort(ages.begin(), ages.end());
    double sum = 0;
    for (const double a : ages) sum += a;

    std::printf("{\"rows\": %zu, \"first_write_us\": %lld, \"last_write_us\": %lld, ", rows,
                static_cast<long long>(rows ? first_write : 0), static_cast<long long>(rows ? last_write : 0));
    std::printf(
        "\"aged_rows\": %zu, \"age_ms\": {\"min\": %.3f, \"mean\": %.3f, \"p50\": %.3f, \"p90\": %.3f, "
        "\"p99\": %.3f, \"p999\": %.3f, \"max\": %.3f}, \"buckets\": [",
        ages.size(), ages.empty() ? 0.0 : ages.front(), ages.empty() ? 0.0 : sum / static_cast<double>(ages.size()),
        percentile(ages, 0.50), percentile(ages, 0.90), percentile(ages, 0.99), percentile(ages, 0.999),
        ages.empty() ? 0.0 : ages.back());
    bool first = true;
    for (auto& [from, bucket] : buckets) {
      std::sort(bucket.begin(), bucket.end());
      std::printf("%s{\"from_ms\": %lld, \"rows\": %zu, \"p99_ms\": %.3f, \"max_ms\": %.3f}", first ? "" : ", ",
                  static_cast<long long>(from), bucket.size(), percentile(bucket, 0.99), bucket.back());
      first = false;
    }
    std::printf("]}\n");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "scan: " << e.what() << "\n";
    return 1;
  }
}
