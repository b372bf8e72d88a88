#include "dashboard/http_answer.hpp"

#include <fmt/format.h>

#include <cmath>

#include "query/output.hpp"

namespace ratingstream::dashboard {

HttpAnswer json_answer(std::string body, int status) {
  HttpAnswer answer;
  answer.status = status;
  answer.body = std::move(body);
  return answer;
}

HttpAnswer error_answer(int status, std::string_view message) {
  return json_answer(fmt::format("{{\"error\":{}}}", json_quote(message)), status);
}

// The query module's JSON output already escapes text exactly (control characters, quotes,
// invalid UTF-8 as U+FFFD); the dashboard speaks the same JSON.
std::string json_quote(std::string_view text) { return query::json_string(text); }

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  return fmt::format("{}", value);
}

}  // namespace ratingstream::dashboard
