// The schedule and the loop that keeps it, driven by a manual clock: no real sleeping.

#include "produce/schedule.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "produce/rating_generator.hpp"
#include "produce/rating_loop.hpp"

namespace ratingstream::produce {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

constexpr std::int64_t kEpochStartUs = 1'741'894'010'000'000;  // 2025-03-13T19:26:50Z

// Time moves only when the outlet idles.
ManualClock make_clock() { return ManualClock(Clock::WallTime{std::chrono::microseconds(kEpochStartUs)}); }

struct Sent {
  nanoseconds at;
  rating::Rating rating;
};

// Records what is sent and when; idling advances the manual clock. Can raise `stop` at a given time.
class RecordingOutlet final : public RatingOutlet {
 public:
  explicit RecordingOutlet(ManualClock& clock) : clock_(clock) {}
  bool send(const rating::Rating& r) override {
    sent.push_back({clock_.elapsed(), r});
    return accept_more;
  }
  void idle(nanoseconds at_most) override {
    EXPECT_GT(at_most, 0ns);
    EXPECT_LE(at_most, kMaxIdle);
    ++idles;
    clock_.advance(at_most);
    if (stop_at && clock_.elapsed() >= *stop_at) stop = true;
  }
  std::vector<Sent> sent;
  int idles = 0;
  bool accept_more = true;
  std::optional<nanoseconds> stop_at;
  std::atomic<bool> stop{false};

 private:
  ManualClock& clock_;
};

const std::vector<std::string> kPeople = {"Ann Lee", "Bo Diaz", "Stelios Giagkos"};
const std::vector<std::string> kMovies = {"Sankofa", "Jeans", "The Starling", "Je Suis Karl"};

struct LoopRun {
  ManualClock clock = make_clock();
  RecordingOutlet outlet{clock};
  RatingGenerator generator{kPeople, kMovies, 11};
  std::uint64_t run(const Schedule& schedule) {
    return run_rating_loop(schedule, generator, clock, outlet, outlet.stop);
  }
};

TEST(Schedule, RoundsAreDueEveryIntervalFromTheStart) {
  const auto s = Schedule::rounds(10s, 3, 0);
  EXPECT_FALSE(s.load_mode());
  EXPECT_EQ(s.due(0), 0s);
  EXPECT_EQ(s.due(2), 0s);
  EXPECT_EQ(s.due(3), 10s);
  EXPECT_EQ(s.due(5), 10s);
  EXPECT_EQ(s.due(3000), 10'000s);
}

TEST(Schedule, RateSpacesMessagesEvenly) {
  const auto s = Schedule::rate(4, 0);
  EXPECT_TRUE(s.load_mode());
  EXPECT_EQ(s.due(0), 0ns);
  EXPECT_EQ(s.due(1), 250ms);
  EXPECT_EQ(s.due(4), 1s);
  EXPECT_EQ(Schedule::rate(1'000'000, 0).due(1'000'000), 1s);
  EXPECT_EQ(Schedule::rate(0.5, 0).due(1), 2s);
}

TEST(Schedule, UnpacedRateIsAlwaysDue) { EXPECT_EQ(Schedule::rate(0, 0).due(123'456'789), 0ns); }

TEST(Schedule, CountZeroNeverEnds) {
  EXPECT_FALSE(Schedule::rounds(1s, 2, 0).done(1'000'000'000));
  EXPECT_FALSE(Schedule::rounds(1s, 2, 5).done(4));
  EXPECT_TRUE(Schedule::rounds(1s, 2, 5).done(5));
}

TEST(RatingLoop, SendsOneRatingPerPersonEachInterval) {
  LoopRun r;
  EXPECT_EQ(r.run(Schedule::rounds(10s, kPeople.size(), 9)), 9u);
  ASSERT_EQ(r.outlet.sent.size(), 9u);
  for (std::size_t i = 0; i < 9; ++i) {
    const auto& sent = r.outlet.sent[i];
    EXPECT_EQ(sent.at, 10s * static_cast<int>(i / 3)) << i;
    EXPECT_EQ(sent.rating.name, kPeople[i % 3]) << i;
    EXPECT_EQ(sent.rating.timestamp_us,
              kEpochStartUs + std::chrono::duration_cast<std::chrono::microseconds>(sent.at).count());
  }
  // The run ends with the last message: no wait for a round that will not come.
  EXPECT_EQ(r.clock.elapsed(), 20s);
  // Waiting happens in short slices so a stop request is seen quickly.
  EXPECT_EQ(r.outlet.idles, 2 * (10s / kMaxIdle));
}

TEST(RatingLoop, CountCanEndInTheMiddleOfARound) {
  LoopRun r;
  EXPECT_EQ(r.run(Schedule::rounds(10s, kPeople.size(), 4)), 4u);
  ASSERT_EQ(r.outlet.sent.size(), 4u);
  EXPECT_EQ(r.outlet.sent[3].rating.name, kPeople[0]);
  EXPECT_EQ(r.outlet.sent[3].at, 10s);
}

TEST(RatingLoop, ZeroIntervalNeverWaits) {
  LoopRun r;
  EXPECT_EQ(r.run(Schedule::rounds(0s, kPeople.size(), 300)), 300u);
  EXPECT_EQ(r.outlet.idles, 0);
  EXPECT_EQ(r.clock.elapsed(), 0s);
}

TEST(RatingLoop, RateModeKeepsThePace) {
  LoopRun r;
  EXPECT_EQ(r.run(Schedule::rate(20, 41)), 41u);
  for (std::size_t i = 0; i < r.outlet.sent.size(); ++i) EXPECT_EQ(r.outlet.sent[i].at, 50ms * static_cast<int>(i));
  EXPECT_EQ(r.clock.elapsed(), 2s);
}

TEST(RatingLoop, AStopDuringTheWaitEndsTheRunWithinOneSlice) {
  LoopRun r;
  r.outlet.stop_at = 25s;
  EXPECT_EQ(r.run(Schedule::rounds(10s, kPeople.size(), 0)), 9u);
  EXPECT_LE(r.clock.elapsed(), 25s + kMaxIdle);
}

TEST(RatingLoop, AStopBeforeTheStartSendsNothing) {
  LoopRun r;
  r.outlet.stop = true;
  EXPECT_EQ(r.run(Schedule::rate(0, 0)), 0u);
  EXPECT_TRUE(r.outlet.sent.empty());
}

TEST(RatingLoop, AnOutletThatGivesUpEndsTheRun) {
  LoopRun r;
  r.outlet.accept_more = false;
  EXPECT_EQ(r.run(Schedule::rate(0, 100)), 0u);
  EXPECT_EQ(r.outlet.sent.size(), 1u);
}

}  // namespace
}  // namespace ratingstream::produce
