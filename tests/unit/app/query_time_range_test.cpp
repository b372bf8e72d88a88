// A query time that is a real date and time but outside years 0001..9999 once in UTC (its
// offset, its zone or --tz moves it there) is named as such, not as "not a time"; and no time
// flag's message echoes raw bytes. The window is checked before Cassandra is contacted.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "run_in_process.hpp"

using ratingstream::testing::InProcessResult;
using ratingstream::testing::run_in_process;

namespace {

InProcessResult ask(const std::vector<std::string>& window) {
  std::vector<std::string> args{"query", "avg-duration", "--name", "Ann"};
  args.insert(args.end(), window.begin(), window.end());
  return run_in_process(args);
}

void expect_one_line(const InProcessResult& r, const std::string& what, const std::string& starts_with,
                     const std::string& says) {
  EXPECT_EQ(r.exit_code, 2) << what << ":\n" << r.all();
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ":\n" << r.err;
  EXPECT_EQ(r.err.rfind("ratingstream: " + starts_with, 0), 0u) << what << ":\n" << r.err;
  EXPECT_NE(r.err.find(says), std::string::npos) << what << ": expected '" << says << "' in:\n" << r.err;
  EXPECT_TRUE(std::all_of(r.err.begin(), r.err.end(), [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7F); }))
      << what << ": raw bytes in:\n"
      << r.err;
}

constexpr const char* kOutside = "is outside the years 0001 to 9999 once in UTC";

}  // namespace

TEST(QueryTimeRange, ATimeMovedOutOfTheYearsByItsOffsetOrZoneSaysSo) {
  struct Case {
    std::vector<std::string> window;
    std::string flag;
  };
  const std::vector<Case> cases{
      {{"--from", "0001-01-01T00:00:00+01:00", "--to", "2025-01-01"}, "--from: \"0001-01-01T00:00:00+01:00\" "},
      {{"--from", "0001-01-01 00:30+01", "--to", "2025-01-01"}, "--from: \"0001-01-01 00:30+01\" "},
      {{"--from", "2025-01-01", "--to", "9999-12-31T23:30:00-01:00"}, "--to: \"9999-12-31T23:30:00-01:00\" "},
      {{"--from", "2025-01-01", "--to", "9999-12-31 23:59:59.5-00:01"}, "--to: \"9999-12-31 23:59:59.5-00:01\" "},
      // A date alone is midnight of --tz: in Tokyo that is still year 0 in UTC.
      {{"--tz", "Asia/Tokyo", "--from", "0001-01-01", "--to", "2025-01-01"}, "--from: \"0001-01-01\" "},
      {{"--hour", "0001-01-01 00+01:00"}, "--hour: \"0001-01-01 00+01:00\" "},
      {{"--hour", "9999-12-31 23-01"}, "--hour: \"9999-12-31 23-01\" "},
  };
  for (const auto& c : cases) expect_one_line(ask(c.window), c.flag, c.flag, kOutside);
}

TEST(QueryTimeRange, TheEdgesOfTheYearsAreTimesAndWhatIsNoTimeIsStillSaidSo) {
  // The first and the last instant: the window is fine, so the run gets as far as connecting (to
  // a port where nothing listens).
  const auto edges = run_in_process({"query", "avg-duration", "--name", "Ann", "--from", "0001-01-01T00:00:00Z", "--to",
                                     "9999-12-31T23:59:59.999999Z", "--cassandra", "127.0.0.1:1"});
  EXPECT_EQ(edges.exit_code, 1) << edges.err;
  EXPECT_EQ(edges.err.find("--from"), std::string::npos) << edges.err;
  EXPECT_EQ(edges.err.find("--to"), std::string::npos) << edges.err;
  expect_one_line(ask({"--from", "2025-02-30", "--to", "2025-03-01"}), "February 30", "--from: \"2025-02-30\" ",
                  "is not a time");
  expect_one_line(ask({"--hour", "2025-03-13 24"}), "hour 24", "--hour: \"2025-03-13 24\" ", "is not an hour");
}

TEST(QueryTimeRange, NoTimeFlagEchoesRawBytes) {
  expect_one_line(ask({"--from", "\x1b[2J2025-01-01", "--to", "2025-01-02"}), "--from with ESC",
                  "--from: ", "is not a time");
  expect_one_line(ask({"--from", "2025-01-01", "--to", "2025-01-02\r\n"}), "--to with CR LF",
                  "--to: ", "is not a time");
  expect_one_line(ask({"--hour",
                       "\x07"
                       "2025-01-01 10"}),
                  "--hour with BEL", "--hour: ", "is not an hour");
  expect_one_line(ask({"--from", "2025-01-02 \xc3\xa9", "--to", "2025-01-01"}), "--from with UTF-8",
                  "--from: ", "is not a time");
}
