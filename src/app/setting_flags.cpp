#include "app/setting_flags.hpp"

namespace ratingstream::app {

std::string flag_of(Setting setting) {
  switch (setting) {
    case Setting::bootstrap_servers: return "-b/--bootstrap-servers";
    case Setting::topic: return "-t/--topic";
    case Setting::kafka_property: return "-X";
    case Setting::cassandra_user: return "--cassandra-user";
    case Setting::cassandra_password: return "--cassandra-password";
    case Setting::cassandra_tls_ca: return "--cassandra-tls-ca";
    case Setting::keyspace: return "--keyspace";
    case Setting::table: return "--table";
    case Setting::replication: return "--replication";
    case Setting::replication_factor: return "--replication-factor";
    case Setting::no_create_schema: return "--no-create-schema";
    case Setting::catalog: return "--catalog";
    case Setting::time_zone: return "--timezone";
    case Setting::until_idle: return "--until-idle";
    case Setting::on_data_loss: return "--on-data-loss";
    case Setting::starting_offsets: return "--starting-offsets";
    case Setting::metrics_address: return "--metrics-address";
    case Setting::metrics_port: return "--metrics-port";
    case Setting::movies: return "--movies";
    case Setting::people: return "--people";
    case Setting::seed: return "--seed";
    case Setting::flush_timeout: return "--flush-timeout";
    case Setting::from: return "--from";
    case Setting::to: return "--to";
    case Setting::hour: return "--hour";
    case Setting::query_time_zone: return "--tz";
    case Setting::listen_address: return "--address";
    case Setting::listen_port: return "--port";
    case Setting::processor: return "--processor";
  }
  return "--" + std::string(setting_name(setting));
}

}  // namespace ratingstream::app
