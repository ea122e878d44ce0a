// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// Workspaces against real MLflow 3.18 servers: a private `mlflow server --enable-workspaces`
// (SQLite backend, proxied artifacts) for every workspace method, its errors and the seed
// README's isolation scenario (team-bella / team-dora: experiments, runs, artifacts, a
// registered model and a prompt), and the shared fixture server, which runs without
// workspaces, for the errors a client gets there.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "mlflow/mlflow.hpp"
#include "support/scoped_server.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;

// One server per test program run of this suite (starting one takes a while).
class Workspaces : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<testing::ScopedServer>("--enable-workspaces");
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    ASSERT_TRUE(server_->started()) << server_->output() << "\n" << server_->log();
  }

  static MlflowClient client(const std::string& workspace = "") {
    ClientOptions options;
    options.tracking_uri = server_->uri();
    if (!workspace.empty()) options.workspace = workspace;
    return MlflowClient(options);
  }

  static std::unique_ptr<testing::ScopedServer> server_;
};

std::unique_ptr<testing::ScopedServer> Workspaces::server_;

using testing::expect_mlflow_error;

std::vector<std::string> names(const std::vector<Workspace>& all) {
  std::vector<std::string> out;
  for (const auto& ws : all) out.push_back(ws.name);
  return out;
}

// Every workspace method and its errors, run on both stores (the server and the embedded
// store's `workspaces` table): same results, same error codes. Leaves team-a and team-b.
void workspace_crud_body(MlflowClient& admin) {
  ASSERT_EQ(names(admin.list_workspaces()), std::vector<std::string>{"default"});
  EXPECT_EQ(admin.get_workspace("default").description,
            std::optional<std::string>("Default workspace for legacy resources"));

  CreateWorkspaceOptions create;
  create.description = "Team A";
  create.default_artifact_root = "/tmp/mlflow-cpp-ws-a";
  const Workspace a = admin.create_workspace("team-a", create);
  EXPECT_EQ(a.name, "team-a");
  EXPECT_EQ(a.description, std::optional<std::string>("Team A"));
  EXPECT_EQ(a.default_artifact_root, std::optional<std::string>("/tmp/mlflow-cpp-ws-a"));
  admin.create_workspace("team-b");
  EXPECT_EQ(names(admin.list_workspaces()),
            (std::vector<std::string>{"default", "team-a", "team-b"}));  // sorted by name

  UpdateWorkspaceOptions describe;
  describe.description = "Team A, renamed description";
  EXPECT_EQ(admin.update_workspace("team-a", describe).description, describe.description);
  UpdateWorkspaceOptions clear_root;
  clear_root.default_artifact_root = "";
  const Workspace cleared = admin.update_workspace("team-a", clear_root);
  EXPECT_FALSE(cleared.default_artifact_root.has_value());
  EXPECT_EQ(admin.get_workspace("team-a").description, describe.description);

  // Errors, each with the server's code and explanation.
  const auto dup = expect_mlflow_error([&] { admin.create_workspace("team-a"); },
                                       ErrorCode::kResourceAlreadyExists);
  EXPECT_TRUE(dup.already_exists);
  const auto unknown = expect_mlflow_error([&] { admin.get_workspace("team-zz"); },
                                           ErrorCode::kResourceDoesNotExist);
  EXPECT_THAT(std::string(unknown.what()), HasSubstr("Workspace 'team-zz' not found"));
  expect_mlflow_error([&] { admin.update_workspace("team-zz", describe); },
                      ErrorCode::kResourceDoesNotExist);
  expect_mlflow_error([&] { admin.update_workspace("team-a", {}); },
                      ErrorCode::kInvalidParameterValue);
  expect_mlflow_error([&] { admin.delete_workspace("default"); },
                      ErrorCode::kInvalidParameterValue);
  expect_mlflow_error([&] { admin.delete_workspace("team-zz"); }, ErrorCode::kResourceDoesNotExist);
  expect_mlflow_error([&] { admin.create_workspace("Team_A"); }, ErrorCode::kInvalidParameterValue);
}

