// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The embedded store and the pinned Python MLflow on the same file: C++ writes and Python
// reads, Python writes and C++ reads, and both create byte-identical schemas.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "mlflow/mlflow_client.hpp"
#include "sqlite/sqlite_backend.hpp"
#include "support/builders.hpp"
#include "support/python_peer.hpp"
#include "support/read_only_view.hpp"
#include "support/sqlite_file.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {

using nlohmann::json;
using testing::metric_point;

json run_python(const std::string& dir, const std::string& args) {
  return mlflow::testing::run_python_peer_json(dir, "sqlite_interop.py", args);
}

TEST(SqliteInterop, CppWritesPythonReads) {
  const std::string dir = mlflow::testing::make_temp_dir("sqlite-interop-cw");
  const std::string uri = "sqlite:///" + dir + "/cpp.db";
  std::string exp_id, run_id, deleted_id;
  {
    auto store = make_sqlite_tracking_store(uri);
    exp_id = store->create_experiment("cpp-exp", std::nullopt, {{"owner", "cpp"}});
    CreateRunRequest req;
    req.experiment_id = exp_id;
    req.user_id = "alice";
    req.start_time = 1000;
    req.run_name = "cpp-run";
    req.tags = {{"team", "core"}};
    run_id = store->create_run(req).info.run_id;
    store->log_batch(run_id, {}, {{"lr", "0.01"}, {"layers", "3"}}, {{"phase", "train"}});
    const double inf = std::numeric_limits<double>::infinity();
    store->log_batch(run_id,
                     {metric_point("nan", std::nan(""), 5, 0), metric_point("pinf", inf, 5, 0),
                      metric_point("ninf", -inf, 5, 0)},
                     {}, {});
    // 10,000-point history, in batches of 1000 as the client would send them.
    for (int b = 0; b < 10; ++b) {
      std::vector<Metric> batch;
      for (int i = b * 1000; i < (b + 1) * 1000; ++i) {
        batch.push_back(metric_point("loss", 1.0 / (i + 1), 100000 + i, i));
      }
      store->log_batch(run_id, batch, {}, {});
    }
    DatasetInput in;
    in.dataset = {"train-set",
                  "abc123",
                  "local",
                  "{\"uri\": \"/data\"}",
                  std::string("{\"mlflow_colspec\": []}"),
                  std::nullopt};
    in.tags = {{"mlflow.data.context", "training"}};
    store->log_inputs(run_id, {in}, {});
    store->update_run_info(run_id, RunStatus::kFinished, 9000, std::nullopt);
    req.run_name = "to-delete";
    req.start_time = 2000;
    req.tags.clear();
    deleted_id = store->create_run(req).info.run_id;
    store->delete_run(deleted_id);
  }

  const json got = run_python(dir, "read '" + uri + "' loss");
  ASSERT_FALSE(got.is_null());
  ASSERT_EQ(got["experiments"].size(), 2u);
  EXPECT_EQ(got["experiments"][0]["id"], "0");
  EXPECT_EQ(got["experiments"][0]["name"], "Default");
  EXPECT_EQ(got["experiments"][1]["id"], exp_id);
  EXPECT_EQ(got["experiments"][1]["name"], "cpp-exp");
  EXPECT_EQ(got["experiments"][1]["tags"], (json{{"owner", "cpp"}}));
  EXPECT_EQ(got["experiments"][1]["artifact_location"],
            (std::filesystem::current_path() / "mlruns" / exp_id).string());

  ASSERT_EQ(got["runs"].size(), 2u);
  const json& r = got["runs"][0];
  EXPECT_EQ(r["run_id"], run_id);
  EXPECT_EQ(r["experiment_id"], exp_id);
  EXPECT_EQ(r["run_name"], "cpp-run");
  EXPECT_EQ(r["status"], "FINISHED");
  EXPECT_EQ(r["lifecycle_stage"], "active");
  EXPECT_EQ(r["start_time"], 1000);
  EXPECT_EQ(r["end_time"], 9000);
  EXPECT_EQ(r["user_id"], "alice");
  EXPECT_EQ(r["artifact_uri"], got["experiments"][1]["artifact_location"].get<std::string>() + "/" +
                                   run_id + "/artifacts");
  EXPECT_EQ(r["params"], (json{{"lr", "0.01"}, {"layers", "3"}}));
  EXPECT_EQ(r["tags"], (json{{"team", "core"}, {"phase", "train"}, {"mlflow.runName", "cpp-run"}}));
  EXPECT_EQ(r["metrics"]["nan"], "NaN");
  EXPECT_EQ(r["metrics"]["pinf"].get<double>(), std::numeric_limits<double>::max());
  EXPECT_EQ(r["metrics"]["ninf"].get<double>(), std::numeric_limits<double>::lowest());
  EXPECT_EQ(r["metrics"]["loss"].get<double>(), 1.0 / 10000);
  ASSERT_EQ(r["history"].size(), 10000u);
  for (std::size_t i = 0; i < 10000; i += 997) {
    EXPECT_EQ(r["history"][i][0], static_cast<int>(i));
    EXPECT_EQ(r["history"][i][1], 100000 + static_cast<int>(i));
    EXPECT_EQ(r["history"][i][2].get<double>(), 1.0 / (static_cast<double>(i) + 1));
  }
  ASSERT_EQ(r["datasets"].size(), 1u);
  EXPECT_EQ(r["datasets"][0]["name"], "train-set");
  EXPECT_EQ(r["datasets"][0]["digest"], "abc123");
  EXPECT_EQ(r["datasets"][0]["source"], "{\"uri\": \"/data\"}");
  EXPECT_EQ(r["datasets"][0]["schema"], "{\"mlflow_colspec\": []}");
  EXPECT_EQ(r["datasets"][0]["tags"], (json{{"mlflow.data.context", "training"}}));

  EXPECT_EQ(got["runs"][1]["run_id"], deleted_id);
  EXPECT_EQ(got["runs"][1]["lifecycle_stage"], "deleted");
}

