// `ratingstream query` refusing bad input (exit 2, one line naming the flag, before any network)
// and an unreachable Cassandra (exit 1, one line naming the address).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "query_fixture.hpp"

using namespace ratingstream;
using namespace ratingstream::query_test;

namespace {

// Runs `ratingstream query <args>` and checks it fails with `exit_code`, nothing on stdout and
// exactly one line on stderr; returns that line.
std::string failure(std::vector<std::string> args, int exit_code) {
  args.insert(args.begin(), "query");
  const auto r = rs_testing::run_ratingstream(args);
  EXPECT_EQ(r.exit_code, exit_code) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  return r.err;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(QueryErrors, ABadTimeNamesTheFlag) {
  // An unreachable address: the input is refused before connecting, so no network is involved.
  auto err = failure(
      {"movies", "--name", "A", "--from", "2025-03-13 25:00", "--to", "2025-03-14", "--cassandra", "127.0.0.1:1"}, 2);
  EXPECT_EQ(err.rfind("ratingstream: --from: \"2025-03-13 25:00\" is not a time; write ISO-8601", 0), 0u) << err;
  err = failure({"avg-duration", "--name", "A", "--from", "2025-03-13", "--to", "next week"}, 2);
  EXPECT_EQ(err.rfind("ratingstream: --to: \"next week\" is not a time", 0), 0u) << err;
  err = failure({"movies", "--name", "A", "--hour", "2025-03-13"}, 2);
  EXPECT_EQ(err.rfind("ratingstream: --hour: \"2025-03-13\" is not an hour", 0), 0u) << err;
}

TEST(QueryErrors, FromNotBeforeTo) {
  auto err = failure({"ratings", "--name", "A", "--from", "2025-03-13 20:00", "--to", "2025-03-13 19:00"}, 2);
  EXPECT_EQ(err,
            "ratingstream: --from \"2025-03-13 20:00\" is not before --to \"2025-03-13 19:00\": the window is "
            "[from, to), so --to must be later\n");
  err = failure({"avg-duration", "--name", "A", "--from", "2025-03-13T19:00Z", "--to", "2025-03-13 21:00+02:00"}, 2);
  EXPECT_TRUE(contains(err, "is not before --to")) << err;
}

TEST(QueryErrors, MissingOrConflictingWindowFlags) {
  EXPECT_TRUE(contains(failure({"movies", "--name", "A"}, 2), "no time window"));
  EXPECT_TRUE(contains(failure({"movies", "--name", "A", "--from", "2025-03-13"}, 2), "--to is missing"));
  EXPECT_TRUE(
      contains(failure({"movies", "--name", "A", "--hour", "2025-03-13 19", "--to", "2025-03-14"}, 2), "--hour"));
  EXPECT_TRUE(contains(failure({"avg-duration", "--from", "2025-03-13", "--to", "2025-03-14"}, 2), "--name"));
  EXPECT_TRUE(contains(failure({"movies", "--name", "", "--hour", "2025-03-13 19"}, 2), "--name is empty"));
}

TEST(QueryErrors, BadZoneFormatOrLimit) {
  EXPECT_EQ(failure({"movies", "--name", "A", "--hour", "2025-03-13 19", "--tz", "Mars/Olympus"}, 2)
                .rfind("ratingstream: --tz: unknown time zone \"Mars/Olympus\"", 0),
            0u);
  EXPECT_TRUE(contains(failure({"sample", "--format", "xml"}, 2), "--format"));
  EXPECT_TRUE(contains(failure({"sample", "--limit", "0"}, 2), "--limit"));
  EXPECT_TRUE(contains(failure({"sample", "--keyspace", "no-dashes"}, 2), "--keyspace"));
  EXPECT_TRUE(contains(failure({"nonsense"}, 2), "subcommand is required"));
}

TEST(QueryErrors, ANameThatIsNotUtf8OrTooLongIsBadInput) {
  // Refused before connecting (the address is unreachable): exit 2, one line naming --name, the
  // name not echoed.
  for (const std::string question : {"avg-duration", "movies", "ratings"}) {
    for (const std::string& name : {std::string("\xff\xfe"), std::string("Ann\x80"), std::string(70'000, 'a')}) {
      const auto err = failure({question, "--name", name, "--hour", "2025-03-13 19", "--cassandra", "127.0.0.1:1"}, 2);
      EXPECT_EQ(err.rfind("ratingstream: --name ", 0), 0u) << question << ": " << err.substr(0, 200);
      EXPECT_LT(err.size(), 200u) << question;
    }
  }
}

TEST(QueryErrors, AnUnknownZoneNamesTheFlagWhereverItComesFrom) {
  for (const std::string question : {"sample", "movies"}) {
    std::vector<std::string> args{question, "--tz", "Bogus", "--cassandra", "127.0.0.1:1"};
    if (question == "movies") args.insert(args.end(), {"--name", "A", "--hour", "2025-03-13 19"});
    EXPECT_EQ(failure(args, 2).rfind("ratingstream: --tz: unknown time zone \"Bogus\"", 0), 0u);
  }
}

TEST(QueryErrors, EscapeFormulasIsForCsvOnly) {
  EXPECT_EQ(failure({"sample", "--escape-formulas", "--cassandra", "127.0.0.1:1"}, 2),
            "ratingstream: --escape-formulas applies to --format csv only; add --format csv or leave it out\n");
}

TEST(QueryErrors, UnreachableCassandraNamesTheAddress) {
  for (const auto& question : std::vector<std::vector<std::string>>{
           {"sample"}, {"avg-duration", "--name", "A", "--from", "2025-03-13", "--to", "2025-03-14"}}) {
    auto args = question;
    args.insert(args.end(), {"--cassandra", "127.0.0.1:1"});
    const auto err = failure(args, 1);
    EXPECT_EQ(err.rfind("ratingstream: cannot connect to Cassandra at 127.0.0.1:1", 0), 0u) << err;
  }
}

}  // namespace
