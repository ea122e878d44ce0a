// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Run calls of MlflowClient (create, get, parent, update, terminate, delete, restore)
// against the real MLflow 3.18 server.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

MlflowClient server_client() { return MlflowClient(testing::server_uri()); }

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_lower_hex32(const std::string& s) {
  return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::vector<std::string> run_ids(const std::vector<mlflow::Run>& runs) {
  std::vector<std::string> out;
  for (const auto& r : runs) out.push_back(r.info.run_id);
  return out;
}

mlflow::Run create_named_run(MlflowClient& client, const std::string& exp,
                             const std::string& name) {
  CreateRunOptions options;
  options.run_name = name;
  return client.create_run(exp, options);
}

TEST(TrackingRuns, CreateRunWithStartTimeTagsAndName) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(testing::unique_name("runs-create"));
  CreateRunOptions options;
  options.start_time = 1718000000123;
  options.run_name = "my-run";
  options.tags = {{"team", "core"}, {"mlflow.user", "alice"}, {"note", "x y z"}};
  const mlflow::Run created = client.create_run(exp, options);

  EXPECT_TRUE(is_lower_hex32(created.info.run_id)) << created.info.run_id;
  EXPECT_EQ(created.info.experiment_id, exp);
  EXPECT_EQ(created.info.run_name, "my-run");
  EXPECT_EQ(created.info.status, RunStatus::kRunning);
  EXPECT_EQ(created.info.start_time, 1718000000123);
  EXPECT_FALSE(created.info.end_time.has_value());
  EXPECT_EQ(created.info.lifecycle_stage, "active");
  EXPECT_EQ(created.info.artifact_uri,
            "mlflow-artifacts:/" + exp + "/" + created.info.run_id + "/artifacts");
  // user_id comes from the mlflow.user tag.
  EXPECT_EQ(created.info.user_id, "alice");
  EXPECT_EQ(created.data.tags.at("mlflow.runName"), "my-run");
  EXPECT_EQ(created.data.tags.at("team"), "core");

  const mlflow::Run got = client.get_run(created.info.run_id);
  EXPECT_EQ(got.info.run_id, created.info.run_id);
  EXPECT_EQ(got.info.experiment_id, exp);
  EXPECT_EQ(got.info.run_name, "my-run");
  EXPECT_EQ(got.info.user_id, "alice");
  EXPECT_EQ(got.info.start_time, 1718000000123);
  EXPECT_EQ(got.info.status, RunStatus::kRunning);
  EXPECT_FALSE(got.info.end_time.has_value());
  EXPECT_EQ(got.data.tags.at("mlflow.runName"), "my-run");
  EXPECT_EQ(got.data.tags.at("team"), "core");
  EXPECT_EQ(got.data.tags.at("note"), "x y z");
  EXPECT_EQ(got.data.tags.at("mlflow.user"), "alice");
  EXPECT_TRUE(got.data.params.empty());
  EXPECT_TRUE(got.data.metrics.empty());
  EXPECT_TRUE(got.inputs.dataset_inputs.empty());
}

TEST(TrackingRuns, RunNameGeneratedWhenAbsentAndStartTimeDefaultsToNow) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(testing::unique_name("runs-noname"));
  const std::int64_t before = now_ms();
  const mlflow::Run run = client.create_run(exp);
  const std::int64_t after = now_ms();
  EXPECT_FALSE(run.info.run_name.empty());
  // Generated as <adjective>-<noun>-<number>, at most 20 characters.
  EXPECT_LE(run.info.run_name.size(), 20u) << run.info.run_name;
  EXPECT_NE(run.info.run_name.find('-'), std::string::npos) << run.info.run_name;
  const mlflow::Run got = client.get_run(run.info.run_id);
  EXPECT_EQ(got.info.run_name, run.info.run_name);
  EXPECT_EQ(got.data.tags.at("mlflow.runName"), run.info.run_name);
  // Allow for clock skew of a second between this process and the server-less default.
  EXPECT_GE(got.info.start_time, before - 1000);
  EXPECT_LE(got.info.start_time, after + 1000);
  EXPECT_FALSE(got.info.user_id.empty());
}

TEST(TrackingRuns, RunNameTagAloneNamesTheRun) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(testing::unique_name("runs-nametag"));
  CreateRunOptions options;
  options.tags = {{"mlflow.runName", "from-tag"}};
  const mlflow::Run run = client.create_run(exp, options);
  EXPECT_EQ(client.get_run(run.info.run_id).info.run_name, "from-tag");
}

TEST(TrackingRuns, GetParentRun) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(testing::unique_name("runs-parent"));
  const mlflow::Run parent = create_named_run(client, exp, "parent");
  CreateRunOptions child_opts;
  child_opts.run_name = "child";
  child_opts.tags = {{"mlflow.parentRunId", parent.info.run_id}};
  const mlflow::Run child = client.create_run(exp, child_opts);

  const auto got_parent = client.get_parent_run(child.info.run_id);
  ASSERT_TRUE(got_parent.has_value());
  EXPECT_EQ(got_parent->info.run_id, parent.info.run_id);
  EXPECT_EQ(got_parent->info.run_name, "parent");
  EXPECT_FALSE(client.get_parent_run(parent.info.run_id).has_value());
}

