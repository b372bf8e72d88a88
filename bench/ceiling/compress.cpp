// rs_bench_compress: the producer's ceiling with gzip, the most messages per second this machine
// can compress. `ratingstream produce --rate 0 --compression gzip` is bound by librdkafka
// compressing its batches (bench/producer/README.md, "Where the time goes"), so this is what the
// producer could reach if everything else it does cost nothing.
//
// The messages are the producer's own: the same people, movies and ratings for a seed
// (produce::make_people, load_movies and RatingGenerator, seeded as produce_run.cpp seeds them),
// each encoded by rating::append_json and keyed by the person's name. They are grouped into the
// batches librdkafka would make: per partition (murmur2 of the key, the producer's
// `partitioner=murmur2_random`, over --partitions), each batch closed at batch.num.messages
// messages or before its records pass batch.size bytes (librdkafka's defaults, 10,000 and
// 1,000,000, which the producer keeps), records in Kafka's v2 record format (what librdkafka
// compresses: the records after the 61-byte batch header). That is the most favourable batching
// the producer can get (full batches, as under unpaced load), so the limit is an upper bound.
//
// Each batch is then deflated as librdkafka's gzip codec does it (a zlib stream with a gzip
// header, deflateInit2 per batch, --level -1 = zlib's default level 6, which is librdkafka's
// compression.level default -1 for gzip), on --threads threads (2: both cores of this machine) that
// take batches from one queue, with no broker and no network. Only the compression is timed, over
// --repeat runs. Prints one JSON object on stdout.
//
//   rs_bench_compress --messages 1000000 --threads 2

#include <zlib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "ceiling/workload.hpp"
#include "common/errors.hpp"
#include "produce/message_check.hpp"
#include "produce/movies_file.hpp"
#include "produce/people.hpp"
#include "produce/rating_generator.hpp"
#include "rating/json_encode.hpp"

using namespace ratingstream;
using SteadyClock = std::chrono::steady_clock;

