#include "dashboard/remote_pipeline.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include "common/errors.hpp"
#include "common/setting.hpp"

namespace ratingstream::dashboard {

RemotePipeline::RemotePipeline(const std::string& processor_url, std::chrono::milliseconds timeout)
    : url_(processor_url), cache_(std::chrono::milliseconds(900), 1) {
  while (!url_.empty() && url_.back() == '/') url_.pop_back();
  if (url_.rfind("http://", 0) != 0 || url_.size() <= 7 || url_.find('/', 7) != std::string::npos) {
    throw InputError(fmt::format("{} \"{}\": give http://host:port of a processor's {}, e.g. http://127.0.0.1:9108",
                                 Setting::processor, processor_url, Setting::metrics_port));
  }
  client_ = std::make_unique<httplib::Client>(url_);
  client_->set_connection_timeout(timeout);
  client_->set_read_timeout(timeout);
  client_->set_write_timeout(timeout);
}

RemotePipeline::~RemotePipeline() = default;

HttpAnswer RemotePipeline::fetch() {
  return cache_.get("pipeline", [this] {
    std::lock_guard lock(mutex_);
    const auto result = client_->Get("/api/pipeline");
    if (!result) {
      return error_answer(502, fmt::format("processor at {} does not answer ({}); is `ratingstream process {}` "
                                           "running there?",
                                           url_, httplib::to_string(result.error()), Setting::metrics_port));
    }
    if (result->status != 200) {
      return error_answer(502, fmt::format("processor at {} answered HTTP {} to /api/pipeline", url_, result->status));
    }
    return json_answer(result->body);
  });
}

}  // namespace ratingstream::dashboard
