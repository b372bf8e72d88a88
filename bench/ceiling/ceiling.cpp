// rs_bench_ceiling: the most this Cassandra accepts on this machine, and how fast it answers at a
// steady rate. The rows the processor would write for the benchmark's ratings (same table, same
// columns, same join, same prepared INSERT) are written straight to Cassandra through the
// project's driver (src/store), with no Kafka and no decoding. Rows are sent as the processor
// sends them: each person's rows in single-partition UNLOGGED BATCHes of --batch-rows (1: a
// request per row). Prints one JSON object on stdout.
//
// Throughput (the default): after one warm-up pass that counts for nothing, a sweep over the
// number of writes in flight, every level run --repeat times, the rounds interleaved (16, 32, ...,
// 1024, then again) so that a slow moment of the machine (compaction, another tenant) spreads over
// the levels instead of sinking one of them; per level the median and the spread (min-max); the
// ceiling is the median of the level with the best median. Then, when --count > 0, one longer
// pass at that level, to show it holds.
//
// Rate (--rate R): rows come due at R per second for --warmup + --duration seconds, and each
// row's rating timestamp is the moment it came due. The loader works as the processor does with
// --trigger 0: it takes every row due so far, writes them in one execute_many (grouped by person),
// waits for it, and takes the rows that came due meanwhile. The table's WRITETIME() minus each
// row's timestamp is then the same age the latency workload measures for the processors, with
// no Kafka and no decoding: Cassandra's own latency at that rate, through this driver.
//
//   rs_bench_ceiling --keyspace bench_ceiling --count 1000000 --sweep-count 100000 --repeat 3
//   rs_bench_ceiling --keyspace bench_ceiling_rate --rate 5000 --duration 60 --warmup 10

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <numeric>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "ceiling/workload.hpp"
#include "common/defaults.hpp"
#include "common/errors.hpp"
#include "process/partition_batches.hpp"
#include "process/row.hpp"
#include "store/schema.hpp"
#include "store/session.hpp"

using namespace ratingstream;
using Clock = std::chrono::steady_clock;

