#pragma once
// Shared by the fault tests: the process fixtures (producing with exact partitions, reading the
// table back, running the binary in the background), plus what disturbs the shared stack (kill -9
// of a server by its recorded pid, `scripts/stack up|down <service>`, a guard that starts a server
// again whatever happens), a generated rating load with its expected rows, and a printed seed.

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <random>
#include <regex>
#include <set>

#include "../integration/process/process_fixtures.hpp"

namespace ratingstream::chaos_test {

using namespace process_test;
using namespace std::chrono_literals;

// ---- the stack -------------------------------------------------------------------------------

inline testing::CommandResult stack(const std::string& action, const std::string& service) {
  return testing::run({(testing::source_root() / "scripts" / "stack").string(), action, service}, 300s);
}

// The pid `scripts/stack up` recorded for `service` (kafka or cassandra); -1 when there is none.
inline pid_t server_pid(const std::string& service) {
  std::ifstream in(testing::source_root() / ".stack" / (service + ".pid"));
  long pid = -1;
  if (!(in >> pid)) return -1;
  return static_cast<pid_t>(pid);
}

// Whether `pid` is a live process (a zombie waiting for init counts as gone).
inline bool process_alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close_paren = line.rfind(')');
  return close_paren != std::string::npos && close_paren + 2 < line.size() && line[close_paren + 2] != 'Z';
}

// kill -9 of the server, as a power cut of that process: no shutdown hooks, no flush. Returns once
// it is gone.
inline void kill_server(const std::string& service) {
  const pid_t pid = server_pid(service);
  ASSERT_GT(pid, 0) << "no pid recorded for " << service << " in .stack/" << service << ".pid";
  ASSERT_TRUE(process_alive(pid)) << service << " (pid " << pid << ") is not running";
  ASSERT_EQ(::kill(pid, SIGKILL), 0) << service << " pid " << pid;
  ASSERT_TRUE(testing::eventually([&] { return !process_alive(pid); }, 30s, 50ms)) << service << " survived kill -9";
}

