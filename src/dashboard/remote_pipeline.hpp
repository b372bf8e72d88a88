#pragma once
// The pipeline part of a standalone dashboard: the processor's own GET /api/pipeline, fetched
// over HTTP (the processor samples its metrics; the dashboard only relays them), with a short
// timeout so a stopped processor makes the page say so rather than hang.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "dashboard/answer_cache.hpp"
#include "dashboard/http_answer.hpp"

namespace httplib {
class Client;
}

namespace ratingstream::dashboard {

class RemotePipeline {
 public:
  // `processor_url`: http://host:port of a processor's --metrics-port. Throws InputError when
  // it is not such a URL.
  explicit RemotePipeline(const std::string& processor_url,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds(1500));
  ~RemotePipeline();

  // The processor's answer, or 502 {"error": "processor at ... : ..."} when it does not answer.
  HttpAnswer fetch();

 private:
  std::string url_;
  std::mutex mutex_;  // httplib::Client is not made for concurrent requests
  std::unique_ptr<httplib::Client> client_;
  AnswerCache cache_;
};

}  // namespace ratingstream::dashboard
