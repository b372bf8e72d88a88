#pragma once
// Why writes to a keyspace cannot reach their consistency level, said where a user looks (the
// processor's warnings, /healthz, `schema`): the replicas a request needs, those alive, and the
// keyspace's replication against the nodes there are, e.g. "replication factor 3 on a 1-node
// cluster". Without this, a keyspace created with more replicas than nodes looks like a
// Cassandra that does not answer.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "store/session.hpp"

namespace ratingstream::store {

// A keyspace's replication as system_schema.keyspaces holds it: the strategy's class without its
// package ("SimpleStrategy", "NetworkTopologyStrategy") and the other options (replication_factor,
// or a factor per datacenter).
struct Replication {
  std::string strategy;
  std::map<std::string, std::string> options;
};

// Parses the map's CQL literal, "{'class': 'org.apache.cassandra.locator.SimpleStrategy',
// 'replication_factor': '3'}" (how the driver bridge returns a map); nullopt when it is not one.
std::optional<Replication> parse_replication(std::string_view literal);

// The nodes the coordinator knows (system.local and system.peers): its datacenter and how many
// nodes each datacenter has, up or down.
struct ClusterNodes {
  std::string local_datacenter;
  std::map<std::string, int> per_datacenter;
  int total() const;
};

// Reads them (system.local and system.peers of the node that answers). Throws Error.
ClusterNodes read_cluster_nodes(Session& session);

// The replicas the keyspace keeps where the coordinator is, against the nodes there.
struct ReplicationContext {
  int replicas = 0;     // SimpleStrategy's factor, or NetworkTopologyStrategy's for the local datacenter
  int nodes = 0;        // nodes of the cluster (SimpleStrategy) or of the local datacenter
  bool simple = false;  // SimpleStrategy
  std::string text;     // "replication factor 3 on a 1-node cluster"
};

// nullopt for a strategy or a factor it cannot read (e.g. "3:1" transient replicas).
std::optional<ReplicationContext> replication_context(const Replication& replication, const ClusterNodes& nodes);

// Reads the keyspace's replication and the nodes; nullopt when either cannot be read (the
// messages below then go without them). Never throws.
std::optional<ReplicationContext> read_replication_context(Session& session, const std::string& keyspace);

// "Cassandra at 127.0.0.1:9042 cannot meet LOCAL_QUORUM for keyspace netflix: 2 replicas
// needed, 1 alive (replication factor 3 on a 1-node cluster): add nodes or lower the replication
// factor (ALTER KEYSPACE netflix WITH replication = {...})". The advice depends on whether nodes
// are missing (too few for the factor) or down (enough nodes, too few alive).
std::string describe_unavailable(std::string_view address, std::string_view keyspace, const Unavailable& unavailable,
                                 const std::optional<ReplicationContext>& context);

// What `schema` warns when the keyspace has more replicas than nodes: nothing can be written
// when the nodes are fewer than a quorum of the replicas, and rows have fewer copies than asked
// for otherwise. nullopt when the nodes are enough.
std::optional<std::string> replication_warning(std::string_view keyspace, const ReplicationContext& context);

}  // namespace ratingstream::store