TEST(SqliteInterop, PythonWritesCppReads) {
  const std::string dir = mlflow::testing::make_temp_dir("sqlite-interop-pw");
  const std::string uri = "sqlite:///" + dir + "/py.db";
  const json ids = run_python(dir, "write '" + uri + "'");
  ASSERT_FALSE(ids.is_null());
  auto store = make_sqlite_tracking_store(uri);

  const Experiment exp = store->get_experiment(ids["experiment_id"]);
  EXPECT_EQ(exp.name, "py-exp");
  EXPECT_EQ(exp.tags.at("owner"), "python");
  EXPECT_EQ(store->get_experiment("0").name, "Default");

  const mlflow::Run run = store->get_run(ids["run_id"]);
  EXPECT_EQ(run.info.run_name, "py-run");
  EXPECT_EQ(run.info.status, RunStatus::kFinished);
  EXPECT_EQ(run.info.start_time, 1111);
  EXPECT_EQ(run.info.end_time, 2222);
  EXPECT_EQ(run.info.artifact_uri,
            dir + "/mlruns/" + exp.experiment_id + "/" + run.info.run_id + "/artifacts");
  EXPECT_EQ(run.data.params.at("lr"), "0.01");
  EXPECT_EQ(run.data.tags.at("t1"), "v1");
  EXPECT_EQ(run.data.tags.at("k"), "v");
  EXPECT_TRUE(std::isnan(run.data.metrics.at("odd")));
  EXPECT_EQ(run.data.metrics.at("big"), std::numeric_limits<double>::max());
  EXPECT_EQ(run.data.metrics.at("loss"), 1.0 / 500);
  ASSERT_EQ(run.inputs.dataset_inputs.size(), 1u);
  EXPECT_EQ(run.inputs.dataset_inputs[0].dataset.name, "pyds");
  EXPECT_EQ(run.inputs.dataset_inputs[0].dataset.schema, "{\"cols\": 1}");
  EXPECT_EQ(run.inputs.dataset_inputs[0].tags.at(0).value, "training");

  const PagedList<Metric> history = store->get_metric_history_page(run.info.run_id, "loss", 0, "");
  ASSERT_EQ(history.size(), 500u);
  EXPECT_EQ(history[499].step, 499);
  EXPECT_EQ(store->get_run(ids["deleted_run_id"]).info.lifecycle_stage, "deleted");

  SearchRunsOptions o;
  o.filter_string = "params.lr = '0.01'";
  const PagedList<mlflow::Run> found = store->search_runs({exp.experiment_id}, o);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].info.run_id, run.info.run_id);

  // C++ keeps writing to the Python-created file, and Python sees it.
  store->log_metric(run.info.run_id, metric_point("loss", 0.0001, 5000, 1000));
  const json back = run_python(dir, "read '" + uri + "' loss");
  ASSERT_FALSE(back.is_null());
  bool seen = false;
  for (const json& r : back["runs"]) {
    if (r["run_id"] == run.info.run_id) {
      seen = true;
      EXPECT_EQ(r["metrics"]["loss"].get<double>(), 0.0001);
      EXPECT_EQ(r["history"].size(), 501u);
    }
  }
  EXPECT_TRUE(seen);
}