TEST(TrackingRuns, SetTerminatedDefaultsToFinishedNow) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(testing::unique_name("runs-term"));
  const mlflow::Run run = client.create_run(exp);
  const std::int64_t before = now_ms();
  client.set_terminated(run.info.run_id);
  const std::int64_t after = now_ms();
  const mlflow::Run got = client.get_run(run.info.run_id);
  EXPECT_EQ(got.info.status, RunStatus::kFinished);
  ASSERT_TRUE(got.info.end_time.has_value());
  EXPECT_GE(*got.info.end_time, before - 1000);
  EXPECT_LE(*got.info.end_time, after + 1000);
}

TEST(TrackingRuns, SetTerminatedWithStatusAndEndTime) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(testing::unique_name("runs-term2"));
  CreateRunOptions c;
  c.start_time = 1718000000000;
  const mlflow::Run run = client.create_run(exp, c);
  SetTerminatedOptions t;
  t.status = RunStatus::kFailed;
  t.end_time = 1718000100000;
  client.set_terminated(run.info.run_id, t);
  const mlflow::Run got = client.get_run(run.info.run_id);
  EXPECT_EQ(got.info.status, RunStatus::kFailed);
  ASSERT_TRUE(got.info.end_time.has_value());
  EXPECT_EQ(*got.info.end_time, 1718000100000);
}

TEST(TrackingRuns, UpdateRunChangesStatusAndNameKeepsEndTime) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(testing::unique_name("runs-update"));
  const mlflow::Run run = create_named_run(client, exp, "before");
  const std::string id = run.info.run_id;
  SetTerminatedOptions t;
  t.end_time = 1718000100000;
  client.set_terminated(id, t);

  UpdateRunOptions rename;
  rename.name = "after";
  client.update_run(id, rename);
  mlflow::Run got = client.get_run(id);
  EXPECT_EQ(got.info.run_name, "after");
  EXPECT_EQ(got.data.tags.at("mlflow.runName"), "after");
  EXPECT_EQ(got.info.status, RunStatus::kFinished);
  ASSERT_TRUE(got.info.end_time.has_value());
  EXPECT_EQ(*got.info.end_time, 1718000100000);

  UpdateRunOptions status;
  status.status = RunStatus::kKilled;
  client.update_run(id, status);
  got = client.get_run(id);
  EXPECT_EQ(got.info.status, RunStatus::kKilled);
  EXPECT_EQ(got.info.run_name, "after");
  ASSERT_TRUE(got.info.end_time.has_value());
  EXPECT_EQ(*got.info.end_time, 1718000100000);

  UpdateRunOptions both;
  both.status = RunStatus::kScheduled;
  both.name = "third";
  client.update_run(id, both);
  got = client.get_run(id);
  EXPECT_EQ(got.info.status, RunStatus::kScheduled);
  EXPECT_EQ(got.info.run_name, "third");
  EXPECT_EQ(got.data.tags.at("mlflow.runName"), "third");
  ASSERT_TRUE(got.info.end_time.has_value());
  EXPECT_EQ(*got.info.end_time, 1718000100000);

  client.update_run(id, UpdateRunOptions{});  // no-op
  const mlflow::Run unchanged = client.get_run(id);
  EXPECT_EQ(unchanged.info.status, RunStatus::kScheduled);
  EXPECT_EQ(unchanged.info.run_name, "third");
}

TEST(TrackingRuns, DeleteAndRestoreRun) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(testing::unique_name("runs-delete"));
  const mlflow::Run keep = client.create_run(exp);
  const mlflow::Run victim = client.create_run(exp);
  const std::string id = victim.info.run_id;

  client.delete_run(id);
  EXPECT_EQ(client.get_run(id).info.lifecycle_stage, "deleted");  // still readable

  SearchRunsOptions o;
  o.run_view_type = ViewType::kActiveOnly;
  EXPECT_EQ(run_ids(client.search_runs({exp}, o).items),
            std::vector<std::string>{keep.info.run_id});
  o.run_view_type = ViewType::kDeletedOnly;
  EXPECT_EQ(run_ids(client.search_runs({exp}, o).items), std::vector<std::string>{id});
  o.run_view_type = ViewType::kAll;
  EXPECT_EQ(client.search_runs({exp}, o).size(), 2u);

  // Writes to a deleted run are refused by the server.
  EXPECT_THROW(client.log_param(id, "p", "v"), mlflow::InvalidArgument);

  client.restore_run(id);
  EXPECT_EQ(client.get_run(id).info.lifecycle_stage, "active");
  o.run_view_type = ViewType::kActiveOnly;
  EXPECT_EQ(client.search_runs({exp}, o).size(), 2u);
  o.run_view_type = ViewType::kDeletedOnly;
  EXPECT_TRUE(client.search_runs({exp}, o).empty());
  client.log_param(id, "p", "v");  // active again
  EXPECT_EQ(client.get_run(id).data.params.at("p"), "v");
}

TEST(TrackingRuns, CreateRunInDeletedExperimentFails) {
  MlflowClient client = server_client();
  const std::string exp = client.create_experiment(testing::unique_name("runs-deleted-exp"));
  client.delete_experiment(exp);
  try {
    client.create_run(exp);
    FAIL() << "create_run in a deleted experiment succeeded";
  } catch (const mlflow::InvalidArgument& e) {
    EXPECT_EQ(e.server_error_code(), "INVALID_PARAMETER_VALUE");
    EXPECT_THAT(e.what(), ::testing::HasSubstr("active"));
  }
}

}  // namespace
}  // namespace mlflow
