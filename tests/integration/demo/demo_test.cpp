// scripts/demo, shortened by its environment variables, runs to completion against the real
// stack, and the Q1 figure it prints equals the average computed here from the rows it wrote.

#include <gtest/gtest.h>

#include <cmath>
#include <ctime>
#include <iomanip>
#include <regex>
#include <sstream>

#include "store/session.hpp"
#include "test_support.hpp"

namespace rs_testing = ratingstream::testing;
using namespace ratingstream;
using namespace std::chrono_literals;

namespace {

// Milliseconds since the epoch of "YYYY-MM-DDTHH:MM:SS" (UTC), as the demo prints its window.
std::int64_t utc_millis(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  EXPECT_FALSE(in.fail()) << text;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

}  // namespace

TEST(Demo, RunsShortenedAndItsQ1EqualsTheAverageOfTheRowsItWrote) {
  const auto result = rs_testing::run({(rs_testing::source_root() / "scripts" / "demo").string()}, 600s,
                                      {"DEMO_SECONDS=15", "DEMO_INTERVAL=1s", "DEMO_TRIGGER=2s"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string& out = result.out;

  // The window the demo asked about, and its Q1 answer row.
  std::smatch window;
  ASSERT_TRUE(std::regex_search(out, window, std::regex(R"(over the demo's window \[(\S+), (\S+)\) UTC)"))) << out;
  std::smatch q1;
  ASSERT_TRUE(std::regex_search(
      out, q1, std::regex(R"(\n\s*Stelios Giagkos \|[^|]+\|[^|]+\|\s*(\d+) \|\s*(\d+) \|\s*([0-9.]+)\n)")))
      << out;
  const long printed_rows = std::stol(q1[1]);
  const double printed_average = std::stod(q1[3]);
  EXPECT_GT(printed_rows, 5) << "the own name rated once a second for 15 s";

  // The same window read straight from the table through the driver, averaged here.
  auto session = store::Session::connect({});
  const store::BoundValue params[] = {
      store::BoundValue::of_text("Stelios Giagkos"),
      store::BoundValue::of_timestamp({utc_millis(window[1])}),
      store::BoundValue::of_timestamp({utc_millis(window[2])}),
  };
  auto rows = session.query(
      "SELECT duration FROM netflix.movie_ratings WHERE name = ? AND timestamp >= ? AND timestamp < ?", params);
  long count = 0;
  long sum = 0;
  while (auto row = rows.next()) {
    ++count;
    sum += std::get<std::int32_t>((*row)[0]);
  }
  ASSERT_EQ(count, printed_rows);
  const double average = static_cast<double>(sum) / static_cast<double>(count);
  EXPECT_NEAR(printed_average, std::round(average * 100) / 100, 1e-9) << "sum " << sum << " over " << count;

  // It showed the processor's progress and a 50-row sample, and said how to stop the stack.
  EXPECT_NE(out.find("(50 rows)"), std::string::npos);
  EXPECT_NE(result.err.find("batch 1:"), std::string::npos) << result.err;
  EXPECT_NE(out.find("scripts/stack down"), std::string::npos);
}
