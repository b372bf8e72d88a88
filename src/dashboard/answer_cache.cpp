#include "dashboard/answer_cache.hpp"

namespace ratingstream::dashboard {

HttpAnswer AnswerCache::get(const std::string& key, const std::function<HttpAnswer()>& compute) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  if (auto it = entries_.find(key); it != entries_.end() && it->second.expires > now) return it->second.answer;
  // Bounded: expired entries go first; if all are fresh (many distinct questions at once), all go.
  std::erase_if(entries_, [now](const auto& entry) { return entry.second.expires <= now; });
  if (entries_.size() >= max_entries_) entries_.clear();
  auto answer = compute();
  entries_[key] = Entry{clock_.now() + ttl_, answer};
  return answer;
}

}  // namespace ratingstream::dashboard
