// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The backend bundle: which URI gives which backend (and what every other scheme MLflow knows is
// told), the registry URI resolved lazily, and the seam defaults of a backend without a domain.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "client/backend_factory.hpp"
#include "client/client_impl.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "rest/rest_backend.hpp"
#include "store/tracking_store.hpp"
#include "support/builders.hpp"
#include "support/fake_transport.hpp"
#include "support/no_wait_hooks.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow::internal {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// What `call` throws (an MlflowException), or "" when it succeeds.
template <typename Call>
std::string message_of(Call call) {
  try {
    call();
  } catch (const MlflowException& e) {
    return e.what();
  }
  return "";
}

// The message MlflowClient(uri) refuses `uri` with (InvalidArgument), or "" when accepted.
std::string refusal(const std::string& uri) {
  try {
    MlflowClient client(uri);
    return "";
  } catch (const InvalidArgument& e) {
    return e.what();
  }
}

TEST(BackendUris, DatabricksIsNamedAsSuchNotAsAFileStore) {
  for (const std::string uri : {"databricks", "databricks://my-profile"}) {
    SCOPED_TRACE(uri);
    EXPECT_THAT(refusal(uri), AllOf(HasSubstr("'" + uri + "' names Databricks-hosted MLflow"),
                                    HasSubstr("not support"), HasSubstr("http://"),
                                    HasSubstr("sqlite:///"), Not(HasSubstr("file store"))));
  }
}

TEST(BackendUris, UnityCatalogIsRefusedAsPythonRefusesItForTracking) {
  for (const std::string uri :
       {"databricks-uc", "databricks-uc://profile", "uc", "uc:http://localhost:8080"}) {
    SCOPED_TRACE(uri);
    EXPECT_THAT(refusal(uri), AllOf(HasSubstr("Unity Catalog"), HasSubstr("tracking URI too"),
                                    Not(HasSubstr("file store"))));
  }
}

TEST(BackendUris, DatabaseServersPointAtMlflowServerWithoutShowingThePassword) {
  for (const std::string uri : {"postgresql://bob:s3cret@db:5432/mlflow",
                                "mysql+pymysql://bob:s3cret@db/mlflow", "mssql+pyodbc://db/ml"}) {
    SCOPED_TRACE(uri);
    const std::string message = refusal(uri);
    EXPECT_THAT(message,
                AllOf(HasSubstr("database"), HasSubstr("SQLite files only"),
                      HasSubstr("mlflow server --backend-store-uri"), Not(HasSubstr("s3cret"))));
  }
}

TEST(BackendUris, PathsAndFileUrisAreFileStores) {
  for (const std::string uri : {"file:///tmp/mlruns", "/tmp/mlruns", "mlruns", "C:\\mlruns"}) {
    SCOPED_TRACE(uri);
    EXPECT_THAT(refusal(uri),
                AllOf(HasSubstr("names a file store"), HasSubstr("mlflow migrate-filestore")));
  }
}

TEST(BackendUris, OtherSchemesAreUnsupportedWithTheSupportedOnesListed) {
  EXPECT_THAT(refusal("s3://bucket/path"), AllOf(HasSubstr("Unsupported Tracking URI scheme 's3'"),
                                                 HasSubstr("http://"), HasSubstr("sqlite:///")));
}

TEST(BackendUris, SchemesAreCaseInsensitiveAsInPython) {
  // urlparse lower-cases the scheme; nothing is contacted at construction.
  EXPECT_EQ(refusal("HTTP://127.0.0.1:9"), "");
  EXPECT_EQ(refusal("sqlite:///:memory:"), "");
}

TEST(BackendRegistry, AnUnopenableRegistryUriFailsOnlyRegistryCalls) {
  ClientOptions options;
  options.tracking_uri = "sqlite:///:memory:";
  options.registry_uri = "databricks-uc";
  MlflowClient client(options);
  EXPECT_FALSE(client.create_experiment("still-tracking").empty());
  try {
    client.get_registered_model("m");
    FAIL() << "registry call on an unsupported registry URI succeeded";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(),
                AllOf(HasSubstr("get_registered_model"), HasSubstr("ClientOptions::registry_uri"),
                      HasSubstr("Registry URI 'databricks-uc'"),
                      HasSubstr("Unity Catalog model registry")));
  }
}

TEST(BackendRegistry, EnvironmentRegistryUriOpensItsOwnDatabase) {
  const std::string dir = testing::make_temp_dir("backend-registry");
  const std::string registry = "sqlite:///" + dir + "/registry.db";
  {
    testing::ScopedEnv env({{"MLFLOW_REGISTRY_URI", registry}});
    MlflowClient client("sqlite:///" + dir + "/tracking.db");
    client.create_registered_model("elsewhere");
  }
  EXPECT_EQ(MlflowClient(registry).get_registered_model("elsewhere").name, "elsewhere");
  EXPECT_THROW(MlflowClient("sqlite:///" + dir + "/tracking.db").get_registered_model("elsewhere"),
               NotFound);
}

