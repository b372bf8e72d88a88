// Commits during a cooperative rebalance wait for the assignment that completes it, and only for
// that one: not for a deadline when the rejoin is quick, not past it when it never comes.

#include "kafka/commit_gate.hpp"

#include <gtest/gtest.h>

namespace ratingstream::kafka {
namespace {

using namespace std::chrono_literals;
const CommitGate::TimePoint t0{std::chrono::hours(1)};

TEST(CommitGate, IsOpenOutsideRebalances) {
  CommitGate gate;
  EXPECT_TRUE(gate.open(t0));
  gate.assigned();  // a first assignment, or one that revoked nothing here
  EXPECT_TRUE(gate.open(t0));
}

TEST(CommitGate, AfterARevocationWaitsForTheSecondAssignmentHoweverQuickItIs) {
  CommitGate gate;
  gate.revoked(t0);
  EXPECT_FALSE(gate.open(t0 + 1ms));
  gate.assigned();  // delivered with the revocation (the partitions added in the same round)
  EXPECT_FALSE(gate.open(t0 + 2ms));
  gate.assigned();  // the follow-up rebalance completed, 20 ms later
  EXPECT_TRUE(gate.open(t0 + 20ms));
}

TEST(CommitGate, ASlowFirstAssignmentDoesNotOpenItEarly) {
  // The pipeline may be writing a batch for seconds before it polls the first assignment.
  CommitGate gate;
  gate.revoked(t0);
  gate.assigned();
  EXPECT_FALSE(gate.open(t0 + 5s));
}

TEST(CommitGate, ANewRevocationRestartsTheWait) {
  CommitGate gate;
  gate.revoked(t0);
  gate.assigned();
  gate.revoked(t0 + 1s);
  gate.assigned();
  EXPECT_FALSE(gate.open(t0 + 2s));
  gate.assigned();
  EXPECT_TRUE(gate.open(t0 + 2s));
}

TEST(CommitGate, OpensAtTheDeadlineWhenTheRebalanceNeverCompletes) {
  CommitGate gate;
  gate.revoked(t0);
  EXPECT_FALSE(gate.open(t0 + CommitGate::kLongestWait - 1ms));
  EXPECT_TRUE(gate.open(t0 + CommitGate::kLongestWait));
}

}  // namespace
}  // namespace ratingstream::kafka
