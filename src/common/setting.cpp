#include "common/setting.hpp"

#include <atomic>

namespace ratingstream {
namespace {

std::atomic<SettingSpelling> process_spelling{nullptr};
thread_local SettingSpelling thread_spelling = nullptr;

}  // namespace

std::string_view setting_name(Setting setting) {
  switch (setting) {
    case Setting::bootstrap_servers: return "bootstrap_servers";
    case Setting::topic: return "topic";
    case Setting::kafka_property: return "kafka_property";
    case Setting::cassandra_user: return "cassandra_user";
    case Setting::cassandra_password: return "cassandra_password";
    case Setting::cassandra_tls_ca: return "cassandra_tls_ca";
    case Setting::keyspace: return "keyspace";
    case Setting::table: return "table";
    case Setting::replication: return "replication";
    case Setting::replication_factor: return "replication_factor";
    case Setting::no_create_schema: return "no_create_schema";
    case Setting::layout: return "layout";
    case Setting::bucket: return "bucket";
    case Setting::retention: return "retention";
    case Setting::catalog: return "catalog";
    case Setting::time_zone: return "timezone";
    case Setting::until_idle: return "until_idle";
    case Setting::on_data_loss: return "on_data_loss";
    case Setting::starting_offsets: return "starting_offsets";
    case Setting::metrics_address: return "metrics_address";
    case Setting::metrics_port: return "metrics_port";
    case Setting::movies: return "movies";
    case Setting::people: return "people";
    case Setting::seed: return "seed";
    case Setting::flush_timeout: return "flush_timeout";
    case Setting::from: return "from";
    case Setting::to: return "to";
    case Setting::hour: return "hour";
    case Setting::query_time_zone: return "tz";
    case Setting::listen_address: return "address";
    case Setting::listen_port: return "port";
    case Setting::processor: return "processor";
  }
  return "setting";
}

std::string setting_name_spelling(Setting setting) { return std::string(setting_name(setting)); }

void spell_settings_as(SettingSpelling spelling) { process_spelling.store(spelling); }

ScopedSettingSpelling::ScopedSettingSpelling(SettingSpelling spelling) : previous_(thread_spelling) {
  thread_spelling = spelling;
}

ScopedSettingSpelling::~ScopedSettingSpelling() { thread_spelling = previous_; }

std::string spelled(Setting setting) {
  if (thread_spelling != nullptr) return thread_spelling(setting);
  if (const SettingSpelling spelling = process_spelling.load(); spelling != nullptr) return spelling(setting);
  return setting_name_spelling(setting);
}

}  // namespace ratingstream
