// The C ABI of cql-bridge without a server: NULL arguments and misuse come back as errors, never
// as a crash; the error accessors accept NULL.

#include <cql_bridge.h>
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

namespace {

struct ErrorFree {
  void operator()(cqlb_error* e) const { cqlb_error_free(e); }
};
using ErrorPtr = std::unique_ptr<cqlb_error, ErrorFree>;

std::string message(const ErrorPtr& e) { return cqlb_error_message(e.get()); }

TEST(StoreBridge, ErrorAccessorsAcceptNull) {
  EXPECT_EQ(cqlb_error_kind(nullptr), 0);
  EXPECT_EQ(cqlb_error_code(nullptr), 0);
  EXPECT_STREQ(cqlb_error_message(nullptr), "");
  cqlb_error_free(nullptr);
  cqlb_session_free(nullptr);
  cqlb_prepared_free(nullptr);
  cqlb_pager_free(nullptr);
  EXPECT_EQ(cqlb_prepared_bind_count(nullptr), 0u);
  EXPECT_EQ(cqlb_pager_column_count(nullptr), 0u);
  EXPECT_STREQ(cqlb_pager_column_name(nullptr, 0), "");
  EXPECT_GT(std::strlen(cqlb_version()), 0u);
}

TEST(StoreBridge, NullSessionIsAnInternalErrorNamingTheArgument) {
  const char cql[] = "SELECT 1";
  ErrorPtr e(cqlb_session_execute(nullptr, cql, sizeof cql - 1, nullptr, 0));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(cqlb_error_kind(e.get()), CQLB_ERROR_INTERNAL);
  EXPECT_NE(message(e).find("`session` is NULL"), std::string::npos) << message(e);

  ErrorPtr agreement(cqlb_session_await_schema_agreement(nullptr));
  EXPECT_EQ(cqlb_error_kind(agreement.get()), CQLB_ERROR_INTERNAL);

  cqlb_prepared* prepared = reinterpret_cast<cqlb_prepared*>(0x1);  // must be reset to NULL
  ErrorPtr prepare(cqlb_session_prepare(nullptr, cql, sizeof cql - 1, 1, &prepared));
  EXPECT_EQ(cqlb_error_kind(prepare.get()), CQLB_ERROR_INTERNAL);
  EXPECT_EQ(prepared, nullptr);

  cqlb_pager* pager = reinterpret_cast<cqlb_pager*>(0x1);
  ErrorPtr query(cqlb_session_query(nullptr, cql, sizeof cql - 1, nullptr, 0, 100, &pager));
  EXPECT_EQ(cqlb_error_kind(query.get()), CQLB_ERROR_INTERNAL);
  EXPECT_EQ(pager, nullptr);
}

TEST(StoreBridge, NullOutParametersAreErrors) {
  ErrorPtr e(cqlb_session_connect(nullptr, nullptr));
  EXPECT_EQ(cqlb_error_kind(e.get()), CQLB_ERROR_INTERNAL);
  EXPECT_NE(message(e).find("`out` is NULL"), std::string::npos) << message(e);

  cqlb_session* session = nullptr;
  ErrorPtr no_options(cqlb_session_connect(nullptr, &session));
  EXPECT_NE(message(no_options).find("`options` is NULL"), std::string::npos) << message(no_options);
  EXPECT_EQ(session, nullptr);

  ErrorPtr no_row(cqlb_pager_next(nullptr, nullptr));
  EXPECT_EQ(cqlb_error_kind(no_row.get()), CQLB_ERROR_INTERNAL);
  const cqlb_value* row = nullptr;
  ErrorPtr no_pager(cqlb_pager_next(nullptr, &row));
  EXPECT_NE(message(no_pager).find("`pager` is NULL"), std::string::npos) << message(no_pager);
}

TEST(StoreBridge, ExecuteManyChecksItsArguments) {
  cqlb_error* row_errors[2] = {nullptr, nullptr};
  ErrorPtr no_errors_array(
      cqlb_session_execute_many(nullptr, nullptr, nullptr, 0, 2, nullptr, 0, 1, nullptr, 0, 0, nullptr));
  EXPECT_NE(message(no_errors_array).find("`row_errors` is NULL"), std::string::npos) << message(no_errors_array);
  ErrorPtr no_session(
      cqlb_session_execute_many(nullptr, nullptr, nullptr, 0, 2, nullptr, 0, 1, nullptr, 0, 0, row_errors));
  EXPECT_NE(message(no_session).find("`session` is NULL"), std::string::npos) << message(no_session);
  EXPECT_EQ(row_errors[0], nullptr);
  EXPECT_EQ(row_errors[1], nullptr);
}

TEST(StoreBridge, NodesAndTheLogCallbackTakeNull) {
  cqlb_nodes_free(nullptr);
  cqlb_nodes* nodes = reinterpret_cast<cqlb_nodes*>(0x1);  // must be reset to NULL
  const cqlb_node_info* infos = reinterpret_cast<const cqlb_node_info*>(0x1);
  std::size_t count = 7;
  ErrorPtr e(cqlb_session_nodes(nullptr, &nodes, &infos, &count));
  EXPECT_EQ(cqlb_error_kind(e.get()), CQLB_ERROR_INTERNAL);
  EXPECT_NE(message(e).find("`session` is NULL"), std::string::npos) << message(e);
  EXPECT_EQ(nodes, nullptr);
  EXPECT_EQ(infos, nullptr);
  EXPECT_EQ(count, 0u);
  ErrorPtr no_out(cqlb_session_nodes(nullptr, nullptr, &infos, &count));
  EXPECT_EQ(cqlb_error_kind(no_out.get()), CQLB_ERROR_INTERNAL);
  cqlb_set_log_callback(CQLB_LOG_WARN, nullptr, nullptr);  // NULL: off
  EXPECT_EQ(cqlb_error_timeout(nullptr, nullptr, nullptr, nullptr, nullptr), 0);
}

TEST(StoreBridge, ConnectOptionsAreValidated) {
  cqlb_connect_options options{};
  cqlb_session* session = nullptr;
  ErrorPtr none(cqlb_session_connect(&options, &session));
  EXPECT_EQ(cqlb_error_kind(none.get()), CQLB_ERROR_INVALID_QUERY);
  EXPECT_NE(message(none).find("no contact points"), std::string::npos) << message(none);

  const char* points[] = {nullptr};
  options.contact_points = points;
  options.contact_point_count = 1;
  ErrorPtr null_point(cqlb_session_connect(&options, &session));
  EXPECT_EQ(cqlb_error_kind(null_point.get()), CQLB_ERROR_INVALID_QUERY);

  const char* bad_utf8[] = {"\xff:9042"};
  options.contact_points = bad_utf8;
  ErrorPtr bad(cqlb_session_connect(&options, &session));
  EXPECT_NE(message(bad).find("UTF-8"), std::string::npos) << message(bad);
  EXPECT_EQ(session, nullptr);
}

TEST(StoreBridge, ClosedPortFailsFastWithAConnectionError) {
  const char* points[] = {"127.0.0.1:1"};
  cqlb_connect_options options{};
  options.contact_points = points;
  options.contact_point_count = 1;
  options.connect_timeout_ms = 2000;
  options.request_timeout_ms = 2000;
  cqlb_session* session = nullptr;
  ErrorPtr e(cqlb_session_connect(&options, &session));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(session, nullptr);
  EXPECT_EQ(cqlb_error_kind(e.get()), CQLB_ERROR_CONNECTION) << message(e);
  EXPECT_EQ(cqlb_error_code(e.get()), 0);
  EXPECT_NE(message(e).find("refused"), std::string::npos) << message(e);
}

}  // namespace
