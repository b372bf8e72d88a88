#include "produce/kafka_outlet.hpp"

#include <cstdio>

#include "rating/json_encode.hpp"

namespace ratingstream::produce {
namespace {

constexpr std::string_view kEchoPrefix = "Sent: ";

}  // namespace

KafkaOutlet::KafkaOutlet(KafkaSender& sender, const Clock& clock, const std::atomic<bool>& stop, Output output)
    : sender_(sender), stop_(stop), output_(output) {
  if (output_ == Output::progress) progress_.emplace(clock);
  line_.reserve(512);
}

bool KafkaOutlet::send(const rating::Rating& rating) {
  // Encode once into a buffer that already starts with the echo prefix: the message value is its
  // tail, the echoed line the whole of it.
  line_.assign(kEchoPrefix);
  rating::append_json(line_, rating);
  const std::string_view json = std::string_view(line_).substr(kEchoPrefix.size());
  if (!sender_.send(rating.name, json, stop_)) return false;
  if (output_ == Output::echo) {
    line_.push_back('\n');
    std::fwrite(line_.data(), 1, line_.size(), stdout);
  } else if (progress_) {
    progress_->update_now_and_then(sender_.counts());
  }
  return true;
}

void KafkaOutlet::idle(std::chrono::nanoseconds at_most) {
  // Show the round just sent before waiting for the next one, also when stdout is a pipe.
  if (output_ == Output::echo) std::fflush(stdout);
  sender_.serve(std::chrono::ceil<std::chrono::milliseconds>(at_most));
  if (progress_) progress_->update(sender_.counts());
}

}  // namespace ratingstream::produce