namespace {

// Seeds for the separate uses of the run's seed, as produce_run.cpp derives them, so that a seed
// gives the messages `ratingstream produce --seed` sends.
constexpr std::uint64_t kNamesSeed = 1;
constexpr std::uint64_t kRatingsSeed = 2;

// RecordBatch v2 header (base offset .. record count): not compressed, but counted in batch.size.
constexpr std::size_t kBatchHeaderBytes = 61;

// Kafka's murmur2 (the Java client's and librdkafka's murmur2 partitioner), little-endian words.
std::uint32_t murmur2(const std::string& key) {
  constexpr std::uint32_t m = 0x5bd1e995;
  constexpr int r = 24;
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  const std::size_t len = key.size();
  std::uint32_t h = 0x9747b28c ^ static_cast<std::uint32_t>(len);
  const std::size_t words = len / 4;
  for (std::size_t i = 0; i < words; ++i) {
    const unsigned char* p = data + 4 * i;
    std::uint32_t k = static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
                      static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const unsigned char* tail = data + 4 * words;
  switch (len & 3) {
    case 3: h ^= static_cast<std::uint32_t>(tail[2]) << 16; [[fallthrough]];
    case 2: h ^= static_cast<std::uint32_t>(tail[1]) << 8; [[fallthrough]];
    case 1:
      h ^= tail[0];
      h *= m;
      break;
    default: break;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return h;
}

// Kafka's varint: zigzag, then 7 bits a byte, low bits first.
void append_varint(std::string& out, std::int64_t value) {
  auto z = (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
  while (z >= 0x80) {
    out.push_back(static_cast<char>((z & 0x7f) | 0x80));
    z >>= 7;
  }
  out.push_back(static_cast<char>(z));
}

// One record in the v2 format: length, attributes, timestamp delta, offset delta, key, value, no headers.
void append_record(std::string& out, std::string& scratch, std::int64_t timestamp_delta_ms, std::int64_t offset_delta,
                   const std::string& key, const std::string& value) {
  scratch.clear();
  scratch.push_back('\0');  // attributes
  append_varint(scratch, timestamp_delta_ms);
  append_varint(scratch, offset_delta);
  append_varint(scratch, static_cast<std::int64_t>(key.size()));
  scratch += key;
  append_varint(scratch, static_cast<std::int64_t>(value.size()));
  scratch += value;
  append_varint(scratch, 0);  // headers
  append_varint(out, static_cast<std::int64_t>(scratch.size()));
  out += scratch;
}

struct Batch {
  std::string records;
  std::size_t messages = 0;
};

struct OpenBatch {
  Batch batch;
  std::int64_t first_timestamp_ms = 0;
};

// The batches librdkafka would make of `count` messages of the producer (see the top of the file).
std::vector<Batch> make_batches(const std::vector<std::string>& people, const std::vector<std::string>& movies,
                                std::uint64_t seed, std::size_t count, std::size_t partitions, std::size_t batch_bytes,
                                std::size_t batch_messages) {
  produce::RatingGenerator generator(people, movies, produce::derive_seed(seed, kRatingsSeed));
  std::vector<Batch> batches;
  std::vector<OpenBatch> open(partitions);
  rating::Rating rating;
  std::string value, record, scratch;
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t now_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    generator.fill(i, now_us, rating);
    value.clear();
    rating::append_json(value, rating);
    OpenBatch& b = open[(murmur2(rating.name) & 0x7fffffff) % partitions];
    const std::int64_t timestamp_ms = now_us / 1000;
    if (b.batch.messages == 0) b.first_timestamp_ms = timestamp_ms;
    record.clear();
    append_record(record, scratch, timestamp_ms - b.first_timestamp_ms, static_cast<std::int64_t>(b.batch.messages),
                  rating.name, value);
    // batch.size applies once a batch holds a message (a larger message still goes, alone).
    if (b.batch.messages > 0 && kBatchHeaderBytes + b.batch.records.size() + record.size() > batch_bytes) {
      batches.push_back(std::move(b.batch));
      b.batch = Batch{};
      b.first_timestamp_ms = timestamp_ms;
      record.clear();
      append_record(record, scratch, 0, 0, rating.name, value);
    }
    b.batch.records += record;
    if (++b.batch.messages == batch_messages) {
      batches.push_back(std::move(b.batch));
      b.batch = Batch{};
    }
  }
  for (OpenBatch& b : open) {
    if (b.batch.messages > 0) batches.push_back(std::move(b.batch));
  }
  return batches;
}

// Deflates `in` into a gzip stream as librdkafka's gzip codec does; returns the compressed size.
std::size_t gzip(const std::string& in, int level, std::vector<unsigned char>& out) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer; memLevel 8 and the default strategy, zlib's defaults.
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw RuntimeFailure("deflateInit2 failed");
  }
  out.resize(deflateBound(&stream, in.size()));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  stream.avail_in = static_cast<uInt>(in.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  const std::size_t written = stream.total_out;
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) throw RuntimeFailure("deflate did not finish a batch");
  return written;
}

struct Run {
  double seconds = 0;
  std::size_t output_bytes = 0;
};

Run compress_all(const std::vector<Batch>& batches, int level, std::size_t threads) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> output{0};
  std::vector<std::thread> workers;
  const auto start = SteadyClock::now();
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      std::vector<unsigned char> out;
      std::size_t mine = 0;
      for (std::size_t i = next.fetch_add(1); i < batches.size(); i = next.fetch_add(1)) {
        mine += gzip(batches[i].records, level, out);
      }
      output.fetch_add(mine);
    });
  }
  for (std::thread& w : workers) w.join();
  return Run{std::chrono::duration<double>(SteadyClock::now() - start).count(), output.load()};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The producer's ceiling: the producer's messages, batched as librdkafka batches them, gzipped"};
  std::string movies = bench::shared_data_file("movies.csv").string();
  std::size_t messages = 1'000'000;
  std::size_t threads = 2;
  std::size_t partitions = 3;
  std::size_t batch_bytes = 1'000'000;
  std::size_t batch_messages = 10'000;
  int level = Z_DEFAULT_COMPRESSION;
  std::size_t repeat = 3;
  std::uint64_t seed = 1;
  app.add_option("--movies", movies, "movies file")->capture_default_str();
  app.add_option("--messages", messages, "messages")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--threads", threads, "compressing threads")->capture_default_str()->check(CLI::Range(1, 64));
  app.add_option("--partitions", partitions, "partitions of the topic (batches are per partition)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000));
  app.add_option("--batch-size", batch_bytes, "librdkafka's batch.size")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--batch-num-messages", batch_messages, "librdkafka's batch.num.messages")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--level", level, "zlib level (-1: zlib's default, 6), librdkafka's compression.level")
      ->capture_default_str()
      ->check(CLI::Range(-1, 9));
  app.add_option("--repeat", repeat, "timed runs (median and min-max reported)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--seed", seed, "seed of the messages, as produce --seed")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    const std::vector<std::string> people =
        produce::make_people(14, "Stelios Giagkos", produce::derive_seed(seed, kNamesSeed));
    const std::vector<std::string> titles = produce::load_movies(movies, produce::longest_name(people));
    const std::vector<Batch> batches =
        make_batches(people, titles, seed, messages, partitions, batch_bytes, batch_messages);
    std::size_t input_bytes = 0;
    for (const Batch& b : batches) input_bytes += b.records.size();

    std::vector<double> rates;
    std::size_t output_bytes = 0;
    for (std::size_t i = 0; i < repeat; ++i) {
      const Run run = compress_all(batches, level, threads);
      rates.push_back(static_cast<double>(messages) / run.seconds);
      output_bytes = run.output_bytes;
      std::cerr << "compress: run " << i + 1 << "/" << repeat << ": " << static_cast<long long>(rates.back())
                << " messages/s in " << run.seconds << " s\n";
    }
    std::vector<double> sorted = rates;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    const double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    std::printf(
        R"({"messages": %zu, "batches": %zu, "mean_messages_per_batch": %.0f, "partitions": %zu, "threads": %zu, )"
        R"("level": %d, "batch_size": %zu, "batch_num_messages": %zu, "input_bytes": %zu, "output_bytes": %zu, )"
        R"("runs": %zu, "messages_per_s": %.1f, "min_messages_per_s": %.1f, "max_messages_per_s": %.1f, )"
        R"("messages_per_s_per_thread": %.1f})"
        "\n",
        messages, batches.size(),
        batches.empty() ? 0.0 : static_cast<double>(messages) / static_cast<double>(batches.size()), partitions,
        threads, level == Z_DEFAULT_COMPRESSION ? 6 : level, batch_bytes, batch_messages, input_bytes, output_bytes, n,
        median, sorted.front(), sorted.back(), median / static_cast<double>(threads));
    return kExitOk;
  } catch (const InputError& e) {
    std::cerr << "compress: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "compress: " << e.what() << "\n";
    return kExitFailure;
  }
}
