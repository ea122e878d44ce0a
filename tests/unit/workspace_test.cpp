// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Workspaces without a server: where X-MLFLOW-WORKSPACE goes (every call but the admin
// endpoints), the server-info probe, the admin requests' shapes, name rules, and the embedded
// store's `workspaces` table.
#include "mlflow/workspace.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "client/client_impl.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "rest/rest_backend.hpp"
#include "rest/rest_client.hpp"
#include "sqlite/database.hpp"
#include "support/fake_transport.hpp"
#include "support/no_wait_hooks.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow::internal {
namespace {

using Json = nlohmann::json;

constexpr const char* kUri = "http://127.0.0.1:5000/pfx";
constexpr const char* kEnabled = R"({"store_type":"SqlStore","workspaces_enabled":true})";
constexpr const char* kDisabled = R"({"store_type":"SqlStore","workspaces_enabled":false})";

class WorkspaceRestTest : public ::testing::Test {
 protected:
  WorkspaceRestTest() : transport_(std::make_shared<testing::FakeTransport>()) {}
  MlflowClient client(const std::string& workspace = "team-a",
                      std::map<std::string, std::string> headers = {}) {
    ResolvedConfig config;
    config.tracking_uri = kUri;
    config.retry.max_retries = 0;
    config.workspace = workspace;
    config.headers = std::move(headers);
    return make_client(make_rest_backend(config, transport_, testing::no_wait_retry_hooks()));
  }
  const std::vector<HttpRequest>& requests() const { return transport_->requests; }
  std::shared_ptr<testing::FakeTransport> transport_;
};

// ---- header placement ----

TEST_F(WorkspaceRestTest, TrackingCallsCarryTheHeaderAfterOneServerInfoProbe) {
  auto c = client();
  transport_->reply(200, kEnabled);
  c.delete_run("r1");
  c.set_tag("r1", "k", "v");
  ASSERT_EQ(requests().size(), 3u);
  // The probe: once, without the header (server-info never resolves a workspace).
  EXPECT_EQ(requests()[0].method, "GET");
  EXPECT_EQ(requests()[0].url, std::string(kUri) + "/api/3.0/mlflow/server-info");
  EXPECT_FALSE(testing::request_header(requests()[0], "X-MLFLOW-WORKSPACE").has_value());
  EXPECT_EQ(requests()[1].url, std::string(kUri) + "/api/2.0/mlflow/runs/delete");
  EXPECT_EQ(testing::request_header(requests()[1], "X-MLFLOW-WORKSPACE"),
            std::optional<std::string>("team-a"));
  EXPECT_EQ(testing::request_header(requests()[2], "X-MLFLOW-WORKSPACE"),
            std::optional<std::string>("team-a"));
}

TEST_F(WorkspaceRestTest, NoWorkspaceNoProbeNoHeader) {
  auto c = client("");
  c.delete_run("r1");
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_FALSE(testing::request_header(requests()[0], "X-MLFLOW-WORKSPACE").has_value());
}

TEST_F(WorkspaceRestTest, AdminEndpointsNeverCarryTheHeaderNotEvenACustomOne) {
  // The seed SDK's way of choosing a workspace: a custom header.
  auto c = client("", {{"X-MLFLOW-WORKSPACE", "team-b"}});
  transport_->reply(200, kEnabled);
  transport_->reply(200, R"({"workspaces":[{"name":"default"},{"name":"team-b"}]})");
  const auto all = c.list_workspaces();
  c.set_tag("r1", "k", "v");
  ASSERT_EQ(requests().size(), 3u);
  EXPECT_EQ(requests()[1].url, std::string(kUri) + "/api/3.0/mlflow/workspaces");
  EXPECT_FALSE(testing::request_header(requests()[1], "X-MLFLOW-WORKSPACE").has_value());
  // ... while the tracking call keeps the custom header.
  EXPECT_EQ(testing::request_header(requests()[2], "X-MLFLOW-WORKSPACE"),
            std::optional<std::string>("team-b"));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].name, "team-b");
}

TEST(WorkspaceHeaderRule, AdminEndpointsArePythonsRule) {
  EXPECT_TRUE(is_workspace_admin_endpoint("/api/3.0/mlflow/workspaces"));
  EXPECT_TRUE(is_workspace_admin_endpoint("/api/3.0/mlflow/workspaces/team-a"));
  EXPECT_FALSE(is_workspace_admin_endpoint("/api/2.0/mlflow/experiments/search"));
  EXPECT_FALSE(is_workspace_admin_endpoint("/api/2.0/mlflow-artifacts/artifacts/workspaces/x"));
}

// ---- servers without workspaces ----

