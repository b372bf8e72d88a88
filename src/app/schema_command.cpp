// ratingstream schema: creates the keyspace, the ratings table and the table-settings table, and
// records the table's time zone (store/table_settings.hpp), or prints their CQL.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>

#include "app/command_line.hpp"
#include "common/duration.hpp"
#include "common/errors.hpp"
#include "common/text.hpp"
#include "store/hour_rollups.hpp"
#include "store/people_index.hpp"
#include "store/replication.hpp"
#include "store/row_expiry.hpp"
#include "store/schema.hpp"
#include "store/table_settings.hpp"

namespace ratingstream::app {
namespace {

struct SchemaOptions {
  CassandraOptions cassandra;
  int replication_factor = 1;
  std::string datacenter_replication;  // --replication dc1:3[,dc2:3]; empty: SimpleStrategy
  std::string timezone = "UTC";
  bool timezone_given = false;  // from the flag, the environment or the file, not the default
  bool print_only = false;
  std::string layout = "original";
  std::string bucket;  // empty: not given
  bool layout_given = false;
  std::optional<double> expected_rate;  // ratings per person per second
  std::string retention;                // empty: not given
  bool rollups = false;
};

// --retention: how long a row lives after its rating's time; nullopt when not given.
std::optional<std::chrono::seconds> retention_option(const SchemaOptions& o) {
  if (o.retention.empty()) return std::nullopt;
  const auto parsed = parse_duration(o.retention);
  if (!parsed || parsed->count() % 1000 != 0 || *parsed < std::chrono::seconds{1} || *parsed > store::kMaxTimeToLive) {
    throw InputError(fmt::format(
        "--retention {}: write a whole number of seconds to 7300d (Cassandra's longest time to live), e.g. 400d or "
        "12h; to keep rows for ever leave it out",
        shown_value(o.retention)));
  }
  return std::chrono::duration_cast<std::chrono::seconds>(*parsed);
}

// The bytes a row takes on disk before compression, for --expected-rate: the values of the
// generator's rows (docs/data-over-time.md, "Bucket sizing") plus Cassandra's per-cell overhead.
constexpr std::int64_t kEstimatedRowBytes = 200;

store::TableLayout layout_option(const SchemaOptions& o) {
  if (o.layout == "original") {
    if (!o.bucket.empty()) {
      throw InputError(fmt::format("--bucket {}: buckets are for --layout bucketed", shown_value(o.bucket)));
    }
    return {};
  }
  if (o.layout != "bucketed") {
    throw InputError(fmt::format("--layout {}: write original or bucketed", shown_value(o.layout)));
  }
  const std::string bucket = o.bucket.empty() ? std::string("day") : o.bucket;
  const auto size = store::parse_bucket_size(bucket);
  if (!size) throw InputError(fmt::format("--bucket {}: write hour, day, week or month", shown_value(bucket)));
  return {size};
}

void set_expected_rate(const std::string& text, std::optional<double>& rate) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool number = !text.empty() && error == std::errc{} && end == text.data() + text.size();
  if (!number || !(value > 0 && value <= 1e6)) {
    throw CLI::ValidationError("--expected-rate",
                               fmt::format("{} is not a rate: ratings per person per second, above 0 and at most 1e6 "
                                           "(the original schedule is 0.1)",
                                           shown_value(text)));
  }
  rate = value;
}

// What the largest partition reaches at the expected rate, and a warning past Cassandra's
// guidance (store/time_bucket.hpp).
void print_partition_estimate(const store::TableLayout& layout, double rate) {
  const auto guidance = fmt::format("Cassandra's guidance is at most {} rows and {} MB per partition",
                                    store::kPartitionRowsGuidance, store::kPartitionBytesGuidance / 1'000'000);
  if (!layout.bucketed()) {
    const double days = static_cast<double>(store::kPartitionRowsGuidance) / (rate * 86'400);
    fmt::print("partition size: one partition per person grows without end, {:.0f} rows a day; {}\n",
               std::ceil(rate * 86'400), guidance);
    spdlog::warn(
        "at {} ratings per person per second a partition passes {} rows after {:.1f} days; choose "
        "--layout bucketed",
        rate, store::kPartitionRowsGuidance, days);
    return;
  }
  const auto estimate = store::estimate_partition(*layout.bucket, rate, kEstimatedRowBytes);
  fmt::print("partition size: at most {} rows, about {:.1f} MB, per person and {} ({} bytes a row); {}\n",
             estimate.rows, static_cast<double>(estimate.bytes) / 1e6, store::bucket_size_name(*layout.bucket),
             kEstimatedRowBytes, guidance);
  if (!estimate.within_guidance()) {
    spdlog::warn(
        "a {} partition passes Cassandra's guidance at {} ratings per person per second; choose a smaller "
        "--bucket",
        store::bucket_size_name(*layout.bucket), rate);
  }
}

// A bucketed table gets its people index (docs/data-over-time.md, "The people index"), built from
// the rows when the table has some already.
void keep_people_index(store::Session& session, const store::TableRef& table, const store::TableLayout& layout,
                       std::optional<std::chrono::seconds> retention, bool existed) {
  if (!store::fits_people_index(table)) {
    spdlog::warn(
        "{}: the name is too long for a people index (at most 41 characters); the dashboard lists its "
        "people by scanning partition keys",
        store::qualified_name(table, store::NameQuoting::as_given));
    return;
  }
  const auto state = store::read_people_index_state(session, table);
  if (state == store::DerivedTableState::foreign) {
    spdlog::warn(
        "{} is another table, not a people index: the dashboard lists the people of {} by scanning "
        "partition keys",
        store::qualified_name(store::people_table_of(table), store::NameQuoting::as_given),
        store::qualified_name(table, store::NameQuoting::as_given));
    return;
  }
  const bool had = state == store::DerivedTableState::complete;
  const auto built = store::enable_people_index(session, table, layout, retention);
  if (!had && existed) {
    fmt::print(
        "people index of {} kept from now on ({} people from the rows already there); restart processors that were "
        "running, they keep it only from their next start\n",
        store::qualified_name(table, store::NameQuoting::as_given), built);
  }
}

int run_schema(const SchemaOptions& o) {
  const store::TableRef table{o.cassandra.keyspace, o.cassandra.table};
  store::check_table_ref(table);
  const store::ZoneRequest zone{zone_option("--timezone", o.timezone).name(), o.timezone_given};
  store::KeyspaceReplication keyspace_replication{o.replication_factor, {}};
  if (!o.datacenter_replication.empty()) {
    keyspace_replication = store::parse_datacenter_replication(o.datacenter_replication);
  }
  const store::TableLayout layout = layout_option(o);
  const auto retention = retention_option(o);
  // A name too long for the rollups fails before connecting; one too long for a new bucketed
  // table's people index once it is known that the table is new.
  if (o.rollups) (void)store::rollup_tables_of(table);
  if (o.print_only && layout.bucketed()) (void)store::people_table_of(table);
  if (o.expected_rate) print_partition_estimate(layout, *o.expected_rate);
  if (o.print_only) {
    fmt::print("{}\n\n{}\n\n{}\n", store::create_keyspace_cql(table.keyspace, keyspace_replication),
               store::create_table_cql(table, layout, retention), store::create_settings_table_cql(table.keyspace));
    if (layout.bucketed()) {
      fmt::print("\n{}\n", store::create_people_table_cql(table, store::DerivedTableState::complete));
    }
    if (o.rollups) {
      const auto tables = store::rollup_tables_of(table);
      fmt::print("\n{}\n\n{}\n", store::create_hourly_table_cql(tables, store::RollupState::complete),
                 store::create_pending_table_cql(tables));
    }
    return kExitOk;
  }
  const auto config = session_config(o.cassandra);
  const std::string address = fmt::format("{}", fmt::join(config.contact_points, ","));
  auto session = store::Session::connect(config);
  const bool existed = store::table_exists(session, table);
  if (!existed && layout.bucketed()) (void)store::people_table_of(table);
  const store::TableLayout actual = store::apply_schema(session, table, keyspace_replication, layout, retention);
  if (o.layout_given) store::check_layout_is(table, actual, layout);
  auto table_retention = store::read_retention(session, table);
  if (retention && table_retention != retention) {
    session.execute(store::alter_retention_cql(table, actual, *retention));
    session.await_schema_agreement();
    fmt::print("retention of {} set to {} (was {}); rows written before keep their expiry\n",
               store::qualified_name(table, store::NameQuoting::as_given),
               format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(*retention)),
               table_retention ? format_duration(*table_retention) : std::string("none"));
    table_retention = retention;
  }
  const std::string kept =
      table_retention
          ? fmt::format("rows kept {} after their rating's time",
                        format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(*table_retention)))
          : std::string("rows kept for ever");
  const auto replication = store::read_replication_context(session, table.keyspace);
  const std::string factor = replication ? std::to_string(replication->replicas) : "unknown";

  std::optional<std::string> table_zone;
  try {
    // A new table takes the zone given or UTC; an existing table without a recorded zone takes
    // only a zone given: what its rows were converted with is not known here (the first
    // processor records its own).
    table_zone = store::settle_time_zone(session, table, zone, !existed, "ratingstream schema");
  } catch (const store::Error& e) {
    if (!e.unavailable()) throw;
    // More replicas than live nodes: created all the same (nodes may be added), said clearly.
    const std::string why = store::describe_unavailable(address, table.keyspace, *e.unavailable(), replication);
    if (zone.given) {
      throw RuntimeFailure(
          fmt::format("{} is created, but its time zone {} could not be recorded: {}; run "
                      "`ratingstream schema` again once it can",
                      store::qualified_name(table, store::NameQuoting::as_given), zone.zone, why));
    }
    spdlog::warn("{}", why);
    fmt::print(
        "schema created: {} (keyspace replication factor {}), but nothing can be written to it until "
        "enough replicas are alive; its time zone is recorded then, by `ratingstream schema` or the first "
        "processor\n",
        store::qualified_name(table, store::NameQuoting::as_given), factor);
    return kExitOk;
  }
  if (actual.bucketed()) keep_people_index(session, table, actual, table_retention, existed);
  if (o.rollups) {
    const bool had = store::read_rollup_state(session, table) == store::RollupState::complete;
    const auto built = store::enable_rollups(session, table, actual, table_retention);
    if (!had) {
      fmt::print(
          "hourly rollups of {} are kept from now on ({} hours built from the rows already there); restart "
          "processors that were running, they keep the rollups only from their next start\n",
          store::qualified_name(table, store::NameQuoting::as_given), built);
    }
  }
  if (replication) {
    if (const auto warning = store::replication_warning(table.keyspace, *replication)) spdlog::warn("{}", *warning);
  }
  fmt::print("schema ready: {} ({}, {}; keyspace replication factor {}; {})\n",
             store::qualified_name(table, store::NameQuoting::as_given), actual.describe(), kept, factor,
             table_zone ? fmt::format("timestamps without a zone are read in {}", *table_zone)
                        : std::string("no time zone recorded yet: the first processor records its --timezone"));
  return kExitOk;
}

}  // namespace

void add_schema_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand("schema", "Create the keyspace and table (idempotent)");
  auto options = std::make_shared<SchemaOptions>();
  add_cassandra_options(*command, options->cassandra, CassandraUse::writes);
  auto* factor = add_whole_number_option(*command, "--replication-factor", options->replication_factor, 1, 100,
                                         "replicas of the keyspace (SimpleStrategy), used when it is created");
  command
      ->add_option("--replication", options->datacenter_replication,
                   "replicas per datacenter, dc1:3[,dc2:3] (NetworkTopologyStrategy, what a cluster uses), used "
                   "when the keyspace is created")
      ->excludes(factor);
  auto* timezone = command
                       ->add_option("--timezone", options->timezone,
                                    "IANA zone of timestamps written without a zone, recorded with the table; it "
                                    "cannot change once the table has one")
                       ->capture_default_str();
  auto* layout = command
                     ->add_option("--layout", options->layout,
                                  "original (one partition per person, as the original system) or bucketed (one per "
                                  "person and --bucket: for months and years of data); fixed when the table is created")
                     ->capture_default_str();
  auto* bucket = command->add_option("--bucket", options->bucket,
                                     "hour, day (the default), week or month: the UTC period of one partition of a "
                                     "bucketed table");
  command->add_option_function<std::string>(
      "--expected-rate", [options](const std::string& text) { set_expected_rate(text, options->expected_rate); },
      "ratings per person per second you expect: prints the rows and bytes a partition reaches, and warns past "
      "Cassandra's guidance");
  command->add_option("--retention", options->retention,
                      "how long a row is kept after its rating's time, e.g. 400d: the table's time to live, with "
                      "compaction in time windows; later runs may change it (rows written before keep theirs)");
  command->add_flag("--rollups", options->rollups,
                    "keep hourly rollups beside the table (per person and hour), so Q1 over long windows reads one row "
                    "per hour; built from the rows already there");
  command->add_flag("--print", options->print_only, "print the CQL instead of running it");
  command->callback([&chosen, options, timezone, layout, bucket] {
    // Counted when the command runs, after the environment and the config file are applied.
    chosen = [options, timezone, layout, bucket] {
      options->timezone_given = timezone->count() > 0;
      options->layout_given = layout->count() > 0 || bucket->count() > 0;
      return run_schema(*options);
    };
  });
}

}  // namespace ratingstream::app
