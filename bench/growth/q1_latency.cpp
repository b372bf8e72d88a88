// rs_bench_q1: Q1's latency in-process (the query tool's own code, query::Questions), with or
// without the hourly rollups, for bench/growth. One session, prepared statements kept: what a
// dashboard or a service asking again and again pays, without connecting each time.
//
//   rs_bench_q1 --keyspace ks --table movie_ratings --name "Ann" --from-ms F --to-ms T --runs 50 [--no-rollups]
//
// Prints one line: median_ms p99_ms max_ms ratings.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "query/questions.hpp"
#include "store/session.hpp"

using namespace ratingstream;

int main(int argc, char** argv) {
  CLI::App app("Q1 latency, with or without hourly rollups");
  std::string hosts = "127.0.0.1", keyspace, table = "movie_ratings", name;
  std::int64_t from = 0, to = 0;
  int runs = 50;
  bool no_rollups = false;
  app.add_option("--cassandra", hosts);
  app.add_option("--keyspace", keyspace)->required();
  app.add_option("--table", table);
  app.add_option("--name", name)->required();
  app.add_option("--from-ms", from)->required();
  app.add_option("--to-ms", to)->required();
  app.add_option("--runs", runs);
  app.add_flag("--no-rollups", no_rollups);
  CLI11_PARSE(app, argc, argv);

  store::SessionConfig config;
  config.contact_points = store::parse_contact_points(hosts);
  auto session = store::Session::connect(config);
  query::Questions questions(session, {keyspace, table}, query::kDefaultPageSize,
                             no_rollups ? query::RollupUse::never : query::RollupUse::when_complete);
  const query::TimeWindow window{store::Timestamp{from}, store::Timestamp{to}};
  std::int64_t ratings = questions.average_duration(name, window).rows();  // warm-up: prepares
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    ratings = questions.average_duration(name, window).rows();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  const auto at = [&ms](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))]; };
  fmt::print("{:.2f} {:.2f} {:.2f} {}\n", at(0.5), at(0.99), ms.back(), ratings);
  return 0;
}