TEST_F(WorkspaceRestTest, WorkspaceOnADisabledServerFailsBeforeTheCallAndSaysWhatToDo) {
  auto c = client();
  transport_->reply(200, kDisabled);
  const auto error =
      testing::expect_mlflow_error([&] { c.get_experiment("1"); }, ErrorCode::kFeatureDisabled);
  EXPECT_THAT(error.message, ::testing::HasSubstr("team-a"));
  EXPECT_THAT(error.message, ::testing::HasSubstr("--enable-workspaces"));
  EXPECT_EQ(requests().size(), 1u);  // only the probe went out
}

TEST_F(WorkspaceRestTest, AdminCallsOnADisabledServerSayHowToEnableWorkspaces) {
  auto c = client("");
  transport_->reply(200, kDisabled);
  EXPECT_THAT(
      testing::expect_mlflow_error([&] { c.list_workspaces(); }, ErrorCode::kFeatureDisabled)
          .message,
      ::testing::HasSubstr("--enable-workspaces"));
  // The answer is remembered: no second probe, no request to the 503-answering endpoint.
  EXPECT_THROW(c.create_workspace("team-a"), MlflowException);
  EXPECT_EQ(requests().size(), 1u);
}

TEST_F(WorkspaceRestTest, ServerWithoutServerInfoIsReported) {
  auto c = client();
  transport_->reply(404, "<html>Not Found</html>");
  EXPECT_THAT(testing::expect_mlflow_error([&] { c.get_experiment("1"); },
                                           ErrorCode::kInvalidParameterValue)
                  .message,
              ::testing::HasSubstr("server-info"));
}

// ---- admin request shapes ----

