#include "store/replication.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "store/schema.hpp"

namespace ratingstream::store {
namespace {

void skip_spaces(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
}

// A CQL string literal at the start of `s` ('it''s'), consumed.
std::optional<std::string> take_quoted(std::string_view& s) {
  skip_spaces(s);
  if (s.empty() || s.front() != '\'') return std::nullopt;
  s.remove_prefix(1);
  std::string out;
  while (!s.empty()) {
    const char c = s.front();
    s.remove_prefix(1);
    if (c != '\'') {
      out.push_back(c);
      continue;
    }
    if (!s.empty() && s.front() == '\'') {
      out.push_back('\'');
      s.remove_prefix(1);
      continue;
    }
    return out;
  }
  return std::nullopt;
}

bool take(std::string_view& s, char c) {
  skip_spaces(s);
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

std::optional<int> whole_number(const std::string& text) {
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value < 0) return std::nullopt;
  return value;
}

std::string plural(int n, std::string_view one) { return fmt::format("{} {}{}", n, one, n == 1 ? "" : "s"); }

int quorum(int replicas) { return replicas / 2 + 1; }

std::string lower_it(std::string_view keyspace, const ReplicationContext& context) {
  if (!context.simple) return "lower the replication factor";
  return fmt::format(
      "lower the replication factor (ALTER KEYSPACE {} WITH replication = {{'class': 'SimpleStrategy', "
      "'replication_factor': {}}})",
      quote_identifier(keyspace), std::max(context.nodes, 1));
}

}  // namespace

std::optional<Replication> parse_replication(std::string_view s) {
  Replication replication;
  if (!take(s, '{')) return std::nullopt;
  if (!take(s, '}')) {
    for (;;) {
      auto key = take_quoted(s);
      if (!key || !take(s, ':')) return std::nullopt;
      auto value = take_quoted(s);
      if (!value) return std::nullopt;
      if (*key == "class") {
        const auto dot = value->rfind('.');
        replication.strategy = dot == std::string::npos ? *value : value->substr(dot + 1);
      } else {
        replication.options[*key] = *value;
      }
      if (take(s, '}')) break;
      if (!take(s, ',')) return std::nullopt;
    }
  }
  skip_spaces(s);
  if (!s.empty() || replication.strategy.empty()) return std::nullopt;
  return replication;
}

std::optional<ReplicationContext> replication_context(const Replication& replication, const ClusterNodes& nodes) {
  ReplicationContext context;
  if (replication.strategy == "SimpleStrategy") {
    const auto it = replication.options.find("replication_factor");
    const auto factor = it == replication.options.end() ? std::nullopt : whole_number(it->second);
    if (!factor) return std::nullopt;
    context.simple = true;
    context.replicas = *factor;
    for (const auto& [dc, count] : nodes.per_datacenter) context.nodes += count;
    context.text = fmt::format("replication factor {} on a {}-node cluster", context.replicas, context.nodes);
    return context;
  }
  if (replication.strategy == "NetworkTopologyStrategy") {
    const auto it = replication.options.find(nodes.local_datacenter);
    const auto factor = it == replication.options.end() ? std::optional<int>(0) : whole_number(it->second);
    if (!factor) return std::nullopt;
    context.replicas = *factor;
    const auto n = nodes.per_datacenter.find(nodes.local_datacenter);
    context.nodes = n == nodes.per_datacenter.end() ? 0 : n->second;
    context.text = fmt::format("replication factor {} in datacenter {}, which has {}", context.replicas,
                               nodes.local_datacenter, plural(context.nodes, "node"));
    return context;
  }
  return std::nullopt;
}

ClusterNodes read_cluster_nodes(Session& session) {
  ClusterNodes nodes;
  auto local = session.query("SELECT data_center FROM system.local");
  if (const auto me = local.next()) {
    if (const auto* dc = std::get_if<std::string>(&(*me)[0])) nodes.local_datacenter = *dc;
  }
  ++nodes.per_datacenter[nodes.local_datacenter];
  auto peers = session.query("SELECT data_center FROM system.peers");
  while (const auto peer = peers.next()) {
    const auto* dc = std::get_if<std::string>(&(*peer)[0]);
    ++nodes.per_datacenter[dc != nullptr ? *dc : std::string()];
  }
  return nodes;
}

int ClusterNodes::total() const {
  int sum = 0;
  for (const auto& [dc, count] : per_datacenter) sum += count;
  return sum;
}

std::optional<ReplicationContext> read_replication_context(Session& session, const std::string& keyspace) {
  try {
    const BoundValue params[] = {BoundValue::of_text(keyspace)};
    auto keyspaces = session.query("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", params);
    const auto row = keyspaces.next();
    if (!row) return std::nullopt;
    const auto* literal = std::get_if<std::string>(&(*row)[0]);
    const auto replication = literal != nullptr ? parse_replication(*literal) : std::nullopt;
    if (!replication) return std::nullopt;

    return replication_context(*replication, read_cluster_nodes(session));
  } catch (const std::exception&) {
    return std::nullopt;  // the message goes without the context
  }
}

std::string describe_unavailable(std::string_view address, std::string_view keyspace, const Unavailable& unavailable,
                                 const std::optional<ReplicationContext>& context) {
  std::string text = fmt::format("Cassandra at {} cannot meet {} for keyspace {}: {} needed, {} alive", address,
                                 unavailable.consistency.empty() ? "the consistency level" : unavailable.consistency,
                                 keyspace, plural(unavailable.required, "replica"), unavailable.alive);
  if (!context) return text + ": add or start nodes, or lower the replication factor";
  text += fmt::format(" ({})", context->text);
  if (context->nodes < unavailable.required) return text + ": add nodes or " + lower_it(keyspace, *context);
  return text + ": start the nodes that are down (nodetool status lists them) or " + lower_it(keyspace, *context);
}

std::optional<std::string> replication_warning(std::string_view keyspace, const ReplicationContext& context) {
  if (context.nodes >= context.replicas) return std::nullopt;
  if (context.nodes < quorum(context.replicas)) {
    return fmt::format(
        "keyspace {} has {}: writes at LOCAL_QUORUM need {}, so nothing can be written to it until more nodes join; "
        "add nodes or {}",
        keyspace, context.text, plural(quorum(context.replicas), "replica"), lower_it(keyspace, context));
  }
  return fmt::format("keyspace {} has {}: each row is kept on {}, not {}, until more nodes join", keyspace,
                     context.text, plural(context.nodes, "node"), context.replicas);
}

}  // namespace ratingstream::store
