#pragma once
// The producer's librdkafka events in our log. make_client_config already sends librdkafka's log
// and errors to spdlog at debug level, which suits the start-up check (its own error message says
// it better); while ratings flow, though, a broker that goes away is worth a warning.

#include <librdkafka/rdkafkacpp.h>

namespace ratingstream::produce {

// Replaces the event callback of `conf`: error events as warnings (fatal ones as errors),
// librdkafka's own log lines at debug. The callback lives for the whole program.
void log_kafka_errors_as_warnings(RdKafka::Conf& conf);

}  // namespace ratingstream::produce
