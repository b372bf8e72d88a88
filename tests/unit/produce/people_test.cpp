// The people who rate: generated names plus the own name.

#include "produce/people.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>

#include "common/errors.hpp"
#include "produce/name_data.hpp"

namespace ratingstream::produce {
namespace {

constexpr std::string_view kMe = "Stelios Giagkos";

TEST(People, GivesTheCountPlusTheOwnNameLast) {
  const auto people = make_people(14, kMe, 42);
  ASSERT_EQ(people.size(), 15u);
  EXPECT_EQ(people.back(), kMe);
}

TEST(People, NamesAreUnique) {
  for (const std::size_t count : {1u, 14u, 1000u, 20'000u}) {
    const auto people = make_people(count, kMe, 7);
    EXPECT_EQ(std::set<std::string>(people.begin(), people.end()).size(), people.size()) << count;
  }
}

TEST(People, TheOwnNameIsNeverGeneratedAgain) {
  // An own name that the pools can produce, and a request for every other combination.
  const std::string own = std::string(first_names()[0]) + " " + std::string(last_names()[0]);
  const std::size_t all_others = max_generated_people(own);
  EXPECT_EQ(all_others, first_names().size() * last_names().size() - 1);
  const auto people = make_people(all_others, own, 3);
  EXPECT_EQ(std::set<std::string>(people.begin(), people.end()).size(), all_others + 1);
  EXPECT_EQ(std::count(people.begin(), people.end(), own), 1);
}

TEST(People, TooManyIsAnInputError) { EXPECT_THROW(make_people(max_generated_people(kMe) + 1, kMe, 1), InputError); }

TEST(People, SameSeedSameNamesInTheSameOrder) {
  EXPECT_EQ(make_people(14, kMe, 2025), make_people(14, kMe, 2025));
  // Also when most combinations are wanted (drawn another way).
  EXPECT_EQ(make_people(100'000, kMe, 2025), make_people(100'000, kMe, 2025));
}

TEST(People, DifferentSeedsGiveDifferentNames) {
  const auto a = make_people(14, kMe, 1);
  const auto b = make_people(14, kMe, 2);
  EXPECT_NE(a, b);
  // Not merely reordered: most names differ.
  const std::set<std::string> in_a(a.begin(), a.end() - 1);
  int shared = 0;
  for (auto it = b.begin(); it != b.end() - 1; ++it) shared += static_cast<int>(in_a.count(*it));
  EXPECT_LT(shared, 7);
}

TEST(People, NamesAreVaried) {
  // Fourteen people should not be fourteen variants of one name.
  const auto people = make_people(14, kMe, 99);
  std::set<std::string> firsts, lasts;
  for (auto it = people.begin(); it != people.end() - 1; ++it) {
    const auto space = it->find(' ');
    ASSERT_NE(space, std::string::npos) << *it;
    firsts.insert(it->substr(0, space));
    lasts.insert(it->substr(space + 1));
  }
  EXPECT_GE(firsts.size(), 10u);
  EXPECT_GE(lasts.size(), 10u);
}

TEST(People, AnEmptyOwnNameMeansNone) {
  const auto people = make_people(3, "", 5);
  ASSERT_EQ(people.size(), 3u);
  for (const auto& name : people) EXPECT_FALSE(name.empty());
}

TEST(NameData, PoolsAreLargeDistinctAndClean) {
  for (const auto pool : {first_names(), last_names()}) {
    EXPECT_GE(pool.size(), 300u);
    std::set<std::string_view> distinct(pool.begin(), pool.end());
    EXPECT_EQ(distinct.size(), pool.size());
    for (const auto name : pool) {
      EXPECT_FALSE(name.empty());
      EXPECT_NE(name.front(), ' ') << name;
      EXPECT_NE(name.back(), ' ') << name;
      EXPECT_TRUE(simdjson::validate_utf8(name.data(), name.size())) << name;
    }
  }
}

}  // namespace
}  // namespace ratingstream::produce
