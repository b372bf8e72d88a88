#include "process/batch_writers.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace ratingstream::process {

std::size_t in_flight_per_writer(std::size_t total, std::size_t writers) {
  if (writers == 0) return total;
  return std::max<std::size_t>(1, (total + writers - 1) / writers);
}

WriteOutcome write_in_slices(std::span<const Row> rows, std::size_t slice_rows, const StopFlag& stop,
                             const WriteRows& write) {
  WriteOutcome outcome;
  outcome.written.assign(rows.size(), false);
  const std::size_t step = std::max<std::size_t>(1, slice_rows);
  for (std::size_t from = 0; from < rows.size(); from += step) {
    const auto slice = rows.subspan(from, std::min(step, rows.size() - from));
    const WriteOutcome part = write(slice, stop);
    for (std::size_t i = 0; i < part.written.size() && i < slice.size(); ++i)
      outcome.written[from + i] = part.written[i];
    outcome.written_count += part.written_count;
    outcome.retries += part.retries;
    if (!part.complete()) break;
  }
  return outcome;
}

void WriteJob::rethrow_failure() const {
  if (failure_) std::rethrow_exception(failure_);
}

BatchWriters::BatchWriters(std::size_t threads, WriteRows write) : write_(std::move(write)) {
  if (threads == 0) throw std::invalid_argument("BatchWriters needs at least one thread");
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

BatchWriters::~BatchWriters() {
  {
    const std::lock_guard lock(mutex_);
    stop_.store(true, std::memory_order_relaxed);
    closing_ = true;
    for (WriteJob* job : queue_) {
      job->finished_ = true;
      --busy_;
    }
    queue_.clear();
  }
  queued_.notify_all();
  finished_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void BatchWriters::submit(WriteJob& job) {
  {
    const std::lock_guard lock(mutex_);
    job.finished_ = false;
    job.outcome_ = WriteOutcome{std::vector<bool>(job.rows_.size(), false), 0, 0};
    job.failure_ = nullptr;
    ++busy_;
    queue_.push_back(&job);
  }
  queued_.notify_one();
}

bool BatchWriters::finished(WriteJob& job, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (timeout.count() > 0) finished_.wait_for(lock, timeout, [&job] { return job.finished_; });
  return job.finished_;
}

std::size_t BatchWriters::busy() const {
  const std::lock_guard lock(mutex_);
  return busy_;
}

void BatchWriters::wait_for_free_writer(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  finished_.wait_for(lock, timeout, [this] { return busy_ < threads_.size(); });
}

void BatchWriters::stop() { stop_.store(true, std::memory_order_relaxed); }

void BatchWriters::work() {
  for (;;) {
    WriteJob* job = nullptr;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing
      job = queue_.front();
      queue_.pop_front();
    }
    WriteOutcome outcome;
    std::exception_ptr failure;
    try {
      outcome = write_(job->rows_, stop_);
    } catch (...) {
      failure = std::current_exception();
    }
    {
      const std::lock_guard lock(mutex_);
      if (!failure) job->outcome_ = std::move(outcome);
      job->failure_ = failure;
      job->finished_ = true;
      --busy_;
    }
    finished_.notify_all();
  }
}

}  // namespace ratingstream::process