namespace {

struct Pass {
  std::size_t in_flight = 0;
  std::size_t batch_rows = 1;
  std::size_t rows = 0;
  std::size_t failed = 0;
  double seconds = 0;
  double rate() const { return seconds > 0 ? static_cast<double>(rows - failed) / seconds : 0; }
};

// Writes rows[0, n) in chunks of `chunk` rows, each chunk through one execute_many with at most
// `in_flight` requests outstanding, each person's rows grouped as the processor groups them. The
// ids are renamed first (untimed) so that every pass writes new rows instead of overwriting the
// previous pass's.
Pass write_rows(store::Session& session, const store::PreparedStatement& insert, std::vector<process::Row>& rows,
                std::size_t n, std::size_t in_flight, std::size_t batch_rows, std::size_t chunk,
                std::int32_t pass_number) {
  for (std::size_t i = 0; i < n; ++i) {
    rows[i].id = process::row_id(rows[i].name, static_cast<std::int64_t>(i), "bench_ceiling", pass_number);
  }
  std::vector<store::BoundValue> values;
  std::vector<std::size_t> order;
  Pass pass{in_flight, batch_rows, n, 0, 0};
  const auto start = Clock::now();
  for (std::size_t first = 0; first < n; first += chunk) {
    const std::size_t last = std::min(n, first + chunk);
    const std::span<const process::Row> chunk_rows(rows.data() + first, last - first);
    order.resize(chunk_rows.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    const auto batch_ends = process::bind_in_partition_batches(chunk_rows, order, batch_rows, values);
    const store::ManyOutcome outcome = session.execute_many(insert, values, in_flight, batch_ends);
    pass.failed += outcome.failed.size();
    if (!outcome.failed.empty() && pass.failed == outcome.failed.size()) {
      std::cerr << "ceiling: a write failed: " << outcome.failed.front().error.what() << "\n";
    }
  }
  pass.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return pass;
}

// The value at rank ceil(p * n) of sorted values (rs_bench_scan's definition, so both read alike).
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

std::string pass_json(const Pass& p) {
  char buffer[200];
  std::snprintf(
      buffer, sizeof buffer,
      R"({"in_flight": %zu, "batch_rows": %zu, "rows": %zu, "failed": %zu, "seconds": %.3f, "rows_per_s": %.1f})",
      p.in_flight, p.batch_rows, p.rows, p.failed, p.seconds, p.rate());
  return buffer;
}

// One concurrency level of the sweep over its repeats.
struct Level {
  std::size_t in_flight = 0;
  std::vector<double> rates;  // rows/s of each repeat without failures
  std::size_t failed_runs = 0;
  double median() const {
    if (rates.empty()) return 0;
    std::vector<double> sorted = rates;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
  double min() const { return rates.empty() ? 0 : *std::min_element(rates.begin(), rates.end()); }
  double max() const { return rates.empty() ? 0 : *std::max_element(rates.begin(), rates.end()); }
};

std::string level_json(const Level& l, std::size_t batch_rows) {
  char buffer[240];
  std::snprintf(buffer, sizeof buffer,
                R"({"in_flight": %zu, "batch_rows": %zu, "runs": %zu, "failed_runs": %zu, "rows_per_s": %.1f, )"
                R"("min_rows_per_s": %.1f, "max_rows_per_s": %.1f})",
                l.in_flight, batch_rows, l.rates.size(), l.failed_runs, l.median(), l.min(), l.max());
  return buffer;
}

std::int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct RateSettings {
  double rate = 0;
  double warmup_s = 0;
  double duration_s = 0;
  std::size_t in_flight = 0;
  std::size_t batch_rows = 1;
};

// The rate mode (see the top of the file). `rows` holds at least rate * (warmup + duration) rows;
// their timestamps and ids are set here, when each comes due.
int run_at_rate(store::Session& session, const store::PreparedStatement& insert, std::vector<process::Row>& rows,
                const RateSettings& s) {
  const auto n = static_cast<std::size_t>(std::llround(s.rate * (s.warmup_s + s.duration_s)));
  const double us_per_row = 1e6 / s.rate;
  const auto start = Clock::now();
  const std::int64_t start_us = wall_us();
  const auto due_us = [&](std::size_t i) {
    return start_us + static_cast<std::int64_t>(static_cast<double>(i) * us_per_row);
  };
  const std::int64_t measured_from_us = start_us + static_cast<std::int64_t>(s.warmup_s * 1e6);
  const std::int64_t measured_until_us = start_us + static_cast<std::int64_t>((s.warmup_s + s.duration_s) * 1e6);

  std::vector<store::BoundValue> values;
  std::vector<std::size_t> order;
  std::vector<double> ack_ms;  // due -> the call that wrote the row returned, rows of the measured window
  std::vector<double> call_rows;
  std::size_t next = 0, failed = 0, calls = 0;
  double most_behind_ms = 0;
  while (next < n) {
    const double elapsed_us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    const std::size_t due = std::min(n, static_cast<std::size_t>(elapsed_us / us_per_row) + 1);
    if (due <= next) {
      std::this_thread::sleep_until(start + std::chrono::microseconds(due_us(next) - start_us));
      continue;
    }
    most_behind_ms = std::max(most_behind_ms, (elapsed_us - static_cast<double>(due_us(next) - start_us)) / 1000);
    for (std::size_t i = next; i < due; ++i) {
      process::Row& row = rows[i];
      const std::int64_t t = due_us(i);
      row.timestamp = store::Timestamp{t / 1000};
      row.id = process::row_id(row.name, t, row.movie(), row.rating_movie);
    }
    const std::span<const process::Row> due_rows(rows.data() + next, due - next);
    order.resize(due_rows.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    const auto batch_ends = process::bind_in_partition_batches(due_rows, order, s.batch_rows, values);
    const store::ManyOutcome outcome = session.execute_many(insert, values, s.in_flight, batch_ends);
    const std::int64_t done_us = wall_us();
    if (!outcome.failed.empty() && failed == 0) {
      std::cerr << "ceiling: a write failed: " << outcome.failed.front().error.what() << "\n";
    }
    failed += outcome.failed.size();
    ++calls;
    call_rows.push_back(static_cast<double>(due - next));
    for (std::size_t i = next; i < due; ++i) {
      const std::int64_t t = due_us(i);
      if (t >= measured_from_us && t < measured_until_us) ack_ms.push_back(static_cast<double>(done_us - t) / 1000);
    }
    next = due;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(ack_ms.begin(), ack_ms.end());
  std::sort(call_rows.begin(), call_rows.end());
  std::printf(
      R"({"mode": "rate", "rate": %.1f, "warmup_s": %.3f, "duration_s": %.3f, "in_flight": %zu, "batch_rows": %zu, )"
      R"("start_ms": %lld, "measured_from_ms": %lld, "measured_until_ms": %lld, "rows": %zu, "failed": %zu, )"
      R"("seconds": %.3f, "calls": %zu, "median_rows_per_call": %.0f, "max_rows_per_call": %.0f, "most_behind_ms": %.3f, )"
      R"("ack_rows": %zu, "ack_ms": {"p50": %.3f, "p99": %.3f, "max": %.3f}})"
      "\n",
      s.rate, s.warmup_s, s.duration_s, s.in_flight, s.batch_rows, static_cast<long long>(start_us / 1000),
      static_cast<long long>(measured_from_us / 1000), static_cast<long long>(measured_until_us / 1000), n, failed,
      seconds, calls, percentile(call_rows, 0.5), call_rows.empty() ? 0.0 : call_rows.back(), most_behind_ms,
      ack_ms.size(), percentile(ack_ms, 0.5), percentile(ack_ms, 0.99), ack_ms.empty() ? 0.0 : ack_ms.back());
  return failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The ceiling: the processor's rows written straight to Cassandra at the best concurrency"};
  std::string cassandra{defaults::kCassandraHosts};
  std::string keyspace = "bench_ceiling";
  std::string movies = bench::shared_data_file("movies.csv").string();
  std::string catalog = bench::shared_data_file("netflix.csv").string();
  std::size_t count = 1'000'000;
  std::size_t sweep_count = 100'000;
  std::size_t chunk = 100'000;
  std::vector<std::size_t> levels{16, 32, 64, 128, 256, 512, 1024};
  std::uint64_t seed = 1;
  std::size_t batch_rows = process::kDefaultBatchRows;
  std::size_t repeat = 3;
  RateSettings rate_settings;
  // The processor's own bound on requests in flight (process::CassandraSinkConfig::max_in_flight).
  rate_settings.in_flight = 128;
  app.add_option("--cassandra", cassandra, "Cassandra contact points")->capture_default_str();
  app.add_option("--keyspace", keyspace, "keyspace (created with the ratings table when missing)")
      ->capture_default_str();
  app.add_option("--movies", movies, "movies file")->capture_default_str();
  app.add_option("--catalog", catalog, "catalogue CSV")->capture_default_str();
  app.add_option("--count", count, "rows of the pass at the best level after the sweep (0: none)")
      ->capture_default_str();
  app.add_option("--sweep-count", sweep_count, "rows per sweep pass (0: no sweep, first level only)")
      ->capture_default_str();
  app.add_option("--chunk", chunk, "rows per execute_many call")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--in-flight", levels, "requests in flight to try, in order")->delimiter(',')->capture_default_str();
  app.add_option("--batch-rows", batch_rows, "rows of one person per request (1: a request per row), as process")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000}));
  app.add_option("--seed", seed, "seed of the ratings")->capture_default_str();
  app.add_option("--repeat", repeat, "runs of each sweep level (median and min-max reported)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--rate", rate_settings.rate,
                 "rows per second due, with each row's timestamp its due time (0: throughput mode)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e6));
  app.add_option("--duration", rate_settings.duration_s, "measured seconds of --rate")->capture_default_str();
  app.add_option("--warmup", rate_settings.warmup_s, "seconds of --rate before the measured ones")
      ->capture_default_str();
  app.add_option("--max-in-flight", rate_settings.in_flight,
                 "requests in flight with --rate, as process's --max-in-flight")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  spdlog::set_default_logger(spdlog::stderr_color_mt("ceiling"));  // stdout is the JSON result

  try {
    store::SessionConfig config;
    config.contact_points = store::parse_contact_points(cassandra);
    store::Session session = store::Session::connect(config);
    store::apply_schema(session, store::TableRef{keyspace, std::string(defaults::kTable)},
                        store::KeyspaceReplication{});
    const store::PreparedStatement insert = session.prepare(
        process::insert_statement(keyspace, std::string(defaults::kTable)), store::Idempotence::idempotent);

    const bench::Workload workload = bench::load_workload(movies, catalog, seed);
    const bool at_rate = rate_settings.rate > 0;
    if (at_rate && rate_settings.duration_s <= 0) {
      std::cerr << "ceiling: --rate needs a --duration above 0\n";
      return kExitUsage;
    }
    const std::size_t total = at_rate ? static_cast<std::size_t>(std::llround(
                                            rate_settings.rate * (rate_settings.warmup_s + rate_settings.duration_s)))
                                      : std::max(count, sweep_count);
    const std::int64_t now_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    std::vector<process::Row> rows;
    rows.reserve(total);
    {
      const auto ratings = bench::make_ratings(workload, total, seed, now_us);
      for (std::size_t i = 0; i < ratings.size(); ++i) {
        const rating::Rating& r = ratings[i];
        const rating::DecodedRating decoded{r.name, r.movie, r.rating, r.timestamp_us};
        auto row = process::join(decoded, workload.catalogue, process::JoinMode::inner);
        if (row) rows.push_back(std::move(*row));
      }
    }
    if (rows.size() < total) {
      std::cerr << "ceiling: " << total - rows.size() << " movies are not in the catalogue\n";
      return kExitUsage;
    }

    if (at_rate) {
      rate_settings.batch_rows = batch_rows;
      return run_at_rate(session, insert, rows, rate_settings);
    }

    std::vector<Pass> sweep;
    std::vector<Level> by_level;
    for (const std::size_t level : levels) by_level.push_back(Level{level, {}, 0});
    std::int32_t pass_number = 0;
    const bool sweeping = sweep_count > 0 && levels.size() > 1;
    Pass warm_up{};
    if (sweeping) {
      // One pass first that counts for no level: the first writes meet a cold Cassandra (its JIT,
      // empty memtables), which the processors, measured after the ceiling, do not.
      warm_up = write_rows(session, insert, rows, sweep_count, levels.back(), batch_rows, chunk, ++pass_number);
      std::cerr << "ceiling: warm-up (not counted) " << pass_json(warm_up) << "\n";
      for (std::size_t round = 0; round < repeat; ++round) {
        for (Level& level : by_level) {
          const Pass p =
              write_rows(session, insert, rows, sweep_count, level.in_flight, batch_rows, chunk, ++pass_number);
          std::cerr << "ceiling: sweep " << round + 1 << "/" << repeat << " " << pass_json(p) << "\n";
          sweep.push_back(p);
          if (p.failed == 0) {
            level.rates.push_back(p.rate());
          } else {
            ++level.failed_runs;
          }
        }
      }
    }
    // The best level by median; a level that failed a run is not a ceiling anyone could rely on.
    const Level* best = &by_level.front();
    for (const Level& level : by_level) {
      if (level.failed_runs == 0 && level.median() > best->median()) best = &level;
    }
    Pass final_pass{best->in_flight, batch_rows, 0, 0, 0};
    if (count > 0) {
      final_pass = write_rows(session, insert, rows, count, best->in_flight, batch_rows, chunk, ++pass_number);
      std::cerr << "ceiling: final " << pass_json(final_pass) << "\n";
    }

    std::cout << R"({"mode": "throughput", "repeat": )" << (sweeping ? repeat : 0);
    std::cout << R"(, "warm_up": )" << (sweeping ? pass_json(warm_up) : "null") << R"(, "sweep": [)";
    for (std::size_t i = 0; i < sweep.size(); ++i) std::cout << (i ? ", " : "") << pass_json(sweep[i]);
    std::cout << R"(], "levels": [)";
    if (sweeping) {
      for (std::size_t i = 0; i < by_level.size(); ++i)
        std::cout << (i ? ", " : "") << level_json(by_level[i], batch_rows);
    }
    // Without a sweep the ceiling is the one pass at the first level.
    Level only{final_pass.in_flight, {final_pass.rate()}, final_pass.failed > 0 ? 1u : 0u};
    std::cout << R"(], "ceiling": )" << level_json(sweeping ? *best : only, batch_rows);
    std::cout << R"(, "final": )" << (count > 0 ? pass_json(final_pass) : "null") << "}\n";
    const bool failed = final_pass.failed > 0 || (sweeping && best->failed_runs > 0);
    return failed ? kExitFailure : kExitOk;
  } catch (const InputError& e) {
    std::cerr << "ceiling: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "ceiling: " << e.what() << "\n";
    return kExitFailure;
  }
}
