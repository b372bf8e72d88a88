// ratingstream schema: creates the keyspace and table of SPEC.md, or prints their CQL.

#include <fmt/format.h>

#include "app/command_line.hpp"
#include "common/errors.hpp"
#include "store/schema.hpp"

namespace ratingstream::app {
namespace {

struct SchemaOptions {
  CassandraOptions cassandra;
  int replication_factor = 1;
  bool print_only = false;
};

int run_schema(const SchemaOptions& o) {
  const store::TableRef table{o.cassandra.keyspace, o.cassandra.table};
  if (o.print_only) {
    fmt::print("{}\n\n{}\n", store::create_keyspace_cql(table.keyspace, o.replication_factor),
               store::create_table_cql(table));
    return kExitOk;
  }
  auto session = store::Session::connect(session_config(o.cassandra));
  store::apply_schema(session, table, o.replication_factor);
  fmt::print("schema ready: {}.{} (keyspace replication factor {} when created)\n", table.keyspace,
             table.table, o.replication_factor);
  return kExitOk;
}

}  // namespace

void add_schema_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand("schema", "Create the keyspace and table (idempotent)");
  auto options = std::make_shared<SchemaOptions>();
  add_cassandra_options(*command, options->cassandra);
  add_whole_number_option(*command, "--replication-factor", options->replication_factor, 1, 100,
                          "replicas of the keyspace (SimpleStrategy), used when it is created");
  command->add_flag("--print", options->print_only, "print the CQL instead of running it");
  command->callback([&chosen, options] { chosen = [options] { return run_schema(*options); }; });
}

}  // namespace ratingstream::app
