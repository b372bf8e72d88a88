// Micro-benchmarks of the processor's per-record hot path (bench/README.md), on records made from
// the full original files (every movie of movies.csv can occur, joined with the whole netflix.csv
// catalogue), encoded exactly as `ratingstream produce` encodes them:
//   decode        JSON bytes -> validated rating (simdjson, UTF-8, types, 1..10, timestamp)
//   lookup        the catalogue join alone (hash of the title, exact compare)
//   row_id        the UUID v5 (SHA-1) of the rating's content (name, movie, timestamp, rating)
//   hot_path      decode + validate + join + row build (id included) + bind the 11 values
//   local_time    a zone-less timestamp's wall-clock time to its UTC instant in Europe/Athens
//                 (`--timezone`; Abseil's time zones), the only per-record cost of a named zone
// Time per iteration is time per record. Run: build/release/bench/rs_bench_micro
// Environment: RS_BENCH_MOVIES, RS_BENCH_CATALOG (default: movies.csv and netflix.csv in the folder
// of RATINGSTREAM_SHARED_DATA; docs/architecture.md, "The original data files").

#include <benchmark/benchmark.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "ceiling/workload.hpp"
#include "process/row.hpp"
#include "rating/decode.hpp"
#include "rating/json_encode.hpp"
#include "rating/time_zone.hpp"

using namespace ratingstream;

namespace {

constexpr std::size_t kRecords = 1 << 16;

std::string file_or(const char* variable, const char* name) {
  const char* value = std::getenv(variable);
  return value != nullptr && *value != '\0' ? std::string(value) : bench::shared_data_file(name).string();
}

struct Data {
  bench::Workload workload;
  std::vector<std::string> messages;
  std::vector<rating::DecodedRating> decoded;  // views into `owned`
  std::vector<rating::Rating> owned;

  Data()
      : workload(bench::load_workload(file_or("RS_BENCH_MOVIES", "movies.csv"),
                                      file_or("RS_BENCH_CATALOG", "netflix.csv"), 1)) {
    owned = bench::make_ratings(workload, kRecords, 1, 1'764'000'000'000'000);
    for (const auto& r : owned) {
      std::string json;
      rating::append_json(json, r);
      messages.push_back(std::move(json));
      decoded.push_back({r.name, r.movie, r.rating, r.timestamp_us});
    }
  }
};

const Data& data() {
  static const Data d;
  return d;
}

void BM_decode(benchmark::State& state) {
  const Data& d = data();
  rating::RatingDecoder decoder;
  std::size_t i = 0;
  for (auto _ : state) {
    auto result = decoder.decode(d.messages[i++ & (kRecords - 1)]);
    benchmark::DoNotOptimize(result);
    if (!std::holds_alternative<rating::DecodedRating>(result)) state.SkipWithError("a record was refused");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_decode);

void BM_local_time(benchmark::State& state) {
  const auto zone = rating::TimeZone::named("Europe/Athens");
  // Wall-clock times a prime number of seconds apart: every hour of the year, both offsets.
  std::int64_t local = 1'764'000'000;
  for (auto _ : state) {
    benchmark::DoNotOptimize(zone.to_utc(local));
    local += 7'919;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_local_time);

void BM_lookup(benchmark::State& state) {
  const Data& d = data();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto* film = d.workload.catalogue.find(d.decoded[i++ & (kRecords - 1)].movie);
    benchmark::DoNotOptimize(film);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_lookup);

void BM_row_id(benchmark::State& state) {
  std::int64_t offset = 0;
  for (auto _ : state) {
    auto id = process::row_id("Stelios Giagkos", offset++, "Salt, Smoke and Silver", 7);
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_row_id);

void BM_hot_path(benchmark::State& state) {
  const Data& d = data();
  rating::RatingDecoder decoder;
  std::size_t i = 0;
  for (auto _ : state) {
    auto result = decoder.decode(d.messages[i++ & (kRecords - 1)]);
    const auto* rating = std::get_if<rating::DecodedRating>(&result);
    if (rating == nullptr) {
      state.SkipWithError("a record was refused");
      break;
    }
    auto row = process::join(*rating, d.workload.catalogue, process::JoinMode::inner);
    if (!row) {
      state.SkipWithError("a movie is not in the catalogue");
      break;
    }
    auto values = process::bind_row(*row);
    benchmark::DoNotOptimize(values);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_hot_path);

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("micro"));  // stdout is the benchmark's
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  data();  // read the files before timing anything
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
