// ratingstream query: the questions the table answers (Q1, Q2, sample: docs/contract.md,
// "Questions the table answers") and every column of a person's window, printed as cqlsh would
// (or as CSV or JSON).

#include <fmt/format.h>

#include <climits>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/command_line.hpp"
#include "common/errors.hpp"
#include "query/output.hpp"
#include "query/person_name.hpp"
#include "query/questions.hpp"
#include "query/time_window.hpp"
#include "rating/time_zone.hpp"
#include "store/schema.hpp"

namespace ratingstream::app {
namespace {

enum class Question { average_duration, movies, ratings, sample };

struct QueryOptions {
  CassandraOptions cassandra;
  std::string format = "table";
  std::string time_zone;  // empty: UTC
  bool escape_formulas = false;
  int page_size = query::kDefaultPageSize;
  std::string name;
  query::WindowFlags window;
  int limit = 50;
  bool no_rollups = false;
};

rating::TimeZone zone_of(const std::string& name) {
  if (name.empty()) return rating::TimeZone::utc();
  try {
    return rating::TimeZone::named(name);
  } catch (const InputError& e) {
    throw InputError(std::string("--tz: ") + e.what());
  }
}

int run_query(Question question, const QueryOptions& o) {
  // Everything the user typed is checked before connecting: a typo fails fast, without a network.
  const auto zone = zone_of(o.time_zone);
  const auto format = query::parse_format(o.format);
  if (!format) throw InputError("--format must be table, csv or json, not \"" + o.format + "\"");
  if (o.escape_formulas && *format != query::Format::csv) {
    throw InputError("--escape-formulas applies to --format csv only; add --format csv or leave it out");
  }
  store::check_identifier(Setting::keyspace, o.cassandra.keyspace);
  store::check_identifier(Setting::table, o.cassandra.table);
  std::optional<query::TimeWindow> window;
  if (question != Question::sample) {
    try {
      query::check_person_name(o.name);
    } catch (const InputError& e) {
      throw InputError(std::string("--name ") + e.what());
    }
    window = query::resolve_window(o.window, zone);
  }

  auto session = store::Session::connect(session_config(o.cassandra));
  query::Questions questions(session, store::TableRef{o.cassandra.keyspace, o.cassandra.table}, o.page_size,
                             o.no_rollups ? query::RollupUse::never : query::RollupUse::when_complete);
  const auto writer =
      query::make_writer(*format, std::cout, zone, query::CsvOptions{.escape_formulas = o.escape_formulas});
  switch (question) {
    case Question::average_duration: {
      const auto average = questions.average_duration(o.name, *window);
      query::write_table(query::average_duration_result(o.name, *window, average), *writer);
      break;
    }
    case Question::movies: questions.movies(o.name, *window, *writer); break;
    case Question::ratings: questions.ratings(o.name, *window, *writer); break;
    case Question::sample: questions.sample(o.limit, *writer); break;
  }
  // A full disk or a closed stdout must not pass for a complete answer.
  if (!std::cout.flush()) throw RuntimeFailure("cannot write the result to stdout");
  return kExitOk;
}

// The flags every question shares: where the table is, how to print, which zone.
void add_common_options(CLI::App& command, QueryOptions& o) {
  add_cassandra_options(command, o.cassandra, CassandraUse::reads);
  command
      .add_option("--format", o.format, "output: table (as cqlsh), csv (RFC 4180, with a header) or json (an array)")
      ->check(CLI::IsMember(query::format_names()))
      ->capture_default_str();
  command.add_flag("--escape-formulas", o.escape_formulas,
                   "csv for spreadsheets: prefix ' to text starting with = + - @ TAB or CR, so a spreadsheet shows it "
                   "as text instead of running it (changes the data; off by default)");
  command.add_option("--tz", o.time_zone,
                     "IANA zone (e.g. Europe/Athens) of the times given without a zone and of the times printed; "
                     "default UTC");
  add_whole_number_option(command, "--page-size", o.page_size, 1, 1'000'000,
                          "rows fetched per request; any result size is read in full");
}

// --name and the window: --from/--to, or --hour.
void add_window_options(CLI::App& command, QueryOptions& o) {
  command.add_option("--name", o.name, "the person who rated")->required();
  const auto into = [](std::optional<std::string>& target) {
    return [&target](const std::string& text) { target = text; };
  };
  auto* from =
      command.add_option_function<std::string>("--from", into(o.window.from),
                                               "start of the window, inclusive: ISO-8601 with or without T and zone, "
                                               "e.g. 2025-03-13T19:00:00Z, \"2025-03-13 19:00\", 2025-03-13");
  auto* to = command.add_option_function<std::string>("--to", into(o.window.to),
                                                      "end of the window, exclusive (same forms as --from)");
  command
      .add_option_function<std::string>("--hour", into(o.window.hour),
                                        "the window of one hour, \"YYYY-MM-DD HH\", instead of --from/--to")
      ->excludes(from)
      ->excludes(to);
}

CLI::App* add_question(CLI::App& parent, Action& chosen, Question question, const std::string& name,
                       const std::string& description) {
  auto* command = parent.add_subcommand(name, description);
  auto options = std::make_shared<QueryOptions>();
  add_common_options(*command, *options);
  if (question == Question::sample) {
    add_whole_number_option(*command, "--limit", options->limit, 1, INT_MAX, "at most this many rows");
  } else {
    add_window_options(*command, *options);
  }
  if (question == Question::average_duration) {
    command->add_flag("--no-rollups", options->no_rollups,
                      "read every raw row of the window, not the table's hourly rollups (the answer is the same)");
  }
  command->callback(
      [&chosen, options, question] { chosen = [options, question] { return run_query(question, *options); }; });
  return command;
}

}  // namespace

void add_query_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand("query", "Ask the ratings table: Q1, Q2, a sample, a person's ratings");
  command->require_subcommand(1);
  command->footer(
      "Windows are [from, to): --from inclusive, --to exclusive. Times without a zone are read in --tz (UTC by "
      "default); printed times are in --tz too.");
  add_question(*command, chosen, Question::average_duration, "avg-duration",
               "Q1: the average duration of the movies a person rated in a window (exact, two decimals; "
               "rows without a duration are counted apart)");
  add_question(*command, chosen, Question::movies, "movies", "Q2: the movies a person rated in a window, newest first");
  add_question(*command, chosen, Question::ratings, "ratings", "every column of a person's ratings in a window");
  add_question(*command, chosen, Question::sample, "sample", "every column of some rows (cqlsh's SELECT * ... LIMIT)");
}

}  // namespace ratingstream::app
