#pragma once
// Answers kept for a short time (about a second): however many pages poll, Cassandra sees at
// most one read per key and period. One computation at a time: concurrent requests for an
// expired key wait for the one read rather than start their own.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "common/clock.hpp"
#include "dashboard/http_answer.hpp"

namespace ratingstream::dashboard {

class AnswerCache {
 public:
  // `clock` must outlive the cache.
  AnswerCache(std::chrono::milliseconds ttl, std::size_t max_entries, const Clock& clock = real_clock())
      : clock_(clock), ttl_(ttl), max_entries_(max_entries) {}

  HttpAnswer get(const std::string& key, const std::function<HttpAnswer()>& compute);

 private:
  struct Entry {
    Clock::TimePoint expires;
    HttpAnswer answer;
  };
  const Clock& clock_;
  std::mutex mutex_;
  std::chrono::milliseconds ttl_;
  std::size_t max_entries_;
  std::map<std::string, Entry> entries_;
};

}  // namespace ratingstream::dashboard
