// ratingstream dashboard: the live page, standalone. The data part reads Cassandra
// itself; the pipeline part is relayed from a processor's --metrics-port (which serves the same
// page, with its pipeline data local). See docs/dashboard.md.

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "app/command_line.hpp"
#include "common/errors.hpp"
#include "common/stop_signal.hpp"
#include "dashboard/dashboard.hpp"
#include "observe/http_listener.hpp"
#include "observe/listen_address.hpp"
#include "store/schema.hpp"

namespace ratingstream::app {
namespace {

struct DashboardOptions {
  CassandraOptions cassandra;
  int port = 8080;
  std::string address{observe::kDefaultListenAddress};
  std::string processor = "http://127.0.0.1:9108";
};

int run_dashboard(const DashboardOptions& o) {
  store::check_identifier(Setting::keyspace, o.cassandra.keyspace);
  store::check_identifier(Setting::table, o.cassandra.table);
  const StopOnSignals signals;
  const store::TableRef table{o.cassandra.keyspace, o.cassandra.table};
  auto dashboard = dashboard::Dashboard::standalone(o.processor, session_config(o.cassandra), table);
  observe::HttpLimits limits;
  limits.priority_paths = dashboard::Dashboard::quick_paths();
  const observe::HttpListener server([&](httplib::Server& s) { dashboard->add_routes(s); }, o.address, o.port,
                                     {Setting::listen_address, Setting::listen_port}, limits);
  spdlog::info("dashboard on {} (pipeline from {}, data from Cassandra {} {})",
               observe::http_url(o.address, server.port()), o.processor, o.cassandra.hosts,
               store::qualified_name(table, store::NameQuoting::as_given));
  // The server runs on its own threads; this one only waits for Ctrl-C or SIGTERM.
  while (!signals.requested().load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  spdlog::info("dashboard stopped");
  return kExitOk;
}

}  // namespace

void add_dashboard_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand("dashboard", "Serve the live web page of the pipeline and the ratings");
  auto options = std::make_shared<DashboardOptions>();
  auto& o = *options;
  add_cassandra_options(*command, o.cassandra, CassandraUse::reads);
  add_whole_number_option(*command, "--port", o.port, 0, 65535, "port of the page (0 picks a free one)");
  command
      ->add_option("--address", o.address,
                   "address the page listens on; 0.0.0.0 exposes it on every interface (it shows people's "
                   "ratings, without authentication)")
      ->capture_default_str();
  command
      ->add_option("--processor", o.processor,
                   "http://host:port of a processor's --metrics-port, for the pipeline charts")
      ->capture_default_str();
  command->callback([&chosen, options] { chosen = [options] { return run_dashboard(*options); }; });
}

}  // namespace ratingstream::app