TEST_F(WorkspaceRestTest, CreateSendsOnlyTheFieldsGivenAndDecodesTheAnswer) {
  auto c = client("");
  transport_->reply(200, kEnabled);
  transport_->reply(201,
                    R"({"workspace":{"name":"team-a","description":"A","trace_archival_config":)"
                    R"({"location":"s3://b/t","retention":"30d"}}})");
  CreateWorkspaceOptions options;
  options.description = "A";
  options.trace_archival_config = TraceArchivalConfig{std::string("s3://b/t"), std::string("30d")};
  const Workspace ws = c.create_workspace("team-a", options);
  const HttpRequest& r = requests().back();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, std::string(kUri) + "/api/3.0/mlflow/workspaces");
  EXPECT_EQ(Json::parse(r.body),
            Json::parse(R"({"name":"team-a","description":"A",)"
                        R"("trace_archival_config":{"location":"s3://b/t","retention":"30d"}})"));
  EXPECT_EQ(ws.name, "team-a");
  EXPECT_EQ(ws.description, std::optional<std::string>("A"));
  EXPECT_FALSE(ws.default_artifact_root.has_value());
  EXPECT_EQ(ws.trace_archival_location, std::optional<std::string>("s3://b/t"));
  EXPECT_EQ(ws.trace_archival_retention, std::optional<std::string>("30d"));
}

TEST_F(WorkspaceRestTest, GetUpdateAndDeleteAddressTheWorkspaceInThePath) {
  auto c = client("");
  transport_->reply(200, kEnabled);
  transport_->reply(200, R"({"workspace":{"name":"team-a"}})");
  transport_->reply(200, R"({"workspace":{"name":"team-a"}})");
  transport_->reply(204, "");
  transport_->reply(204, "");
  c.get_workspace("team-a");
  UpdateWorkspaceOptions update;
  update.default_artifact_root = "";  // clears the override
  c.update_workspace("team-a", update);
  c.delete_workspace("team-a");
  c.delete_workspace("team-a", WorkspaceDeletionMode::kSetDefault);
  ASSERT_EQ(requests().size(), 5u);
  const std::string base = std::string(kUri) + "/api/3.0/mlflow/workspaces/team-a";
  EXPECT_EQ(requests()[1].method, "GET");
  EXPECT_EQ(requests()[1].url, base);
  EXPECT_EQ(requests()[2].method, "PATCH");
  EXPECT_EQ(requests()[2].url, base);
  EXPECT_EQ(Json::parse(requests()[2].body), Json::parse(R"({"default_artifact_root":""})"));
  EXPECT_EQ(requests()[3].method, "DELETE");
  EXPECT_EQ(requests()[3].url, base);  // RESTRICT is the server's default: no query
  EXPECT_TRUE(requests()[3].body.empty());
  EXPECT_EQ(requests()[4].url, base + "?mode=SET_DEFAULT");
}

TEST_F(WorkspaceRestTest, InvalidNamesNeverReachTheServer) {
  auto c = client("");
  EXPECT_THROW(c.get_workspace("Team_A"), InvalidArgument);
  EXPECT_THROW(c.create_workspace("api"), InvalidArgument);
  EXPECT_THROW(c.delete_workspace("a"), InvalidArgument);
  EXPECT_TRUE(requests().empty());
}

// ---- names and modes ----

TEST(WorkspaceNames, MlflowsRules) {
  for (const std::string& ok :
       std::vector<std::string>{"ab", "team-bella", "a1", "0-0", std::string(63, 'a')}) {
    EXPECT_NO_THROW(validate_workspace_name(ok)) << ok;
  }
  for (const char* bad : {"a", "-ab", "ab-", "Ab", "a_b", "a.b", "", "api", "workspaces",
                          "ajax-api", "static-files"}) {
    EXPECT_THROW(validate_workspace_name(bad), InvalidArgument) << bad;
  }
  EXPECT_THROW(validate_workspace_name(std::string(64, 'a')), InvalidArgument);
}

TEST(WorkspaceNames, DeletionModesRoundTrip) {
  for (auto m : {WorkspaceDeletionMode::kRestrict, WorkspaceDeletionMode::kCascade,
                 WorkspaceDeletionMode::kSetDefault}) {
    EXPECT_EQ(workspace_deletion_mode_from_string(to_string(m)), m);
  }
  EXPECT_THROW(workspace_deletion_mode_from_string("restrict"), InvalidArgument);
}

// ---- embedded store ----

TEST(WorkspaceEmbedded, TableCrudWithMlflowsRules) {
  const std::string path = testing::make_temp_dir("workspace-embedded") + "/mlflow.db";
  MlflowClient c("sqlite:///" + path);
  // A second connection to the file, for what only a server sharing it would write.
  const auto database = sqlite::Database::open(path, "/nonexistent-artifact-root");
  auto all = c.list_workspaces();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].name, "default");
  EXPECT_EQ(all[0].description,
            std::optional<std::string>("Default workspace for legacy resources"));

  CreateWorkspaceOptions create;
  create.description = "Bella's";
  create.default_artifact_root = "/tmp/bella";
  EXPECT_EQ(c.create_workspace("team-bella", create).default_artifact_root,
            std::optional<std::string>("/tmp/bella"));
  EXPECT_THROW(c.create_workspace("team-bella"), AlreadyExists);
  EXPECT_THROW(c.get_workspace("team-dora"), NotFound);

  UpdateWorkspaceOptions update;
  update.default_artifact_root = "";
  const Workspace updated = c.update_workspace("team-bella", update);
  EXPECT_FALSE(updated.default_artifact_root.has_value());
  EXPECT_EQ(updated.description, std::optional<std::string>("Bella's"));
  EXPECT_THROW(c.update_workspace("team-bella", {}), InvalidArgument);
  EXPECT_EQ(c.list_workspaces().size(), 2u);

  // A resource in the workspace (as a server sharing the file would put it there).
  const std::string id = c.create_experiment("bella-exp");
  database->write([&](sqlite::Connection& conn) {
    conn.run("UPDATE experiments SET workspace = 'team-bella' WHERE experiment_id = ?", id);
  });
  try {
    c.delete_workspace("team-bella");
    FAIL() << "RESTRICT deleted a workspace with an experiment";
  } catch (const MlflowException& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kInvalidState);
    EXPECT_NE(std::string(e.what()).find("'experiments' still contains 1"), std::string::npos);
  }
  EXPECT_THROW(c.delete_workspace("team-bella", WorkspaceDeletionMode::kCascade), MlflowException);
  EXPECT_EQ(c.list_workspaces().size(), 2u);  // nothing lost
  database->write(
      [](sqlite::Connection& conn) { conn.run("UPDATE experiments SET workspace = 'default'"); });
  c.delete_workspace("team-bella", WorkspaceDeletionMode::kCascade);  // empty: same outcome
  EXPECT_THROW(c.get_workspace("team-bella"), NotFound);
  EXPECT_THROW(c.delete_workspace("default"), InvalidArgument);
}

TEST(WorkspaceEmbedded, AWorkspaceOtherThanDefaultIsRefusedWithAnExplanation) {
  ClientOptions options;
  options.tracking_uri = "sqlite:///:memory:";
  options.workspace = "team-bella";
  try {
    MlflowClient c(options);
    FAIL() << "the embedded store accepted workspace team-bella";
  } catch (const MlflowException& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kFeatureDisabled);
    EXPECT_NE(std::string(e.what()).find("--enable-workspaces"), std::string::npos) << e.what();
  }
  options.workspace = "default";
  EXPECT_NO_THROW(MlflowClient{options});
}

}  // namespace
}  // namespace mlflow::internal