inline bool cassandra_answers() {
  try {
    cassandra();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// The broker answers a metadata request for `topic` (an existing topic). One that does not
// answer yet (partition_count throws BrokerUnreachable then) is a no, not a test failure.
inline bool kafka_answers(const std::string& topic) {
  try {
    return kafka::partition_count(*kafka_conf(), topic, 3s).has_value();
  } catch (const std::exception&) {
    return false;
  }
}

// Starts a server again and waits until it answers. The stack is shared: what counts is that it
// answers, not how the script ended (another session may have started it meanwhile).
inline bool restart_server(const std::string& service, const std::function<bool()>& answers) {
  const auto result = stack("up", service);
  const bool ok = testing::eventually(answers, 180s, 500ms);
  EXPECT_TRUE(ok) << "scripts/stack up " << service << ": exit " << result.exit_code << "\n"
                  << result.out << result.err;
  return ok;
}

// Whatever happens in a test (a failed assertion returns early), the server it took down runs
// again afterwards.
class ServerRestarter {
 public:
  ServerRestarter(std::string service, std::function<bool()> answers)
      : service_(std::move(service)), answers_(std::move(answers)) {}
  ~ServerRestarter() {
    if (down_) restart_server(service_, answers_);
  }
  ServerRestarter(const ServerRestarter&) = delete;
  ServerRestarter& operator=(const ServerRestarter&) = delete;
  void mark_down() { down_ = true; }
  // Starts it now; true once it answers.
  bool restart() {
    down_ = false;
    return restart_server(service_, answers_);
  }

 private:
  std::string service_;
  std::function<bool()> answers_;
  bool down_ = false;
};

// Drops a test's keyspace when the test ends, also when a failed assertion ends it early.
class KeyspaceDropper {
 public:
  explicit KeyspaceDropper(std::string keyspace) : keyspace_(std::move(keyspace)) {}
  ~KeyspaceDropper() { drop_keyspace(keyspace_); }
  KeyspaceDropper(const KeyspaceDropper&) = delete;
  KeyspaceDropper& operator=(const KeyspaceDropper&) = delete;

 private:
  std::string keyspace_;
};

// ---- seeds -----------------------------------------------------------------------------------

// RS_CHAOS_SEED repeats a run; otherwise a fresh seed. Printed either way, so a failure can be
// replayed with the same kill moments.
inline std::uint64_t chaos_seed(const char* test) {
  std::uint64_t seed = 0;
  if (const char* given = std::getenv("RS_CHAOS_SEED"); given != nullptr && *given != '\0') {
    seed = std::strtoull(given, nullptr, 10);
  } else {
    seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  }
  std::cerr << test << ": seed " << seed << " (RS_CHAOS_SEED=" << seed << " repeats it)\n";
  return seed;
}

// ---- a rating load and its expected rows -----------------------------------------------------

inline constexpr const char* kCatalogue =
    "show_id,title,director,country,release_year,rating,duration\n"
    "s1,Twin Harbours,Ottilie Marsh,United Kingdom,2011,PG-13,102\n"
    "s2,\"Salt, Smoke and Silver\",Tobias Ferrand,France,2021,TV-MA,117\n"
    "s3,\"The \"\"Quiet\"\" Lantern\",Ines Valcourt,Belgium,1998,PG,88\n";
inline const FilmColumns kFilms[] = {{"s1", "Ottilie Marsh", "United Kingdom", "PG-13", 2011, 102},
                                     {"s2", "Tobias Ferrand", "France", "TV-MA", 2021, 117},
                                     {"s3", "Ines Valcourt", "Belgium", "PG", 1998, 88}};
// As in the catalogue; the third as a JSON string needs its quotes escaped.
inline const char* const kTitles[] = {"Twin Harbours", "Salt, Smoke and Silver", "The \"Quiet\" Lantern"};
inline const char* const kJsonTitles[] = {"Twin Harbours", "Salt, Smoke and Silver", "The \\\"Quiet\\\" Lantern"};

inline constexpr std::int64_t kStartMs = 1'741'894'010'000;  // 2025-03-13T19:26:50Z

// Ratings number `first` to `first + count - 1` of a load spread round-robin over `partitions`:
// appends the records to `records` and their rows to `expected`. Each rating has an instant of
// its own, so no two of them are the same rating (which would be one row).
inline void add_load(int partitions, int first, int count, std::vector<Outgoing>& records,
                     std::map<store::Uuid, TableRow>& expected) {
  for (int i = first; i < first + count; ++i) {
    const int partition = i % partitions;
    const std::string name = fmt::format("Person {}", i % 97);
    const int film = (i / 7) % 3;
    const int rating = 1 + i % 10;
    const std::int64_t at = kStartMs + i * 1000LL + i % 1000;
    records.push_back({partition, name,
                       fmt::format(R"({{"name":"{}","movie":"{}","rating":{},"timestamp":"{}"}})", name,
                                   kJsonTitles[film], rating, iso_utc(at))});
    auto row = expected_row(name, at * 1000, kTitles[film], rating, &kFilms[film]);
    expected.emplace(std::get<store::Uuid>(row[2]), std::move(row));
  }
}

// The rows a test expects, built up as it produces: each produce_load call produces ratings number
// `first` to `first + count - 1` (add_load) to `topic`, waits for their delivery, and expects
// their rows.
struct ExpectedRows {
  std::map<store::Uuid, TableRow> rows;

  void produce_load(const std::string& topic, int partitions, int first, int count) {
    std::vector<Outgoing> records;
    add_load(partitions, first, count, records, rows);
    produce(topic, records);
  }
};

// ---- what `ratingstream produce` sent --------------------------------------------------------

// The movies file of the producer: the catalogue's titles, CSV-quoted where needed.
inline constexpr const char* kProducerMovies =
    "Twin Harbours\n\"Salt, Smoke and Silver\"\n\"The \"\"Quiet\"\" Lantern\"\n";

// The string value of `field` in a JSON object written by the producer (escapes \" \\ \/ and
// \uXXXX below U+0080 are what its encoder writes for the names and titles used here).
inline std::optional<std::string> json_string(const std::string& json, const std::string& field) {
  const std::string key = "\"" + field + "\":\"";
  auto at = json.find(key);
  if (at == std::string::npos) return std::nullopt;
  std::string out;
  for (at += key.size(); at < json.size(); ++at) {
    const char c = json[at];
    if (c == '"') return out;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++at >= json.size()) return std::nullopt;
    switch (json[at]) {
      case 'u':
        if (at + 4 >= json.size()) return std::nullopt;
        out.push_back(static_cast<char>(std::stoi(json.substr(at + 1, 4), nullptr, 16)));
        at += 4;
        break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      default: out.push_back(json[at]);
    }
  }
  return std::nullopt;
}

// 2026-11-30T04:10:11.123456Z -> milliseconds since the epoch (truncated, as the table keeps them).
inline std::optional<std::int64_t> producer_timestamp_us(const std::string& text) {
  std::smatch m;
  if (!std::regex_match(text, m, std::regex(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z)"))) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  return static_cast<std::int64_t>(timegm(&tm)) * 1'000'000 + std::stoi(m[7]);
}

// Every message of `topic`, read back, and the rows they must give in the table: the producer's
// messages (their names, kProducerMovies' titles) joined with kCatalogue's films.
struct ProducedRatings {
  std::size_t messages = 0;
  std::size_t repeated = 0;  // messages whose value is in the topic more than once
  std::map<store::Uuid, TableRow> rows;
};

inline ProducedRatings read_produced_ratings(const std::string& topic, int partitions) {
  ProducedRatings out;
  std::set<std::string> values;
  for (const auto& record : consume_all(topic, partitions)) {
    ++out.messages;
    const std::string json = record.value.value_or("");
    // Every message carries a distinct microsecond timestamp per person; the same value twice
    // is a duplicate the idempotent producer should have prevented.
    if (!values.insert(json).second) ++out.repeated;
    const auto name = json_string(json, "name");
    const auto movie = json_string(json, "movie");
    const auto timestamp = json_string(json, "timestamp");
    std::smatch rating;
    const auto us = timestamp ? producer_timestamp_us(*timestamp) : std::nullopt;
    const auto title = movie ? std::find(std::begin(kTitles), std::end(kTitles), *movie) : std::end(kTitles);
    if (!name || !us || title == std::end(kTitles) ||
        !std::regex_search(json, rating, std::regex(R"("rating":(\d+))"))) {
      ADD_FAILURE() << "not a message of the producer: " << json;
      continue;
    }
    EXPECT_EQ(record.key, name) << json;
    auto row = expected_row(*name, *us, *movie, std::stoi(rating[1]), &kFilms[title - std::begin(kTitles)]);
    out.rows.emplace(std::get<store::Uuid>(row[2]), std::move(row));
  }
  return out;
}

// Occurrences of `what` in `text`.
inline std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace ratingstream::chaos_test
