#include "dashboard/dashboard.hpp"

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

void Dashboard::add_routes(httplib::Server& server) {
  for (const auto& asset : page_assets()) {
    server.Get(std::string(asset.path), [&asset](const httplib::Request&, httplib::Response& response) {
      response.set_content(asset.bytes.data(), asset.bytes.size(), std::string(asset.content_type));
    });
  }
  server.Get("/api/pipeline", [this](const httplib::Request&, httplib::Response& response) {
    send(response, history_ ? json_answer(history_->json()) : remote_->fetch());
  });
  server.Get("/api/overview", [this](const httplib::Request&, httplib::Response& response) {
    send(response, data_->overview());
  });
  server.Get("/api/people", [this](const httplib::Request&, httplib::Response& response) {
    send(response, data_->people());
  });
  server.Get("/api/q1", [this](const httplib::Request& request, httplib::Response& response) {
    send(response, data_->average_duration(params_of(request)));
  });
  server.Get("/api/q2", [this](const httplib::Request& request, httplib::Response& response) {
    send(response, data_->movies(params_of(request)));
  });
}

}  // namespace ratingstream::dashboard