TEST_F(Workspaces, EveryMethodAndItsErrors) {
  {
    SCOPED_TRACE("embedded store");
    MlflowClient embedded("sqlite:///" + testing::make_temp_dir("ws-embedded") + "/mlflow.db");
    workspace_crud_body(embedded);
    embedded.delete_workspace("team-b");
    embedded.delete_workspace("team-a", WorkspaceDeletionMode::kCascade);
    EXPECT_EQ(names(embedded.list_workspaces()), std::vector<std::string>{"default"});
  }
  SCOPED_TRACE("server");
  auto admin = client();
  workspace_crud_body(admin);
  EXPECT_EQ(
      expect_mlflow_error([&] { admin.get_workspace("team-zz"); }, ErrorCode::kResourceDoesNotExist)
          .http_status,
      404);

  // A client pointed at a workspace that does not exist: every call says so (404).
  const auto missing = expect_mlflow_error([&] { client("team-zz").search_experiments(); },
                                           ErrorCode::kResourceDoesNotExist);
  EXPECT_THAT(std::string(missing.what()), HasSubstr("Workspace 'team-zz' not found"));

  // Deletion modes.
  auto in_a = client("team-a");
  const std::string exp_a = in_a.create_experiment("shared-name");
  in_a.create_run(exp_a);
  const auto restrict =
      expect_mlflow_error([&] { admin.delete_workspace("team-a"); }, ErrorCode::kInvalidState);
  EXPECT_THAT(std::string(restrict.what()), HasSubstr("experiments"));
  client().create_experiment("shared-name");  // same name in default: SET_DEFAULT must refuse
  const auto conflict = expect_mlflow_error(
      [&] { admin.delete_workspace("team-a", WorkspaceDeletionMode::kSetDefault); },
      ErrorCode::kInvalidState);
  EXPECT_THAT(std::string(conflict.what()), HasSubstr("shared-name"));
  in_a.rename_experiment(exp_a, "moved-from-a");
  admin.delete_workspace("team-a", WorkspaceDeletionMode::kSetDefault);
  EXPECT_EQ(client().get_experiment_by_name("moved-from-a")->experiment_id, exp_a);
  expect_mlflow_error([&] { admin.get_workspace("team-a"); }, ErrorCode::kResourceDoesNotExist);

  auto in_b = client("team-b");
  in_b.create_experiment("doomed");
  admin.delete_workspace("team-b", WorkspaceDeletionMode::kCascade);
  EXPECT_FALSE(client().get_experiment_by_name("doomed").has_value());
  EXPECT_EQ(names(admin.list_workspaces()), std::vector<std::string>{"default"});
}

