#include "dashboard/dashboard.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include "dashboard/cassandra_ratings_source.hpp"
#include "dashboard/page_assets.hpp"
#include "dashboard/pipeline_history.hpp"
#include "dashboard/remote_pipeline.hpp"

namespace ratingstream::dashboard {
namespace {

Params params_of(const httplib::Request& request) {
  Params params;
  for (const auto& [key, value] : request.params) params.emplace(key, value);  // first value wins
  return params;
}

void send(httplib::Response& response, const HttpAnswer& answer) {
  response.status = answer.status;
  response.set_header("Cache-Control", "no-store");
  response.set_content(answer.body, answer.content_type);
}

// Errors cpp-httplib answers by itself (no route for the path or the method, a malformed
// request) come without a body: under /api/ they get the API's JSON error, elsewhere a line of
// text. Answers that have a body already (every handler's) are left alone.
httplib::Server::HandlerResponse bodiless_error(const httplib::Request& request, httplib::Response& response) {
  if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
  const bool api = request.path.rfind("/api/", 0) == 0;
  std::string message;
  if (response.status == 404) {
    message = api ? fmt::format(
                        "no such endpoint: {} {}; the API is GET /api/pipeline, /api/overview, /api/people, "
                        "/api/q1, /api/q2 (docs/dashboard.md)",
                        request.method, request.path)
                  : fmt::format("not found: {} {}; the dashboard is at /", request.method, request.path);
  } else {
    message = fmt::format("HTTP {}: the request could not be answered as sent", response.status);
  }
  if (api) {
    send(response, error_answer(response.status, message));
  } else {
    response.set_content(message + "\n", "text/plain; charset=utf-8");
  }
  return httplib::Server::HandlerResponse::Handled;
}

}  // namespace

Dashboard::Dashboard(store::SessionConfig session, store::TableRef table)
    : source_(std::make_unique<CassandraRatingsSource>(std::move(session), std::move(table))),
      data_(std::make_unique<DataHandlers>(*source_)) {}

Dashboard::~Dashboard() = default;

std::unique_ptr<Dashboard> Dashboard::for_processor(const observe::Metrics& metrics, store::SessionConfig session,
                                                    store::TableRef table) {
  std::unique_ptr<Dashboard> d(new Dashboard(std::move(session), std::move(table)));
  d->history_ = std::make_unique<PipelineHistory>();
  d->sampler_ = std::make_unique<PipelineSampler>(*d->history_, [&metrics] { return metrics.snapshot(); });
  return d;
}

std::unique_ptr<Dashboard> Dashboard::standalone(const std::string& processor_url, store::SessionConfig session,
                                                 store::TableRef table) {
  auto remote = std::make_unique<RemotePipeline>(processor_url);  // a bad URL fails before anything starts
  std::unique_ptr<Dashboard> d(new Dashboard(std::move(session), std::move(table)));
  d->remote_ = std::move(remote);
  return d;
}

std::vector<std::string> Dashboard::quick_paths() {
  std::vector<std::string> paths;
  for (const auto& asset : page_assets()) paths.emplace_back(asset.path);
  return paths;
}

void Dashboard::add_routes(httplib::Server& server) {
  server.set_error_handler(httplib::Server::HandlerWithResponse(bodiless_error));
  for (const auto& asset : page_assets()) {
    server.Get(std::string(asset.path), [&asset](const httplib::Request&, httplib::Response& response) {
      response.set_content(asset.bytes.data(), asset.bytes.size(), std::string(asset.content_type));
    });
  }
  server.Get("/api/pipeline", [this](const httplib::Request&, httplib::Response& response) {
    send(response, history_ ? json_answer(history_->json()) : remote_->fetch());
  });
  server.Get("/api/overview",
             [this](const httplib::Request&, httplib::Response& response) { send(response, data_->overview()); });
  server.Get("/api/people",
             [this](const httplib::Request&, httplib::Response& response) { send(response, data_->people()); });
  server.Get("/api/q1", [this](const httplib::Request& request, httplib::Response& response) {
    send(response, data_->average_duration(params_of(request)));
  });
  server.Get("/api/q2", [this](const httplib::Request& request, httplib::Response& response) {
    send(response, data_->movies(params_of(request)));
  });
}

}  // namespace ratingstream::dashboard
