// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Every error class the real MLflow 3.18 server (or the network) produces, caught by type, with
// error_code(), server_error_code() and http_status().

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/loopback.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::server_uri;
using testing::unique_name;

constexpr const char* kUnknownRunId = "0123456789abcdef0123456789abcdef";

MlflowClient server_client() { return MlflowClient(server_uri()); }

// A client that gives up at the first failure, so the error surfaces as the server (or the
// network) gave it.
MlflowClient no_retry_client(const std::string& uri) {
  ClientOptions options;
  options.tracking_uri = uri;
  options.max_retries = 0;
  return MlflowClient(options);
}

// Runs `call`, expects exactly exception type E, and returns a copy of it for inspection.
template <typename E, typename F>
E expect_throw(F&& call) {
  try {
    call();
  } catch (const E& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << typeid(e).name() << ": " << e.what();
    throw;
  }
  ADD_FAILURE() << "no exception";
  throw std::runtime_error("no exception");
}

TEST(TrackingErrors, UnknownRunIsNotFound) {
  MlflowClient client = server_client();
  const auto e = expect_throw<mlflow::NotFound>([&] { client.get_run(kUnknownRunId); });
  EXPECT_EQ(e.error_code(), ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(e.server_error_code(), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(e.http_status(), 404);
  EXPECT_THAT(e.what(), HasSubstr(kUnknownRunId));
  EXPECT_TRUE(mlflow::is_not_found(e));
  EXPECT_FALSE(mlflow::is_invalid_argument(e));

  // The same for writes and other run-scoped reads.
  EXPECT_THROW(client.log_metric(kUnknownRunId, "m", 1.0), mlflow::NotFound);
  EXPECT_THROW(client.log_param(kUnknownRunId, "p", "v"), mlflow::NotFound);
  EXPECT_THROW(client.set_tag(kUnknownRunId, "t", "v"), mlflow::NotFound);
  EXPECT_THROW(client.delete_run(kUnknownRunId), mlflow::NotFound);
  EXPECT_THROW(client.update_run(kUnknownRunId,
                                 [] {
                                   mlflow::UpdateRunOptions o;
                                   o.name = "x";
                                   return o;
                                 }()),
               mlflow::NotFound);
  EXPECT_THROW(client.get_parent_run(kUnknownRunId), mlflow::NotFound);
}

TEST(TrackingErrors, UnknownExperimentIsNotFound) {
  MlflowClient client = server_client();
  const auto e = expect_throw<mlflow::NotFound>([&] { client.get_experiment("987654321"); });
  EXPECT_EQ(e.error_code(), ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(e.server_error_code(), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(e.http_status(), 404);
  EXPECT_THAT(e.what(), HasSubstr("987654321"));
  EXPECT_THROW(client.create_run("987654321"), mlflow::NotFound);
  EXPECT_THROW(client.delete_experiment("987654321"), mlflow::NotFound);
}

TEST(TrackingErrors, DuplicateExperimentNameIsAlreadyExists) {
  MlflowClient client = server_client();
  const std::string name = unique_name("dup");
  const std::string id = client.create_experiment(name);
  const auto e = expect_throw<mlflow::AlreadyExists>([&] { client.create_experiment(name); });
  EXPECT_EQ(e.error_code(), ErrorCode::kResourceAlreadyExists);
  EXPECT_EQ(e.server_error_code(), "RESOURCE_ALREADY_EXISTS");
  EXPECT_EQ(e.http_status(), 400);  // MLflow uses 400, not 409
  EXPECT_THAT(e.what(), HasSubstr(name));
  EXPECT_TRUE(mlflow::is_already_exists(e));

  // A deleted experiment keeps its name taken.
  client.delete_experiment(id);
  EXPECT_THROW(client.create_experiment(name), mlflow::AlreadyExists);
}

TEST(TrackingErrors, ParamChangeIsInvalidArgument) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(unique_name("err-param"));
  const std::string run = client.create_run(exp).info.run_id;
  client.log_param(run, "p", "1");
  const auto e = expect_throw<mlflow::InvalidArgument>([&] { client.log_param(run, "p", "2"); });
  EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(e.server_error_code(), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(e.http_status(), 400);
  // Through log_batch as well.
  const auto b = expect_throw<mlflow::InvalidArgument>([&] {
    client.log_batch(run, {}, {mlflow::Param{"p", "3"}});
  });
  EXPECT_EQ(b.server_error_code(), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(b.http_status(), 400);
}

TEST(TrackingErrors, BadFilterIsInvalidArgument) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(unique_name("err-filter"));
  for (const std::string filter :
       {"metrics.acc >< 1", "params.x = 'a' OR params.y = 'b'", "nonsense.key = 1",
        "attributes.run_id IN 'abc'", "metrics.acc > 'text'"}) {
    mlflow::SearchRunsOptions o;
    o.filter_string = filter;
    const auto e = expect_throw<mlflow::InvalidArgument>([&] { client.search_runs({exp}, o); });
    EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue) << filter;
    // Whether the client checks the grammar first or the server answers, the code is MLflow's.
    if (e.http_status() != 0) {
      EXPECT_EQ(e.http_status(), 400) << filter;
      EXPECT_EQ(e.server_error_code(), "INVALID_PARAMETER_VALUE") << filter;
    }
  }
  mlflow::SearchRunsOptions bad_order;
  bad_order.order_by = {"metrics.acc SIDEWAYS"};
  EXPECT_THROW(client.search_runs({exp}, bad_order), mlflow::InvalidArgument);

  mlflow::SearchExperimentsOptions bad_exp;
  bad_exp.filter_string = "name = 'x' OR name = 'y'";  // OR is not part of the grammar
  EXPECT_THROW(client.search_experiments(bad_exp), mlflow::InvalidArgument);
  bad_exp.filter_string = "foo.name = 'x'";  // unknown entity
  EXPECT_THROW(client.search_experiments(bad_exp), mlflow::InvalidArgument);

  mlflow::SearchRunsOptions bad_token;
  bad_token.page_token = "not-a-token";
  const auto t =
      expect_throw<mlflow::InvalidArgument>([&] { client.search_runs({exp}, bad_token); });
  EXPECT_EQ(t.error_code(), ErrorCode::kInvalidParameterValue);
}

TEST(TrackingErrors, MaxResultsOutOfRangeIsInvalidArgument) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(unique_name("err-max"));
  for (int max : {0, 50001, -1}) {
    mlflow::SearchRunsOptions o;
    o.max_results = max;
    const auto e = expect_throw<mlflow::InvalidArgument>([&] { client.search_runs({exp}, o); });
    EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue) << max;
    EXPECT_THAT(e.what(), HasSubstr("max_results")) << max;
    if (e.http_status() != 0) {
      EXPECT_EQ(e.http_status(), 400);
    }

    mlflow::SearchExperimentsOptions x;
    x.max_results = max;
    const auto ex = expect_throw<mlflow::InvalidArgument>([&] { client.search_experiments(x); });
    EXPECT_EQ(ex.error_code(), ErrorCode::kInvalidParameterValue) << max;
    EXPECT_THAT(ex.what(), HasSubstr("max_results")) << max;
  }
  // The limits themselves are accepted.
  mlflow::SearchRunsOptions o;
  o.max_results = 50000;
  EXPECT_NO_THROW(client.search_runs({exp}, o));
  o.max_results = 1;
  EXPECT_NO_THROW(client.search_runs({exp}, o));
}

TEST(TrackingErrors, WrongHostHeaderIsPermissionDenied) {
  // The server's DNS-rebinding guard answers 403 text/plain to an unknown Host header. This
  // only happens if the custom header really reaches the server in place of the default one.
  ClientOptions options;
  options.tracking_uri = server_uri();
  options.headers["Host"] = "evil.example.com";
  options.max_retries = 0;
  MlflowClient client(options);
  const auto e = expect_throw<mlflow::PermissionDenied>([&] { client.get_experiment("0"); });
  EXPECT_EQ(e.http_status(), 403);
  EXPECT_EQ(e.server_error_code(), "");  // not a JSON answer
  EXPECT_TRUE(mlflow::is_permission_denied(e));
  const std::string message = e.what();
  EXPECT_THAT(message, HasSubstr(server_uri() + "/api/2.0/mlflow/experiments/get"));
  EXPECT_THAT(message, HasSubstr("Invalid Host header"));

  // The same client without the header works.
  MlflowClient plain(server_uri());
  EXPECT_EQ(plain.get_experiment("0").name, "Default");
}

int closed_loopback_port() {
  int port = 0;
  const int fd = testing::bind_loopback(port, /*backlog=*/0);
  if (fd < 0) return -1;
  ::close(fd);  // never listened: connections are refused
  return port;
}

TEST(TrackingErrors, ClosedPortIsUnavailable) {
  const int port = closed_loopback_port();
  ASSERT_GT(port, 0);
  const std::string uri = "http://127.0.0.1:" + std::to_string(port);
  MlflowClient client = no_retry_client(uri);
  const auto e = expect_throw<mlflow::Unavailable>([&] { client.get_experiment("0"); });
  EXPECT_EQ(e.http_status(), 0);
  EXPECT_THAT(e.what(), HasSubstr(uri));
  EXPECT_TRUE(mlflow::is_unavailable(e));
  EXPECT_THROW(client.create_experiment(unique_name("never")), mlflow::Unavailable);
}

TEST(TrackingErrors, HtmlNotFoundFromWrongPathPrefix) {
  const std::string uri = server_uri() + "/wrong-prefix";
  MlflowClient client = no_retry_client(uri);
  const auto e = expect_throw<mlflow::NotFound>([&] { client.get_experiment("0"); });
  EXPECT_EQ(e.http_status(), 404);
  EXPECT_EQ(e.server_error_code(), "");  // Flask's HTML page, not MLflow's JSON
  const std::string message = e.what();
  // Helpful: names the URL that was tried (so the wrong prefix is visible), points at the
  // tracking URI, and does not dump the raw HTML document.
  EXPECT_THAT(message, HasSubstr(uri + "/api/2.0/mlflow/experiments/get"));
  EXPECT_THAT(message, HasSubstr("tracking URI"));
  EXPECT_THAT(message, Not(HasSubstr("<!doctype html>")));
  EXPECT_THAT(message, Not(HasSubstr("<html")));
}

// Issue 15: https:// to the (plain-HTTP) real server. The TLS handshake reads the server's
// HTTP answer as a record of an unknown version; the message must say to use http://, not
// send the user after certificates. One attempt: TLS failures are never retried.
TEST(TrackingErrors, HttpsToPlainHttpServerSaysUseHttp) {
  std::string uri = server_uri();
  ASSERT_EQ(uri.rfind("http://", 0), 0u) << uri;
  uri.replace(0, 4, "https");
  MlflowClient client(uri);
  const auto e = expect_throw<mlflow::MlflowException>([&] { client.get_experiment("0"); });
  const std::string message = e.what();
  EXPECT_EQ(e.error_code(), ErrorCode::kIoError);
  EXPECT_THAT(message, HasSubstr("1 attempt"));
  EXPECT_THAT(message, HasSubstr("plain HTTP"));
  EXPECT_THAT(message, HasSubstr("Use http://"));
  EXPECT_THAT(message, Not(HasSubstr("CERT_PATH")));
  EXPECT_THAT(message, Not(HasSubstr("INSECURE_TLS")));
}

}  // namespace
}  // namespace mlflow
