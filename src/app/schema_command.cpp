// ratingstream schema: creates the keyspace, the ratings table and the table-settings table, and
// records the table's time zone (store/table_settings.hpp), or prints their CQL.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "app/command_line.hpp"
#include "common/errors.hpp"
#include "store/replication.hpp"
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
};

int run_schema(const SchemaOptions& o) {
  const store::TableRef table{o.cassandra.keyspace, o.cassandra.table};
  store::check_table_ref(table);
  const store::ZoneRequest zone{zone_option("--timezone", o.timezone).name(), o.timezone_given};
  store::KeyspaceReplication keyspace_replication{o.replication_factor, {}};
  if (!o.datacenter_replication.empty()) {
    keyspace_replication = store::parse_datacenter_replication(o.datacenter_replication);
  }
  if (o.print_only) {
    fmt::print("{}\n\n{}\n\n{}\n", store::create_keyspace_cql(table.keyspace, keyspace_replication),
               store::create_table_cql(table), store::create_settings_table_cql(table.keyspace));
    return kExitOk;
  }
  const auto config = session_config(o.cassandra);
  const std::string address = fmt::format("{}", fmt::join(config.contact_points, ","));
  auto session = store::Session::connect(config);
  const bool existed = store::table_exists(session, table);
  store::apply_schema(session, table, keyspace_replication);
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
  if (replication) {
    if (const auto warning = store::replication_warning(table.keyspace, *replication)) spdlog::warn("{}", *warning);
  }
  fmt::print("schema ready: {} (keyspace replication factor {}; {})\n",
             store::qualified_name(table, store::NameQuoting::as_given), factor,
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
  command->add_flag("--print", options->print_only, "print the CQL instead of running it");
  command->callback([&chosen, options, timezone] {
    // Counted when the command runs, after the environment and the config file are applied.
    chosen = [options, timezone] {
      options->timezone_given = timezone->count() > 0;
      return run_schema(*options);
    };
  });
}

}  // namespace ratingstream::app
