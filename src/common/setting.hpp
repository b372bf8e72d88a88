#pragma once
// The settings that messages of the lower layers name, and how a message spells them.
//
// A lower layer knows that a value is "the keyspace" or "the start of the window", not that a
// user gave it as `--keyspace` or as `?from=`: it writes the setting, `fmt::format("{} is
// missing", Setting::from)`, and the spelling installed for the process decides the text. app/
// installs its flags at start ("--from"); the dashboard answers over HTTP in its query
// parameters for the time of one request (ScopedSettingSpelling); with nothing installed (the
// unit tests of a layer) a setting is written as its own name ("from").

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace ratingstream {

enum class Setting : std::uint8_t {
  // Where the servers are and what is read and written.
  bootstrap_servers,
  topic,
  kafka_property,  // one librdkafka property given as key=value
  cassandra_user,
  cassandra_password,
  cassandra_tls_ca,
  keyspace,
  table,
  replication,         // NetworkTopologyStrategy's datacenter:factor list
  replication_factor,  // SimpleStrategy's factor
  no_create_schema,    // the processor leaves the schema to `ratingstream schema`
  layout,              // the ratings table's layout: original or bucketed
  bucket,              // the bucket size of a bucketed table
  retention,           // how long the table keeps a rating, counted from its time
  // The processor.
  catalog,
  time_zone,  // the zone of timestamps written without one
  until_idle,
  on_data_loss,
  starting_offsets,
  metrics_address,
  metrics_port,
  // The producer.
  movies,
  people,
  seed,
  flush_timeout,
  // Questions: the window and the zone it is read in.
  from,
  to,
  hour,
  query_time_zone,
  // The dashboard.
  listen_address,
  listen_port,
  processor,  // the processor whose metrics the dashboard shows
};

// The setting's own name: "bootstrap_servers", "from", "tz" (the query's zone), ...
std::string_view setting_name(Setting setting);

// How a message spells a setting: a flag, a parameter. Returns the text to write.
using SettingSpelling = std::string (*)(Setting setting);

// From now on, for every thread that has no spelling of its own. nullptr: the settings' names.
void spell_settings_as(SettingSpelling spelling);

// The calling thread spells settings with `spelling` until this is destroyed (then as before).
class ScopedSettingSpelling {
 public:
  explicit ScopedSettingSpelling(SettingSpelling spelling);
  ~ScopedSettingSpelling();
  ScopedSettingSpelling(const ScopedSettingSpelling&) = delete;
  ScopedSettingSpelling& operator=(const ScopedSettingSpelling&) = delete;

 private:
  SettingSpelling previous_;
};

// `setting` as the calling thread spells it now.
std::string spelled(Setting setting);

// The settings' own names, as a SettingSpelling (for ScopedSettingSpelling).
std::string setting_name_spelling(Setting setting);

}  // namespace ratingstream

// `fmt::format("{}", Setting::keyspace)` writes spelled(Setting::keyspace).
template <>
struct fmt::formatter<ratingstream::Setting> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(ratingstream::Setting setting, FormatContext& context) const {
    return fmt::formatter<std::string_view>::format(ratingstream::spelled(setting), context);
  }
};
