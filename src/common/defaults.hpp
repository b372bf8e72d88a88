#pragma once
// The defaults that several layers share (docs/contract.md, "Command line"): where Kafka and
// Cassandra are, the topic, the keyspace and the table. Each settings struct starts from these
// and app/ shows them in --help, so a default is changed here and nowhere else. A default that
// only one layer uses stays in that layer, as kDefault... beside its settings.

#include <string_view>

namespace ratingstream::defaults {

inline constexpr std::string_view kBootstrapServers = "localhost:29092";
inline constexpr std::string_view kTopic = "movies_ratings";
inline constexpr std::string_view kCassandraHosts = "127.0.0.1:9042";  // comma-separated host[:port]
inline constexpr std::string_view kKeyspace = "netflix";
inline constexpr std::string_view kTable = "movie_ratings";

}  // namespace ratingstream::defaults