// The seed README's scenario: what team-bella creates is invisible from team-dora (NotFound,
// as the Go SDK's IsNotFound) and found again from team-bella.
TEST_F(Workspaces, IsolationScenario) {
  auto admin = client();
  admin.create_workspace("team-bella");
  admin.create_workspace("team-dora");
  auto bella = client("team-bella");
  auto dora = client("team-dora");

  const std::string exp = bella.create_experiment("bella-experiment");
  const mlflow::Run run = bella.create_run(exp);
  bella.log_metric(run.info.run_id, "loss", 0.5);
  bella.log_text(run.info.run_id, "bella's notes", "notes.txt");
  bella.set_terminated(run.info.run_id);

  EXPECT_FALSE(dora.get_experiment_by_name("bella-experiment").has_value());
  EXPECT_TRUE(
      expect_mlflow_error([&] { dora.get_experiment(exp); }, ErrorCode::kResourceDoesNotExist)
          .not_found);
  EXPECT_TRUE(
      expect_mlflow_error([&] { dora.get_run(run.info.run_id); }, ErrorCode::kResourceDoesNotExist)
          .not_found);
  expect_mlflow_error([&] { dora.list_artifacts(run.info.run_id); },
                      ErrorCode::kResourceDoesNotExist);
  for (const auto& e : dora.search_experiments_all()) EXPECT_NE(e.name, "bella-experiment");
  // Names are per workspace: team-dora may use the same one.
  const std::string dora_exp = dora.create_experiment("bella-experiment");
  EXPECT_NE(dora_exp, exp);

  // A registered model with a version.
  bella.create_registered_model("bella-model");
  CreateModelVersionOptions from_run;
  from_run.run_id = run.info.run_id;
  bella.create_model_version("bella-model", "runs:/" + run.info.run_id + "/model", from_run);
  EXPECT_TRUE(expect_mlflow_error([&] { dora.get_registered_model("bella-model"); },
                                  ErrorCode::kResourceDoesNotExist)
                  .not_found);
  expect_mlflow_error([&] { dora.get_model_version("bella-model", "1"); },
                      ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(dora.search_registered_models().size(), 0u);

  // The seed README's prompt: registered in team-bella, NotFound from team-dora.
  bella.register_prompt("my-prompt", "Hello {{name}}!");
  EXPECT_TRUE(
      expect_mlflow_error([&] { dora.load_prompt("my-prompt"); }, ErrorCode::kResourceDoesNotExist)
          .not_found);
  LoadPromptOptions allow_missing;
  allow_missing.allow_missing = true;
  EXPECT_FALSE(dora.load_prompt("my-prompt", allow_missing).has_value());
  EXPECT_FALSE(dora.get_prompt("my-prompt").has_value());

  // All of it found again from team-bella.
  EXPECT_EQ(bella.get_experiment_by_name("bella-experiment")->experiment_id, exp);
  const auto files = bella.list_artifacts(run.info.run_id);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, "notes.txt");
  EXPECT_EQ(bella.get_registered_model("bella-model").name, "bella-model");
  EXPECT_EQ(bella.get_model_version("bella-model", "1").version, "1");
  const auto prompt = bella.load_prompt("my-prompt");
  ASSERT_TRUE(prompt.has_value());
  EXPECT_EQ(prompt->template_text(), "Hello {{name}}!");
  EXPECT_EQ(prompt->version(), 1);
  EXPECT_EQ(bella.get_run(run.info.run_id).data.metrics.at("loss"), 0.5);
  EXPECT_EQ(bella.search_runs({exp}).size(), 1u);
  // `default` sees neither.
  EXPECT_FALSE(client().get_experiment_by_name("bella-experiment").has_value());

  // The fluent API: set_workspace scopes the default client.
  set_tracking_uri(server_->uri());
  set_workspace("team-bella");
  EXPECT_EQ(mlflow::get_experiment_by_name("bella-experiment")->experiment_id, exp);
  set_workspace("team-dora");
  EXPECT_EQ(mlflow::get_experiment_by_name("bella-experiment")->experiment_id, dora_exp);
  EXPECT_EQ(names(mlflow::list_workspaces()),
            (std::vector<std::string>{"default", "team-bella", "team-dora"}));
  EXPECT_THROW(set_workspace("Not_Valid"), InvalidArgument);
  set_workspace(std::nullopt);
  EXPECT_FALSE(mlflow::get_experiment_by_name("bella-experiment").has_value());
  set_tracking_uri("");
}

// The shared fixture server runs without workspaces.
TEST(WorkspacesDisabled, ClearErrorsFromAServerWithoutWorkspaces) {
  ClientOptions options;
  options.tracking_uri = testing::server_uri();
  MlflowClient plain(options);
  const auto admin =
      expect_mlflow_error([&] { plain.list_workspaces(); }, ErrorCode::kFeatureDisabled);
  EXPECT_THAT(std::string(admin.what()), HasSubstr("--enable-workspaces"));
  expect_mlflow_error([&] { plain.create_workspace("team-bella"); }, ErrorCode::kFeatureDisabled);

  options.workspace = "team-bella";
  MlflowClient scoped(options);
  const auto call =
      expect_mlflow_error([&] { scoped.search_experiments(); }, ErrorCode::kFeatureDisabled);
  EXPECT_THAT(std::string(call.what()), HasSubstr("team-bella"));
  EXPECT_THAT(std::string(call.what()), HasSubstr("--enable-workspaces"));
  // Without a workspace the same server works as before.
  EXPECT_NO_THROW(plain.search_experiments());
}

}  // namespace
}  // namespace mlflow
