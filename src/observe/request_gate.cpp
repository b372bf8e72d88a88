#include "observe/request_gate.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace ratingstream::observe {
namespace {

std::string plain_answer(int status, std::string_view reason, std::string_view text) {
  return fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
      status, reason, text.size(), text);
}

}  // namespace

RequestGate::RequestGate(const HttpLimits& limits, Dispatch dispatch)
    : limits_(limits), dispatch_(std::move(dispatch)) {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd for the HTTP endpoint");
  thread_ = std::thread([this] { run(); });
}

RequestGate::~RequestGate() {
  stop();
  ::close(wake_fd_);
}

void RequestGate::admit(HttpConnection connection) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;  // closes on the way out
    admitted_.push_back(std::move(connection));
  }
  const std::uint64_t one = 1;
  (void)::write(wake_fd_, &one, sizeof one);
}

void RequestGate::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    admitted_.clear();
  }
  const std::uint64_t one = 1;
  (void)::write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
}

void RequestGate::take_admitted(std::vector<Waiting>& waiting) {
  std::vector<HttpConnection> arrived;
  {
    std::lock_guard lock(mutex_);
    arrived.swap(admitted_);
  }
  const auto deadline = SteadyClock::now() + limits_.request_timeout;
  for (auto& c : arrived) {
    // A kept-alive connection may bring its next request along (pipelining).
    if (has_complete_head(c.pending)) {
      dispatch_(std::move(c));
    } else {
      waiting.push_back({std::move(c), deadline});
    }
  }
  // Full: the longest-waiting go first. A real client sends its request at once, so the ones
  // that waited longest are the likeliest to be idle or hostile.
  if (waiting.size() > limits_.max_waiting) {
    std::stable_sort(waiting.begin(), waiting.end(),
                     [](const Waiting& a, const Waiting& b) { return a.deadline < b.deadline; });
    waiting.erase(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(waiting.size() - limits_.max_waiting));
  }
}

bool RequestGate::read_some(Waiting& w) {
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::recv(w.connection.fd(), chunk, sizeof chunk, MSG_DONTWAIT);
    if (n == 0) return false;  // the client went away
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    w.connection.pending.append(chunk, static_cast<std::size_t>(n));
    if (has_complete_head(w.connection.pending)) {
      dispatch_(std::move(w.connection));
      return false;
    }
    if (w.connection.pending.size() > limits_.max_head_bytes) {
      w.connection.send_and_close(
          plain_answer(431, "Request Header Fields Too Large",
                       fmt::format("the request line and headers are longer than {} bytes\n", limits_.max_head_bytes)));
      return false;
    }
  }
}

void RequestGate::run() {
  std::vector<Waiting> waiting;
  std::vector<pollfd> polled;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    polled.assign(1, pollfd{wake_fd_, POLLIN, 0});
    for (const auto& w : waiting) polled.push_back({w.connection.fd(), POLLIN, 0});
    int timeout_ms = -1;
    if (!waiting.empty()) {
      const auto first = std::min_element(waiting.begin(), waiting.end(), [](const Waiting& a, const Waiting& b) {
                           return a.deadline < b.deadline;
                         })->deadline;
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(first - SteadyClock::now()).count();
      timeout_ms = static_cast<int>(std::clamp<long long>(left, 0, 1000));
    }
    if (::poll(polled.data(), polled.size(), timeout_ms) < 0 && errno != EINTR) break;

    std::vector<Waiting> still;
    still.reserve(waiting.size());
    const auto now = SteadyClock::now();
    for (std::size_t i = 0; i < waiting.size(); ++i) {
      auto& w = waiting[i];
      if (polled[i + 1].revents != 0 && !read_some(w)) continue;
      if (now >= w.deadline) {
        // An idle kept-alive connection just closes; one that started a request is told why.
        if (w.connection.pending.empty()) continue;
        w.connection.send_and_close(plain_answer(
            408, "Request Timeout",
            fmt::format("the request did not arrive whole within {} ms\n", limits_.request_timeout.count())));
        continue;
      }
      still.push_back(std::move(w));
    }
    waiting.swap(still);
    if (polled[0].revents & POLLIN) {
      std::uint64_t count = 0;
      (void)::read(wake_fd_, &count, sizeof count);
      take_admitted(waiting);
    }
  }
  waiting.clear();  // closes them
}

}  // namespace ratingstream::observe
