#pragma once
// What a dashboard handler answers, independent of the HTTP library: handlers are plain
// functions of their parameters, so unit tests call them without a server.

#include <map>
#include <string>
#include <string_view>

namespace ratingstream::dashboard {

struct HttpAnswer {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
};

// A request's query parameters (?name=...&from=...), decoded.
using Params = std::map<std::string, std::string, std::less<>>;

HttpAnswer json_answer(std::string body, int status = 200);
// {"error": "<message>"} with `status`: every failure of every endpoint has this shape.
HttpAnswer error_answer(int status, std::string_view message);

}  // namespace ratingstream::dashboard
