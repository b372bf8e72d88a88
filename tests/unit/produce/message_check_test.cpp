// The producer checks names and titles by the processor's rules before it sends anything.

#include "produce/message_check.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/errors.hpp"
#include "produce/movies_file.hpp"
#include "rating/json_encode.hpp"
#include "rating/timestamp.hpp"
#include "test_support.hpp"

namespace ratingstream::produce {
namespace {

TEST(MessageCheck, TheLargestMessageOfANameAndATitleIsChecked) {
  EXPECT_FALSE(refusal_of_messages("Stelios Giagkos", "Salt, Smoke and Silver"));
  const std::string json_of_empty = rating::to_json({"N", "", rating::kMaxRating, rating::kLastTimestampMicros});
  const std::size_t room = rating::kDefaultMaxValueBytes - json_of_empty.size();
  EXPECT_FALSE(refusal_of_messages("N", std::string(room, 'x')));
  EXPECT_EQ(refusal_of_messages("N", std::string(room + 1, 'x'))->reason, rating::RejectReason::too_large);
  EXPECT_EQ(refusal_of_messages("\xFF", "Jeans")->reason, rating::RejectReason::malformed_json);
  EXPECT_EQ(refusal_of_messages("", "Jeans")->reason, rating::RejectReason::missing_field);
}

TEST(MessageCheck, TheLongestNameIsTheLongestAsJson) {
  const std::vector<std::string> people{"Ann Smith", "Bo \"Q\" Li", "Christopher Lee"};
  EXPECT_EQ(longest_name(people), "Christopher Lee");
  const std::vector<std::string> quoted{"Ann Smith", "\"\"\"\"\"\"\"\""};  // 8 quotes are 16 bytes as JSON
  EXPECT_EQ(longest_name(quoted), quoted[1]);
  EXPECT_EQ(longest_name(std::vector<std::string>{}), "");
}

TEST(MessageCheck, ATitleThatFitsAloneButNotWithTheLongestNameNamesItsLine) {
  testing::TempDir dir;
  const auto path = dir.write("movies.csv", "Jeans\n" + std::string(60'000, 'x') + "\n");
  EXPECT_EQ(load_movies(path).size(), 2u);
  EXPECT_EQ(load_movies(path, "Stelios Giagkos").size(), 2u);
  try {
    load_movies(path, std::string(10'000, 'n'));
    FAIL() << "loaded";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ":2: "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("too_large"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ratingstream::produce
