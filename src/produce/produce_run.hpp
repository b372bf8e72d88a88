#pragma once
// `ratingstream produce` from its settings to its exit code.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ratingstream::produce {

struct ProduceSettings {
  std::string bootstrap_servers = "localhost:29092";
  std::string topic = "movies_ratings";
  std::vector<std::string> properties;  // -X key=value
  std::filesystem::path movies;
  std::size_t people = 14;
  std::string me = "Stelios Giagkos";  // empty: no own name
  std::chrono::milliseconds interval{10'000};
  std::uint64_t count = 0;     // 0: until stopped
  std::optional<double> rate;  // set: load mode, messages per second in total (0 = unpaced)
  std::optional<std::uint64_t> seed;
  bool quiet = false;
  int partitions = 3;
  std::string compression = "gzip";
  std::chrono::milliseconds flush_timeout{10'000};
  std::chrono::milliseconds connect_timeout{10'000};  // the start-up topic check
  // Set: ratings of the past instead (docs/data-over-time.md, "Loading history"): the rounds of
  // `interval` over this span before history_end_us, sent as fast as the broker takes them.
  std::optional<std::chrono::milliseconds> history;
  std::optional<std::int64_t> history_end_us;  // nullopt: the start of the current UTC hour
};

// The rounds of a history: the first round's time and how many rounds, so that round k is at
// first_us + k * interval and the last one before end_us.
struct HistorySpan {
  std::int64_t first_us = 0;
  std::uint64_t rounds = 0;
};
HistorySpan history_span(std::chrono::milliseconds history, std::chrono::milliseconds interval, std::int64_t end_us);

// Loads the movies, makes the people, makes sure the topic exists, sends ratings until the count
// is reached or SIGINT/SIGTERM, flushes (up to flush_timeout; a second signal ends the flush at
// once, see common/stop_signal.hpp) and prints the summary. Returns 0 when every message was
// delivered; throws InputError for bad input and RuntimeFailure otherwise (after the summary).
int run_produce(const ProduceSettings& settings);

}  // namespace ratingstream::produce
