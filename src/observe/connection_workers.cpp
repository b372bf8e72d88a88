#include "observe/connection_workers.hpp"

namespace ratingstream::observe {

ConnectionWorkers::ConnectionWorkers(std::size_t threads, Serve serve) : serve_(std::move(serve)) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

ConnectionWorkers::~ConnectionWorkers() { stop(); }

void ConnectionWorkers::submit(HttpConnection connection) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;  // `connection` closes on the way out
    queue_.push_back(std::move(connection));
  }
  ready_.notify_one();
}

void ConnectionWorkers::stop() {
  std::deque<HttpConnection> dropped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  ready_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void ConnectionWorkers::work() {
  for (;;) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    HttpConnection connection = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    serve_(std::move(connection));
  }
}

}  // namespace ratingstream::observe
