#include "dashboard/http_answer.hpp"

#include "common/json.hpp"

namespace ratingstream::dashboard {

HttpAnswer json_answer(std::string body, int status) {
  HttpAnswer answer;
  answer.status = status;
  answer.body = std::move(body);
  return answer;
}

HttpAnswer error_answer(int status, std::string_view message) {
  return json_answer(json_text({{"error", std::string(message)}}), status);
}

}  // namespace ratingstream::dashboard