TEST(SqliteInterop, SchemaEqualsMlflowCreatedSchema) {
  const std::string dir = mlflow::testing::make_temp_dir("sqlite-interop-schema");
  const std::string cpp_db = dir + "/cpp.db";
  const std::string py_db = dir + "/py.db";
  { make_sqlite_tracking_store("sqlite:///" + cpp_db); }
  ASSERT_TRUE(run_python(dir, "create '" + py_db + "'").is_object());
  const json cpp = run_python(dir, "schema '" + cpp_db + "'");
  const json py = run_python(dir, "schema '" + py_db + "'");
  ASSERT_TRUE(cpp.is_object());
  ASSERT_TRUE(py.is_object());
  ASSERT_EQ(cpp["master"].size(), py["master"].size());
  for (std::size_t i = 0; i < py["master"].size(); ++i) {
    EXPECT_EQ(cpp["master"][i], py["master"][i]) << "sqlite_master row " << i;
  }
  EXPECT_EQ(cpp["alembic"], py["alembic"]);
  EXPECT_EQ(cpp["workspaces"], py["workspaces"]);
  EXPECT_EQ(cpp["default_experiment"], py["default_experiment"]);
}

// What C++ reads from a Python-created file it may not write, and how its writes fail; ""
// when everything is as Python wrote it.
std::string read_python_file(const std::string& uri, const json& ids) {
  std::ostringstream failures;
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) failures << what << "; ";
  };
  mlflow::MlflowClient client(uri);
  const std::string run_id = ids["run_id"];
  SearchRunsOptions search;
  search.filter_string = "params.lr = '0.01' AND metrics.loss < 1";
  const auto runs = client.search_runs({ids["experiment_id"].get<std::string>()}, search);
  check(runs.size() == 1 && runs[0].info.run_id == run_id, "search_runs");
  const mlflow::Run run = client.get_run(run_id);
  check(run.info.run_name == "py-run" && run.data.metrics.at("loss") == 1.0 / 500, "get_run");
  check(client.get_metric_history(run_id, "loss").size() == 500, "get_metric_history");
  const RegisteredModel model = client.get_registered_model("py-model");
  check(model.tags.at("owner") == "python" && model.aliases.at("champion") == "1",
        "get_registered_model");
  check(client.get_model_version_by_alias("py-model", "champion").run_id == run_id,
        "get_model_version_by_alias");
  check(client.search_model_versions().size() == 1, "search_model_versions");
  check(client.get_latest_versions("py-model").size() == 1, "get_latest_versions");
  auto refused = [&](const std::string& what, const std::function<void()>& write) {
    try {
      write();
      check(false, what + " was not refused");
    } catch (const MlflowException& e) {
      const std::string message = e.what();
      check(e.error_code() == ErrorCode::kPermissionDenied &&
                message.find("read-only") != std::string::npos &&
                message.find("writable location") != std::string::npos,
            what + ": " + message);
    }
  };
  refused("log_metric", [&] { client.log_metric(run_id, "loss", 0.5); });
  refused("set_registered_model_tag",
          [&] { client.set_registered_model_tag("py-model", "k", "v"); });
  return failures.str();
}

