#include "produce/produce_run.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "common/duration.hpp"
#include "common/errors.hpp"
#include "common/setting.hpp"
#include "common/stop_signal.hpp"
#include "produce/delivery_report.hpp"
#include "produce/kafka_sender.hpp"
#include "produce/message_check.hpp"
#include "produce/movies_file.hpp"
#include "produce/people.hpp"
#include "produce/producer_config.hpp"
#include "produce/rating_generator.hpp"
#include "produce/rating_loop.hpp"
#include "produce/schedule.hpp"
#include "rating/timestamp.hpp"

namespace ratingstream::produce {
namespace {

// Seeds for the separate uses of the run's seed.
constexpr std::uint64_t kNamesSeed = 1;
constexpr std::uint64_t kRatingsSeed = 2;

KafkaOutlet::Output output_of(const ProduceSettings& s) {
  if (s.rate) return KafkaOutlet::Output::progress;
  return s.quiet ? KafkaOutlet::Output::none : KafkaOutlet::Output::echo;
}

Schedule schedule_of(const ProduceSettings& s, std::size_t people) {
  if (s.history) {
    // Unpaced: the timestamps say when, not the clock.
    const auto span = history_span(*s.history, s.interval, 0);
    const std::uint64_t all = span.rounds * people;
    return Schedule::rate(0, s.count == 0 ? all : std::min(all, s.count));
  }
  if (s.rate) return Schedule::rate(*s.rate, s.count);
  return Schedule::rounds(s.interval, people, s.count);
}

// Waits up to `timeout` for the delivery reports of the messages in flight, in short slices so
// that a second signal (`stop_now`) ends the wait at once. True when none is left in flight.
bool flush_unless_stopped_now(KafkaSender& sender, std::chrono::milliseconds timeout,
                              const std::atomic<bool>& stop_now) {
  constexpr std::chrono::milliseconds kSlice{100};
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const bool now = stop_now.load(std::memory_order_relaxed);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    // Once even when no time is left (or the second signal came already): it serves the reports
    // that have arrived.
    if (sender.flush(now ? std::chrono::milliseconds(0) : std::clamp(left, std::chrono::milliseconds(0), kSlice))) {
      return true;
    }
    if (now || stop_now.load(std::memory_order_relaxed) || left <= kSlice) return false;
  }
}

std::string undelivered_reason(const KafkaSender& sender, std::chrono::milliseconds flush_timeout, bool stopped_now) {
  const DeliveryCounts& c = sender.counts();
  std::string reason = fmt::format("{} of {} messages were not delivered", c.undelivered(), c.sent);
  if (c.in_flight() != 0 && stopped_now) {
    reason += fmt::format(" ({} still unconfirmed when a second signal stopped the wait for them)", c.in_flight());
  } else if (c.in_flight() != 0) {
    reason += fmt::format(" ({} still unconfirmed after {} {})", c.in_flight(), Setting::flush_timeout,
                          format_duration(flush_timeout));
  }
  if (!sender.first_error().empty()) reason += ": " + sender.first_error();
  return reason;
}

}  // namespace

HistorySpan history_span(std::chrono::milliseconds history, std::chrono::milliseconds interval, std::int64_t end_us) {
  const std::int64_t step = std::chrono::duration_cast<std::chrono::microseconds>(interval).count();
  const std::int64_t span = std::chrono::duration_cast<std::chrono::microseconds>(history).count();
  if (step <= 0 || span <= 0) return {end_us, 0};
  const auto rounds = static_cast<std::uint64_t>(span / step);
  return {end_us - static_cast<std::int64_t>(rounds) * step, rounds};
}

int run_produce(const ProduceSettings& s) {
  // Everything the user can get wrong locally is checked before any server is contacted.
  auto producer_conf = make_producer_config(s.bootstrap_servers, s.properties, s.compression);
  auto admin_conf = make_admin_config(s.bootstrap_servers, s.properties);
  log_kafka_errors_as_warnings(*producer_conf);

  const std::uint64_t seed = s.seed.value_or(seed_from_clock());
  const std::vector<std::string> people = make_people(s.people, s.me, derive_seed(seed, kNamesSeed));
  // The people first: every title is checked as part of the largest message it can be in.
  const std::vector<std::string> movies = load_movies(s.movies, longest_name(people));
  if (!s.seed) spdlog::info("seed {} (pass {} {} to repeat the names, movies and ratings)", seed, Setting::seed, seed);
  spdlog::info("{} people rate {} movies from {}", people.size(), movies.size(), s.movies.string());

  RatingGenerator generator(people, movies, derive_seed(seed, kRatingsSeed));
  const Schedule schedule = schedule_of(s, people.size());

  ensure_topic(*admin_conf, s.topic, s.partitions, s.connect_timeout);
  // Before the sender, so that the handlers (and the watchdog of a second signal) outlive it: its
  // destruction is the last thing that could block.
  const StopOnSignals signals;
  KafkaSender sender(std::move(producer_conf), s.topic);
  const Clock& clock = real_clock();

  KafkaOutlet outlet(sender, clock, signals.requested(), output_of(s));
  TimestampOf timestamp_of;
  if (s.history) {
    constexpr std::int64_t kHourUs = 3'600'000'000;
    const std::int64_t end_us = s.history_end_us.value_or(micros_since_epoch(clock.wall_now()) / kHourUs * kHourUs);
    const auto span = history_span(*s.history, s.interval, end_us);
    const std::int64_t step = std::chrono::duration_cast<std::chrono::microseconds>(s.interval).count();
    const std::uint64_t per_round = people.size();
    timestamp_of = [span, step, per_round](std::uint64_t index) {
      return span.first_us + static_cast<std::int64_t>(index / per_round) * step;
    };
    spdlog::info("history: {} rounds of {} ratings, every {} from {} to {}", span.rounds, per_round,
                 format_duration(s.interval), rating::format_utc_micros(span.first_us),
                 rating::format_utc_micros(end_us));
  }
  const Clock::TimePoint start = clock.now();
  run_rating_loop(schedule, generator, clock, outlet, signals.requested(), timestamp_of);
  std::fflush(stdout);
  if (signals.requested()) {
    spdlog::info("{}: stopping; waiting up to {} for {} messages in flight (a second signal stops waiting)",
                 strsignal(signals.signal_number()), format_duration(s.flush_timeout), sender.counts().in_flight());
  }
  const bool all_confirmed = flush_unless_stopped_now(sender, s.flush_timeout, signals.stop_now());
  const std::chrono::duration<double> elapsed = clock.now() - start;
  fmt::print(stderr, "{}\n", format_summary(sender.counts(), elapsed));

  if (sender.fatal() || sender.counts().undelivered() != 0) {
    throw RuntimeFailure(undelivered_reason(sender, s.flush_timeout, !all_confirmed && signals.stop_now()));
  }
  return kExitOk;
}

}  // namespace ratingstream::produce
