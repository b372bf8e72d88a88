// How much of a rejected record a dead letter keeps when the dead-letter topic takes less than
// the source topic held: everything when it fits, else the start of the value, never more than
// the limit.

#include "kafka/dead_letter_sink.hpp"

#include <gtest/gtest.h>

namespace ratingstream::kafka {
namespace {

// librdkafka counts key, value and headers plus 36 bytes per record against message.max.bytes.
constexpr std::size_t kOverhead = 36;

TEST(KeptValueBytes, TheWholeValueWhenTheRecordFits) {
  EXPECT_EQ(kept_value_bytes(10, 1000, 200, 10 + 1000 + 200 + kOverhead), 1000u);
  EXPECT_EQ(kept_value_bytes(0, 0, 0, kOverhead), 0u);
}

TEST(KeptValueBytes, TheStartOfTheValueThatFitsWhenItDoesNot) {
  const std::size_t limit = 100'000;
  const std::size_t kept = kept_value_bytes(3, 1'000'000, 300, limit);
  EXPECT_EQ(kept, limit - 3 - 300 - kOverhead);
  EXPECT_LE(3 + kept + 300 + kOverhead, limit);
  EXPECT_EQ(kept_value_bytes(3, limit, 300, limit), kept);  // one byte too many is cut too
}

TEST(KeptValueBytes, NothingWhenKeyAndHeadersAloneFillTheLimit) {
  EXPECT_EQ(kept_value_bytes(99'000, 5000, 2000, 100'000), 0u);
  EXPECT_EQ(kept_value_bytes(100'000, 5000, 0, 100'000), 0u);
}

}  // namespace
}  // namespace ratingstream::kafka
