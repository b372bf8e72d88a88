// rs_bench_ceiling: the most this Cassandra accepts on this machine. The rows the processor would
// write for the benchmark's ratings (same table, same columns, same join, same ids, same prepared
// INSERT) are written straight to Cassandra through the project's driver (src/store), with no
// Kafka and no decoding, first in a short sweep over the number of writes in flight, then all of
// them at the level that gave the most rows per second. Rows are sent as the processor sends them:
// each person's rows of a chunk in single-partition UNLOGGED BATCHes of --batch-rows (1: a request
// per row). Prints one JSON object on stdout.
//
//   rs_bench_ceiling --keyspace bench_ceiling --count 1000000 --sweep-count 100000

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <span>
#include <string>
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

std::string pass_json(const Pass& p) {
  char buffer[200];
  std::snprintf(
      buffer, sizeof buffer,
      R"({"in_flight": %zu, "batch_rows": %zu, "rows": %zu, "failed": %zu, "seconds": %.3f, "rows_per_s": %.1f})",
      p.in_flight, p.batch_rows, p.rows, p.failed, p.seconds, p.rate());
  return buffer;
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
  app.add_option("--cassandra", cassandra, "Cassandra contact points")->capture_default_str();
  app.add_option("--keyspace", keyspace, "keyspace (created with the ratings table when missing)")
      ->capture_default_str();
  app.add_option("--movies", movies, "movies file")->capture_default_str();
  app.add_option("--catalog", catalog, "catalogue CSV")->capture_default_str();
  app.add_option("--count", count, "rows of the final pass")->capture_default_str();
  app.add_option("--sweep-count", sweep_count, "rows per sweep pass (0: no sweep, first level only)")
      ->capture_default_str();
  app.add_option("--chunk", chunk, "rows per execute_many call")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--in-flight", levels, "requests in flight to try, in order")->delimiter(',')->capture_default_str();
  app.add_option("--batch-rows", batch_rows, "rows of one person per request (1: a request per row), as process")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000}));
  app.add_option("--seed", seed, "seed of the ratings")->capture_default_str();
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
    const std::size_t total = std::max(count, sweep_count);
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

    std::vector<Pass> sweep;
    std::int32_t pass_number = 0;
    Pass best{levels.front(), batch_rows, 0, 0, 0};
    if (sweep_count > 0 && levels.size() > 1) {
      for (const std::size_t level : levels) {
        const Pass p = write_rows(session, insert, rows, sweep_count, level, batch_rows, chunk, ++pass_number);
        std::cerr << "ceiling: sweep " << pass_json(p) << "\n";
        sweep.push_back(p);
        if (p.failed == 0 && p.rate() > best.rate()) best = p;
      }
    }
    const Pass final_pass = write_rows(session, insert, rows, count, best.in_flight, batch_rows, chunk, ++pass_number);
    std::cerr << "ceiling: final " << pass_json(final_pass) << "\n";

    std::cout << R"({"sweep": [)";
    for (std::size_t i = 0; i < sweep.size(); ++i) std::cout << (i ? ", " : "") << pass_json(sweep[i]);
    std::cout << R"(], "final": )" << pass_json(final_pass) << "}\n";
    return final_pass.failed == 0 ? kExitOk : kExitFailure;
  } catch (const InputError& e) {
    std::cerr << "ceiling: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "ceiling: " << e.what() << "\n";
    return kExitFailure;
  }
}
