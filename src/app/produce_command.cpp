// ratingstream produce: the rating stream of the original producer, into Kafka
// (docs/contract.md, "Message format").

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <system_error>

#include "app/command_line.hpp"
#include "app/sample_files.hpp"
#include "common/duration.hpp"
#include "common/text.hpp"
#include "produce/message_check.hpp"
#include "produce/produce_run.hpp"
#include "produce/producer_config.hpp"
#include "rating/reject_reason.hpp"
#include "rating/time_zone.hpp"
#include "rating/timestamp.hpp"

namespace ratingstream::app {
namespace {

struct ProduceOptions {
  KafkaOptions kafka;
  produce::ProduceSettings settings;
};

// Every number is read strictly, whatever it came from (add_whole_number_option; --rate below).

// The longest --interval and --flush-timeout: a day. Longer ones are surely a slip, and they
// overflow where they are counted in nanoseconds (the schedule) or in an int of milliseconds
// (librdkafka's flush).
constexpr std::chrono::milliseconds kLongestWait = std::chrono::hours(24);

CLI::Validator at_most(std::chrono::milliseconds longest) {
  return CLI::Validator(
      [longest](std::string& text) -> std::string {
        // Checked before the option's own parsing, so a malformed value is reported here too,
        // without its raw bytes.
        const auto parsed = parse_duration(text);
        if (!parsed) return shown_value(text) + " is not a duration; write e.g. 500ms, 10s or 2m";
        if (*parsed > longest) return shown_value(text) + " is longer than " + format_duration(longest);
        return "";
      },
      "");
}

// Load mode's rate: 0 (unpaced) or at least one message every 1000 s. A smaller rate makes the
// gap between messages too large to schedule (1e-300 a second is an infinite gap), and a slow
// stream is what --interval is for.
constexpr double kSlowestRate = 0.001;  // the message below says these two
constexpr double kFastestRate = 1e9;

void set_rate(const std::string& text, std::optional<double>& rate) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool number = !text.empty() && error == std::errc{} && end == text.data() + text.size();
  // Comparisons are false for nan, and inf is beyond the fastest rate.
  if (!number || !(value == 0 || (value >= kSlowestRate && value <= kFastestRate))) {
    throw CLI::ValidationError("--rate", fmt::format("{} is not a rate: 0 (as fast as the broker takes them) or "
                                                     "0.001 to 1e9 messages a second",
                                                     shown_value(text)));
  }
  rate = value;
}

// The own name goes into every message it sends, so it must be one the processor accepts.
CLI::Validator acceptable_own_name() {
  return CLI::Validator(
      [](std::string& name) -> std::string {
        if (name.empty()) return "";  // no own name
        const auto refusal = produce::refusal_of_messages(name, "");
        if (!refusal) return "";
        return fmt::format(
            "the processor would refuse messages from this name ({}: {}); {}", rating::to_string(refusal->reason),
            refusal->detail,
            refusal->reason == rating::RejectReason::too_large ? "give a shorter name" : "give the name in UTF-8");
      },
      "");
}

}  // namespace

void add_produce_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand(
      "produce", "Send movie ratings to Kafka: every --interval one per person, or --rate for load");
  auto options = std::make_shared<ProduceOptions>();
  auto& s = options->settings;
  s.movies = sample_file("movies.csv");

  add_kafka_options(*command, options->kafka);
  command->add_option("--movies", s.movies, "movies file: one title per line, CSV-quoted where needed")
      ->capture_default_str();
  add_whole_number_option<std::size_t>(
      *command, "--people", 1, 100'000, [&s](std::size_t n) { s.people = n; },
      "how many generated people rate, besides --me")
      ->default_str(std::to_string(s.people));
  command->add_option("--me", s.me, "the fixed own name that rates too ('' for none)")
      ->check(acceptable_own_name())
      ->capture_default_str();
  auto* interval =
      add_duration_option(*command, "--interval", s.interval, "time between rounds of one rating per person");
  interval->check(at_most(kLongestWait));
  add_whole_number_option<std::uint64_t>(
      *command, "--count", 0, std::numeric_limits<std::uint64_t>::max(), [&s](std::uint64_t n) { s.count = n; },
      "stop after this many messages in total (0 = until stopped)")
      ->default_str(std::to_string(s.count));
  command
      ->add_option_function<std::string>(
          "--rate", [&s](const std::string& text) { set_rate(text, s.rate); },
          "load mode: messages per second in total, 0 = as fast as the broker takes them")
      ->type_name("RATE")
      ->excludes(interval);
  add_whole_number_option<std::uint64_t>(
      *command, "--seed", 0, std::numeric_limits<std::uint64_t>::max(), [&s](std::uint64_t n) { s.seed = n; },
      "seed for names, movies and ratings (default: from the clock, printed)");
  auto* history = command->add_option_function<std::string>(
      "--history",
      [&s](const std::string& text) {
        const auto span = parse_duration(text);
        if (!span || span->count() <= 0) {
          throw CLI::ValidationError("--history", "write a span such as 365d, 30d or 12h, not " + shown_value(text));
        }
        s.history = *span;
      },
      "ratings of the past instead: one round per --interval over this span (e.g. 365d), sent as fast as the "
      "broker takes them, ending at --history-end");
  history->excludes("--rate");
  command
      ->add_option_function<std::string>(
          "--history-end",
          [&s](const std::string& text) {
            const auto at = rating::parse_timestamp_micros(text, rating::TimeZone::utc());
            if (!at) {
              throw CLI::ValidationError(
                  "--history-end", "write an ISO-8601 time such as 2025-01-01T00:00:00Z, not " + shown_value(text));
            }
            s.history_end_us = *at;
          },
          "the end of --history (exclusive; default: the start of the current UTC hour), so that a seeded history is "
          "the same on every run")
      ->needs(history);
  command->add_flag("--quiet", s.quiet, "do not print each message sent");
  add_whole_number_option<int>(
      *command, "--partitions", 1, 100'000, [&s](int n) { s.partitions = n; },
      "partitions of the topic when it has to be created")
      ->default_str(std::to_string(s.partitions));
  command->add_option("--compression", s.compression, "compression codec of the producer")
      ->check(CLI::IsMember(produce::compression_codecs()))
      ->capture_default_str();
  add_duration_option(*command, "--flush-timeout", s.flush_timeout,
                      "on exit, how long to wait for messages still in flight")
      ->check(at_most(kLongestWait));

  command->callback([&chosen, options] {
    chosen = [options] {
      auto& settings = options->settings;
      settings.bootstrap_servers = options->kafka.bootstrap_servers;
      settings.topic = options->kafka.topic;
      settings.properties = options->kafka.properties;
      return produce::run_produce(settings);
    };
  });
}

}  // namespace ratingstream::app