// A tracking store that serves one call.
class OnlyGetRun : public TrackingStore {
 public:
  Run get_run(const std::string& run_id) override {
    Run run;
    run.info.run_id = run_id;
    return run;
  }
};

TEST(BackendSeamDefaults, ACustomStoreServesWhatItOverridesAndNamesWhatItDoesNot) {
  MlflowClient client = make_client(std::make_shared<OnlyGetRun>());
  EXPECT_EQ(client.get_run("r1").info.run_id, "r1");
  EXPECT_THAT([&] { client.create_experiment("x"); },
              testing::ThrowsMlflow(
                  ErrorCode::kNotImplemented,
                  HasSubstr("create_experiment: not implemented by this tracking store")));
  EXPECT_THAT(message_of([&] { client.get_logged_model("m-1"); }),
              HasSubstr("does not support logged models"));
  EXPECT_THAT(message_of([&] { client.list_workspaces(); }), HasSubstr("no workspace support"));
  EXPECT_THAT(message_of([&] { client.get_registered_model("m"); }),
              HasSubstr("has no model registry"));
  EXPECT_THAT(
      [&] { client.get_trace("tr-1"); },
      testing::ThrowsMlflow(ErrorCode::kNotImplemented,
                            HasSubstr("get_trace_info: this MlflowClient keeps no traces")));
}

SpanData a_root_span() {
  return testing::span_data("tr-0123456789abcdef0123456789abcdef", "0123456789abcdef", "root", 1,
                            2);
}

// The REST backend's trace stores: spans go over OTLP (protobuf, with the experiment header)
// through the one RestClient entry point; the exporter's store does not retry on its own.
TEST(BackendTraces, RestBackendSendsOtlpProtobufAndItsExportStoreDoesNotRetry) {
  auto transport = std::make_shared<testing::FakeTransport>();
  ResolvedConfig config;
  config.tracking_uri = "http://mlflow.test";
  config.retry.max_retries = 3;
  Backend backend = make_rest_backend(config, transport, testing::no_wait_retry_hooks());
  const SpanData span = a_root_span();
  transport->reply(200, "", "application/x-protobuf");
  backend.traces->log_spans("7", {span});
  ASSERT_EQ(transport->requests.size(), 1u);
  const auto& sent = transport->requests[0];
  EXPECT_EQ(sent.url, "http://mlflow.test/v1/traces");
  EXPECT_EQ(testing::request_header(sent, "Content-Type"), "application/x-protobuf");
  EXPECT_EQ(testing::request_header(sent, "x-mlflow-experiment-id"), "7");
  EXPECT_NE(sent.body.find("root"), std::string::npos);

  transport->requests.clear();
  transport->reply(503, "{}");
  EXPECT_THROW(backend.trace_export->log_spans("7", {span}), MlflowException);
  EXPECT_EQ(transport->requests.size(), 1u);  // the exporter holds and re-sends itself
  transport->requests.clear();
  for (int i = 0; i < 4; ++i) transport->reply(503, "{}");
  EXPECT_THROW(backend.traces->log_spans("7", {span}), MlflowException);
  EXPECT_EQ(transport->requests.size(), 4u);  // the client's own calls retry as configured
}

// A 404 is "this server takes no OTLP spans" (the exporter then uploads traces.json) only
// when it is not MLflow's own answer: an unknown experiment stays RESOURCE_DOES_NOT_EXIST.
TEST(BackendTraces, OtlpNotFoundIsNotImplementedOnlyWithoutAnMlflowErrorCode) {
  auto transport = std::make_shared<testing::FakeTransport>();
  ResolvedConfig config;
  config.tracking_uri = "http://mlflow.test";
  Backend backend = make_rest_backend(config, transport, testing::no_wait_retry_hooks());
  const SpanData span = a_root_span();
  transport->reply(404, "<!doctype html><title>404 Not Found</title><h1>Not Found</h1>",
                   "text/html");
  EXPECT_THAT(
      [&] { backend.traces->log_spans("7", {span}); },
      testing::ThrowsMlflow(ErrorCode::kNotImplemented, HasSubstr("does not accept OTLP spans")));
  transport->reply(404, R"({"error_code": "RESOURCE_DOES_NOT_EXIST",
                            "message": "Could not find experiment with ID 7"})");
  EXPECT_THAT([&] { backend.traces->log_spans("7", {span}); },
              testing::ThrowsMlflow(ErrorCode::kResourceDoesNotExist,
                                    HasSubstr("Could not find experiment")));
}

TEST(BackendSeamDefaults, ABackendNeedsATrackingStore) {
  EXPECT_THROW(with_seam_defaults(Backend{}), InvalidArgument);
}

}  // namespace
}  // namespace mlflow::internal
