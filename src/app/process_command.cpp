// ratingstream process: Kafka → decode → validate → join the catalogue → Cassandra, committing
// offsets only behind rows Cassandra acknowledged (docs/delivery.md, "Commits"). The pipeline is in
// src/process/; this file turns flags into its settings and wires the stages together.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/command_line.hpp"
#include "app/sample_files.hpp"
#include "catalogue/load.hpp"
#include "common/errors.hpp"
#include "common/stop_signal.hpp"
#include "dashboard/dashboard.hpp"
#include "kafka/client_config.hpp"
#include "kafka/consumer.hpp"
#include "kafka/dead_letter_sink.hpp"
#include "observe/http_endpoint.hpp"
#include "observe/listen_address.hpp"
#include "observe/metrics.hpp"
#include "process/cassandra_sink.hpp"
#include "process/pipeline.hpp"
#include "process/server_watch.hpp"
#include "rating/decode.hpp"
#include "rating/reject_reason.hpp"
#include "rating/time_zone.hpp"

namespace ratingstream::app {
namespace {

struct ProcessOptions {
  KafkaOptions kafka;
  CassandraOptions cassandra;
  std::string catalog = sample_file("catalogue.csv");
  std::string group{kafka::kDefaultGroup};
  std::chrono::milliseconds trigger = process::kDefaultTrigger;
  std::chrono::milliseconds rollup_stale_after = process::RollupSettings{}.stale_after;
  std::string starting_offsets{kafka::kDefaultStartingOffsets};
  std::string on_data_loss = "continue";
  std::size_t max_records_per_trigger = process::kDefaultMaxRecordsPerTrigger;
  std::string join = "inner";
  std::string dead_letter_topic;
  std::optional<int> metrics_port;
  std::string metrics_address{observe::kDefaultListenAddress};
  std::chrono::milliseconds until_idle{0};
  bool until_idle_set = false;
  std::string progress = "text";
  std::string timezone = "UTC";
  bool timezone_given = false;  // from the flag, the environment or the file, not the default
  std::size_t max_in_flight = 128;
  std::size_t writers = process::kDefaultWriters;
  std::size_t batch_rows = process::kDefaultBatchRows;
  bool no_create_schema = false;
};

std::vector<std::string> reject_reason_names() {
  std::vector<std::string> names;
  for (const auto reason : rating::kAllRejectReasons) names.emplace_back(rating::to_string(reason));
  return names;
}

int run_process(const ProcessOptions& o) {
  if (!o.dead_letter_topic.empty() && o.dead_letter_topic == o.kafka.topic) {
    throw InputError(
        fmt::format("--dead-letter-topic {}: must differ from the topic read (-t), or rejected "
                    "records would be read again",
                    o.dead_letter_topic));
  }
  // Everything a user can get wrong is checked before waiting for any server.
  kafka::make_client_config(o.kafka.bootstrap_servers, o.kafka.properties);  // unknown -X: InputError
  kafka::check_consumer_properties(o.kafka.properties);
  const auto session = session_config(o.cassandra);
  const store::TableRef table{o.cassandra.keyspace, o.cassandra.table};
  store::check_table_ref(table);
  // The zone asked for; the table's own zone, recorded with it, decides (CassandraSink::open).
  const store::ZoneRequest zone{zone_option("--timezone", o.timezone).name(), o.timezone_given};
  const auto catalogue = catalogue::load_catalogue(o.catalog);
  spdlog::info("catalogue {}: {} films", o.catalog, catalogue.size());

  // From here on a signal stops the processor (see common/stop_signal.hpp); the handlers outlive
  // everything below, so a second signal is covered until the very end.
  const StopOnSignals signals;
  const auto& stop = signals.requested();

  observe::Metrics metrics(reject_reason_names());
  std::unique_ptr<dashboard::Dashboard> page;  // the dashboard at / (docs/dashboard.md); outlives the endpoint
  std::optional<observe::HttpEndpoint> endpoint;
  if (o.metrics_port) {
    page = dashboard::Dashboard::for_processor(metrics, session, {o.cassandra.keyspace, o.cassandra.table});
    endpoint.emplace(metrics, o.metrics_address, *o.metrics_port,
                     [&page](httplib::Server& server) { page->add_routes(server); });
    spdlog::info("metrics on {}metrics, health on /healthz, dashboard on /",
                 observe::http_url(o.metrics_address, endpoint->port()));
  }

  process::SinkSettings sink_settings;
  // The window is shared by the writers that write batches side by side (process/pipeline.hpp).
  sink_settings.max_in_flight = process::in_flight_per_writer(o.max_in_flight, o.writers);
  sink_settings.batch_rows = o.batch_rows;
  sink_settings.rollups.stale_after = o.rollup_stale_after;
  sink_settings.rollups.sweep_every = std::min(sink_settings.rollups.sweep_every, o.rollup_stale_after / 2);
  // A run meant to end does not wait for ever for a Cassandra that does not answer.
  if (o.until_idle_set) sink_settings.retry.give_up_after = process::unreachable_give_up(o.until_idle);
  auto sink = process::CassandraSink::open(session, table, !o.no_create_schema, zone, sink_settings, metrics, stop);
  if (!sink) {
    spdlog::info("stopped before Cassandra answered");
    return kExitOk;
  }
  if (sink->time_zone() != zone.zone) {
    spdlog::info("timestamps without a zone are read in {}, the time zone of table {}", sink->time_zone(),
                 store::qualified_name(table, store::NameQuoting::as_given));
  }
  rating::RatingDecoder decoder(zone_option("--timezone", sink->time_zone()));

  std::unique_ptr<kafka::DeadLetterSink> dead_letter;
  if (!o.dead_letter_topic.empty()) {
    kafka::DeadLetterSettings dead_letters;
    dead_letters.bootstrap_servers = o.kafka.bootstrap_servers;
    dead_letters.properties = o.kafka.properties;
    dead_letters.topic = o.dead_letter_topic;
    dead_letters.source_topic = o.kafka.topic;
    dead_letters.group = o.group;
    for (const auto& property : o.kafka.properties) {
      const auto [key, value] = kafka::split_property(property);
      if (key == "group.instance.id") dead_letters.instance_id = value;
    }
    dead_letters.stop_now = &signals.stop_now();
    dead_letter = std::make_unique<kafka::DeadLetterSink>(std::move(dead_letters));
  }

  kafka::ConsumerSettings consumer;
  consumer.bootstrap_servers = o.kafka.bootstrap_servers;
  consumer.properties = o.kafka.properties;
  consumer.topic = o.kafka.topic;
  consumer.group = o.group;
  consumer.starting_offsets = o.starting_offsets;
  consumer.fail_on_data_loss = o.on_data_loss == "fail";

  process::PipelineSettings settings;
  settings.join_mode = o.join == "left" ? process::JoinMode::left : process::JoinMode::inner;
  settings.trigger = o.trigger;
  settings.max_records_per_trigger = o.max_records_per_trigger;
  settings.writers = o.writers;
  if (o.until_idle_set) settings.until_idle = o.until_idle;
  settings.progress = o.progress == "json" ? observe::ProgressFormat::json : observe::ProgressFormat::text;

  // Which Cassandra nodes and Kafka brokers the processor reaches, for /healthz and the dashboard.
  const process::ServerWatch servers(
      metrics, [&sink] { return sink->node_servers(); }, process::kafka_broker_servers);
  process::Pipeline pipeline(settings, consumer, catalogue, std::move(decoder), *sink, dead_letter.get(), metrics,
                             stop);
  const int exit_code = pipeline.run();
  // A run that ended (--until-idle, a signal) leaves its closed hours rolled up.
  sink->finish_rollups(std::chrono::seconds(60));
  return exit_code;
}

}  // namespace

void add_process_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand(
      "process", "Read ratings from Kafka, join them with the catalogue and write them to Cassandra");
  auto options = std::make_shared<ProcessOptions>();
  auto& o = *options;
  add_kafka_options(*command, o.kafka);
  add_cassandra_options(*command, o.cassandra, CassandraUse::writes);
  command
      ->add_option("--catalog", o.catalog,
                   "catalogue CSV (show_id,title,director,country,release_year,rating,duration)")
      ->capture_default_str();
  command->add_option("--group", o.group, "Kafka consumer group; processes of one group share the partitions")
      ->capture_default_str();
  add_duration_option(*command, "--trigger", o.trigger,
                      "a micro-batch every D (0 = continuous: as soon as records arrive)");
  command
      ->add_option("--starting-offsets", o.starting_offsets,
                   "where a group without committed offsets starts: latest or earliest")
      ->check(CLI::IsMember({"latest", "earliest"}))
      ->capture_default_str();
  command
      ->add_option("--on-data-loss", o.on_data_loss,
                   "records removed from Kafka before they were read: continue (count them, one error line, "
                   "go on from the earliest retained record) or fail (exit 1)")
      ->check(CLI::IsMember({"continue", "fail"}))
      ->capture_default_str();
  add_whole_number_option<std::size_t>(*command, "--max-records-per-trigger", o.max_records_per_trigger, 0,
                                       std::numeric_limits<std::size_t>::max(),
                                       "close a batch early at this many records (0 = no limit)");
  command
      ->add_option("--join", o.join,
                   "inner: drop ratings of movies not in the catalogue; left: keep them with null columns")
      ->check(CLI::IsMember({"inner", "left"}))
      ->capture_default_str();
  command->add_option("--dead-letter-topic", o.dead_letter_topic,
                      "produce records that fail decoding or validation to this topic (created if missing)");
  add_whole_number_option<int>(
      *command, "--metrics-port", 0, 65535, [&o](int port) { o.metrics_port = port; },
      "serve Prometheus /metrics and /healthz on this port");
  command
      ->add_option("--metrics-address", o.metrics_address,
                   "address the metrics endpoint and dashboard listen on (0.0.0.0: every interface; they have no "
                   "authentication)")
      ->capture_default_str();
  add_duration_option(*command, "--rollup-stale-after", o.rollup_stale_after,
                      "hourly rollups: a mark this old was left by a processor that stopped; its hour is then "
                      "recomputed (longer than any write attempt plus the clock skew between hosts)");
  auto* until_idle = add_duration_option(*command, "--until-idle", o.until_idle,
                                         "exit 0 once nothing new arrived for D and everything read is committed");
  until_idle->default_str("");
  command->add_option("--progress", o.progress, "progress line per batch on stderr: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  auto* timezone = command
                       ->add_option("--timezone", o.timezone,
                                    "IANA zone of timestamps written without a zone; a table keeps the zone it was "
                                    "first written with (default: the table's, else UTC)")
                       ->capture_default_str();
  add_whole_number_option<std::size_t>(*command, "--max-in-flight", o.max_in_flight, 1, 10'000,
                                       "Cassandra write requests outstanding at once (shared by the writers)");
  add_whole_number_option<std::size_t>(*command, "--writers", o.writers, 1, 16,
                                       "batches written to Cassandra at once, while the next is read and prepared");
  add_whole_number_option<std::size_t>(*command, "--batch-rows", o.batch_rows, 1, 1'000,
                                       "rows of one person per Cassandra request, sent as an UNLOGGED BATCH (1: a "
                                       "request per row)");
  command->add_flag("--no-create-schema", o.no_create_schema,
                    "do not create the keyspace and table when missing (fail instead)");
  command->callback([&chosen, options, until_idle, timezone] {
    // Counted when the command runs: the environment and the config file are applied after this
    // callback, and a value from either is given as much as a flag.
    chosen = [options, until_idle, timezone] {
      options->until_idle_set = until_idle->count() > 0;
      options->timezone_given = timezone->count() > 0;
      return run_process(*options);
    };
  });
}

}  // namespace ratingstream::app
