#pragma once
// The dashboard: its page, its pipeline endpoint and its data endpoints, on a cpp-httplib
// server whose threads run every handler (never the processor's pipeline thread).
//   - in the processor (--metrics-port): the pipeline part samples the local Metrics;
//   - standalone (`ratingstream dashboard`): it relays a processor's /api/pipeline.
// The data part always reads Cassandra itself, through its own session.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dashboard/data_handlers.hpp"
#include "dashboard/http_answer.hpp"
#include "observe/metrics.hpp"
#include "store/schema.hpp"
#include "store/session.hpp"

namespace httplib {
class Server;
}

namespace ratingstream::dashboard {

class PipelineHistory;
class PipelineSampler;
class RemotePipeline;
class CassandraRatingsSource;

class Dashboard {
 public:
  // Inside the processor: samples `metrics` (which must outlive this) every second.
  static std::unique_ptr<Dashboard> for_processor(const observe::Metrics& metrics, store::SessionConfig session,
                                                  store::TableRef table);
  // Standalone: the pipeline from the processor at `processor_url`.
  static std::unique_ptr<Dashboard> standalone(const std::string& processor_url, store::SessionConfig session,
                                               store::TableRef table);
  ~Dashboard();

  // GET /, the assets, /api/pipeline, /api/overview, /api/people, /api/q1, /api/q2; a JSON
  // error for any other /api/ path.
  void add_routes(httplib::Server& server);

  // The paths answered from memory, never waiting on Cassandra or a processor (the page and
  // its assets): observe::HttpLimits::priority_paths of a standalone dashboard.
  static std::vector<std::string> quick_paths();

 private:
  Dashboard(store::SessionConfig session, store::TableRef table);

  std::unique_ptr<PipelineHistory> history_;
  std::unique_ptr<PipelineSampler> sampler_;
  std::unique_ptr<RemotePipeline> remote_;
  std::unique_ptr<CassandraRatingsSource> source_;
  std::unique_ptr<DataHandlers> data_;
};

}  // namespace ratingstream::dashboard
