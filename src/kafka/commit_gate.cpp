#include "kafka/commit_gate.hpp"

namespace ratingstream::kafka {

void CommitGate::revoked(TimePoint now) {
  assignments_awaited_ = 2;  // the one delivered with the revocation, then the rejoin's
  deadline_ = now + kLongestWait;
}

void CommitGate::assigned() {
  if (assignments_awaited_ > 0 && --assignments_awaited_ == 0) deadline_.reset();
}

bool CommitGate::open(TimePoint now) const { return assignments_awaited_ == 0 || (deadline_ && now >= *deadline_); }

}  // namespace ratingstream::kafka