// Issue 15: a file Python created, on a read-only bind mount, is searched and read through
// tracking and registry, writes fail saying why, and the file keeps its bytes and journal mode;
// Python still reads it afterwards (also after C++ wrote to it where it may).
TEST(SqliteInterop, PythonFileInAReadOnlyPlaceIsReadAndLeftAsFound) {
  const std::string dir = mlflow::testing::make_temp_dir("sqlite-interop-ro");
  const std::string src = dir + "/src";
  std::filesystem::create_directories(src);
  const std::string db = src + "/py.db";
  const json ids = run_python(dir, "write-all 'sqlite:///" + db + "'");
  ASSERT_FALSE(ids.is_null());
  ASSERT_EQ(mlflow::testing::recorded_journal_mode(db), "rollback")
      << "MLflow 3.18 leaves the default journal";
  const std::string before = mlflow::testing::file_bytes(db);
  {
    mlflow::testing::ReadOnlyView view(src);
    SCOPED_TRACE(view.describe());
    EXPECT_EQ(view.run_reader(
                  [&] { return read_python_file("sqlite:///" + view.path() + "/py.db", ids); }),
              "");
  }
  EXPECT_TRUE(mlflow::testing::file_bytes(db) == before) << "C++ changed a file it only read";
  EXPECT_EQ(mlflow::testing::recorded_journal_mode(db), "rollback");
  EXPECT_EQ(mlflow::testing::sqlite_sidecar_files(db), std::vector<std::string>{});

  // Where it may write, C++ writes in the file's own journal mode.
  {
    mlflow::MlflowClient client("sqlite:///" + db);
    client.log_metric(ids["run_id"], "from_cpp", 7.0);
    client.set_registered_model_tag("py-model", "cpp", "yes");
  }
  EXPECT_EQ(mlflow::testing::recorded_journal_mode(db), "rollback");
  EXPECT_EQ(mlflow::testing::sqlite_sidecar_files(db), std::vector<std::string>{});

  // Python reads it from a read-only place afterwards. (In the permission fallback Python
  // runs as root, for which the file is not read-only: there this checks only that Python
  // reads what both wrote.)
  mlflow::testing::ReadOnlyView view(src);
  SCOPED_TRACE(view.describe());
  const json got = run_python(dir, "read-all 'sqlite:///" + view.path() + "/py.db' loss");
  ASSERT_FALSE(got.is_null());
  bool seen = false;
  for (const json& r : got["runs"]) {
    if (r["run_id"] != ids["run_id"]) continue;
    seen = true;
    EXPECT_EQ(r["metrics"]["from_cpp"].get<double>(), 7.0);
    EXPECT_EQ(r["history"].size(), 500u);
  }
  EXPECT_TRUE(seen);
  ASSERT_EQ(got["registered_models"].size(), 1u);
  EXPECT_EQ(got["registered_models"][0]["tags"], (json{{"owner", "python"}, {"cpp", "yes"}}));
  EXPECT_EQ(got["registered_models"][0]["aliases"], (json{{"champion", 1}}));  // Python: int
  ASSERT_EQ(got["model_versions"].size(), 1u);
  EXPECT_EQ(got["model_versions"][0]["run_id"], ids["run_id"]);
}

}  // namespace
}  // namespace mlflow::internal
