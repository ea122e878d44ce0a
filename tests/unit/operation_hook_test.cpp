// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The operation hook (ADR 0014): every public MlflowClient operation passes it once at depth 0
// with its Python name and kind (a table over the embedded store, every family), a veto stops
// the operation before the store sees it, outcome/duration/sizes are right, asynchronous
// points are reported when queued, process-wide hooks come and go, and the cost with no hook.
#include "mlflow/operation_hook.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/client_impl.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "store/tracking_store.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {
namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Records every before() and after() (thread-safe, as hooks must be).
class Recorder : public OperationHook {
 public:
  struct After {
    Operation operation;
    OperationOutcome outcome;
  };
  void before(const Operation& operation) override {
    std::lock_guard<std::mutex> lock(mutex_);
    befores_.push_back(operation);
  }
  void after(const Operation& operation, const OperationOutcome& outcome) override {
    std::lock_guard<std::mutex> lock(mutex_);
    afters_.push_back({operation, outcome});
  }
  std::vector<Operation> befores() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return befores_;
  }
  std::vector<After> afters() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return afters_;
  }
  std::vector<After> top_level() const {
    std::vector<After> out;
    for (const auto& a : afters()) {
      if (a.operation.depth == 0) out.push_back(a);
    }
    return out;
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    befores_.clear();
    afters_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Operation> befores_;
  std::vector<After> afters_;
};

std::string write_file(const fs::path& path, std::size_t bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << std::string(bytes, 'x');
  return path.string();
}

// An embedded client with a recording hook, an experiment and a run in a temp directory.
struct Embedded {
  fs::path base = testing::make_temp_dir("operation-hook");
  std::shared_ptr<Recorder> recorder = std::make_shared<Recorder>();
  MlflowClient client = [this] {
    ClientOptions options;
    options.tracking_uri = "sqlite:///" + (base / "mlflow.db").string();
    options.operation_hooks = {recorder};
    return MlflowClient(options);
  }();
  std::string experiment_id = [this] {
    CreateExperimentOptions o;
    o.artifact_location = (base / "artifacts").string();
    return client.create_experiment("hooked", o);
  }();
  std::string run_id = client.create_run(experiment_id).info.run_id;
};

struct Step {
  const char* name;
  OperationKind kind;
  std::function<void()> call;
  /// Extra checks on the depth-0 operation as after() saw it.
  std::function<void(const Operation&)> check = nullptr;
};

TEST(OperationHook, EveryClientOperationPassesOnceAtDepthZero) {
  Embedded e;
  MlflowClient& c = e.client;
  const std::string& run = e.run_id;
  const std::string& exp = e.experiment_id;
  const std::string file = write_file(e.base / "in" / "weights.bin", 1234);
  const std::string dir = (e.base / "in").string();
  write_file(e.base / "in" / "sub" / "more.bin", 766);
  std::string other_exp;
  std::string child;
  std::string model_id;
  constexpr auto kT = OperationKind::kTracking;
  constexpr auto kLM = OperationKind::kLoggedModel;
  constexpr auto kR = OperationKind::kRegistry;
  constexpr auto kP = OperationKind::kPrompt;
  constexpr auto kW = OperationKind::kWorkspace;
  constexpr auto kUp = OperationKind::kArtifactUpload;
  constexpr auto kDown = OperationKind::kArtifactDownload;
  const auto on_run = [&](const Operation& op) { EXPECT_EQ(op.target.run_id, run); };
  const std::vector<Step> steps = {
      // Experiments
      {"create_experiment", kT, [&] { other_exp = c.create_experiment("other"); },
       [&](const Operation& op) { EXPECT_EQ(op.target.experiment_id, other_exp); }},
      {"get_experiment", kT, [&] { c.get_experiment(exp); },
       [&](const Operation& op) { EXPECT_EQ(op.target.experiment_id, exp); }},
      {"get_experiment_by_name", kT, [&] { c.get_experiment_by_name("hooked"); },
       [&](const Operation& op) { EXPECT_EQ(op.target.experiment_id, exp); }},
      {"search_experiments", kT, [&] { c.search_experiments(); }},
      {"search_experiments", kT, [&] { c.search_experiments_all().to_vector(); }},
      {"rename_experiment", kT, [&] { c.rename_experiment(other_exp, "other2"); }},
      {"set_experiment_tag", kT, [&] { c.set_experiment_tag(exp, "k", "v"); }},
      {"delete_experiment_tag", kT, [&] { c.delete_experiment_tag(exp, "k"); }},
      {"delete_experiment", kT, [&] { c.delete_experiment(other_exp); }},
      {"restore_experiment", kT, [&] { c.restore_experiment(other_exp); }},
      // Runs
      {"create_run", kT,
       [&] {
         CreateRunOptions o;
         o.tags = {{"mlflow.parentRunId", run}};
         child = c.create_run(exp, o).info.run_id;
       },
       [&](const Operation& op) {
         EXPECT_EQ(op.target.experiment_id, exp);
         EXPECT_EQ(op.target.run_id, child);
         EXPECT_FALSE(op.target.artifact_uri.empty());
       }},
      {"get_run", kT, [&] { c.get_run(run); }, on_run},
      {"get_parent_run", kT, [&] { c.get_parent_run(child); }},
      {"update_run", kT,
       [&] {
         c.update_run(child, {std::nullopt, std::string("renamed")});
       }},
      {"search_runs", kT, [&] { c.search_runs({exp}); }},
      {"search_runs", kT, [&] { c.search_runs_all({exp}).to_vector(); }},
      {"set_terminated", kT, [&] { c.set_terminated(child); }},
      {"delete_run", kT, [&] { c.delete_run(child); }},
      {"restore_run", kT, [&] { c.restore_run(child); }},
      // Logging
      {"log_metric", kT, [&] { c.log_metric(run, "loss", 0.5); },
       [&](const Operation& op) {
         EXPECT_EQ(op.target.run_id, run);
         EXPECT_EQ(op.items, 1u);
         EXPECT_FALSE(op.asynchronous);
       }},
      {"log_param", kT, [&] { c.log_param(run, "lr", "0.1"); }, on_run},
      {"set_tag", kT, [&] { c.set_tag(run, "t", "1"); }, on_run},
      {"delete_tag", kT, [&] { c.delete_tag(run, "t"); }, on_run},
      {"log_batch", kT,
       [&] {
         c.log_batch(run, {Metric{"m", 1, 1, 0}, Metric{"m", 2, 2, 1}, Metric{"n", 3, 3, 0}},
                     {Param{"p1", "a"}, Param{"p2", "b"}}, {RunTag{"t2", "x"}});
       },
       [&](const Operation& op) { EXPECT_EQ(op.items, 6u); }},
      {"log_inputs", kT,
       [&] {
         DatasetInput input;
         input.dataset = Dataset{"d", "abc", "local", "/data", std::nullopt, std::nullopt};
         c.log_inputs(run, {input});
       },
       [&](const Operation& op) { EXPECT_EQ(op.items, 1u); }},
      {"get_metric_history", kT, [&] { c.get_metric_history(run, "m"); }, on_run},
      {"get_metric_history_bulk_interval", kT,
       [&] { c.get_metric_history_bulk_interval({run}, "m"); }},
      // Artifacts
      {"log_artifact", kUp, [&] { c.log_artifact(run, file, "w"); },
       [&](const Operation& op) {
         EXPECT_EQ(op.bytes, 1234u);
         EXPECT_EQ(op.target.artifact_path, "w");
         EXPECT_THAT(op.target.artifact_uri, HasSubstr(run));
       }},
      {"log_artifacts", kUp, [&] { c.log_artifacts(run, dir, "all"); },
       [&](const Operation& op) { EXPECT_EQ(op.bytes, 2000u); }},
      {"list_artifacts", kDown, [&] { c.list_artifacts(run, "w"); }, on_run},
      {"download_artifacts", kDown,
       [&] { c.download_artifacts(run, "w", (e.base / "out").string()); },
       [&](const Operation& op) { EXPECT_EQ(op.bytes, 1234u); }},
      {"log_text", kUp, [&] { c.log_text(run, "hello", "notes/a.txt"); },
       [&](const Operation& op) { EXPECT_EQ(op.bytes, 5u); }},
      {"log_dict", kUp, [&] { c.log_dict(run, R"({"a": 1})", "d.json"); }},
      {"log_table", kUp, [&] { c.log_table(run, R"({"a": [1, 2]})", "t.json"); }},
      {"load_table", kDown, [&] { c.load_table(exp, "t.json"); }},
      {"log_image", kUp,
       [&] {
         c.log_image(run, Image{1, 1, 3, {0, 0, 0}}, "i.png");
       }},
      {"log_image", kUp,
       [&] {
         LogImageOptions o;
         o.key = "sample";
         c.log_image(run, Image{1, 1, 3, {0, 0, 0}}, o);
       }},
      // Logged models
      {"create_logged_model", kLM,
       [&] {
         CreateLoggedModelOptions o;
         o.params = {{"a", "1"}, {"b", "2"}};
         model_id = c.create_logged_model(exp, o).model_id;
       },
       [&](const Operation& op) {
         EXPECT_EQ(op.target.model_id, model_id);
         EXPECT_EQ(op.items, 2u);
       }},
      {"get_logged_model", kLM, [&] { c.get_logged_model(model_id); },
       [&](const Operation& op) { EXPECT_EQ(op.target.model_id, model_id); }},
      {"set_logged_model_tags", kLM,
       [&] {
         c.set_logged_model_tags(model_id, {{"k", "v"}});
       }},
      {"delete_logged_model_tag", kLM, [&] { c.delete_logged_model_tag(model_id, "k"); }},
      {"log_model_params", kLM,
       [&] {
         c.log_model_params(model_id, {{"c", "3"}});
       }},
      {"log_outputs", kLM,
       [&] {
         c.log_outputs(run, {ModelOutput{model_id, 0}});
       }},
      {"search_logged_models", kLM, [&] { c.search_logged_models({exp}); }},
      {"log_model_artifact", kUp, [&] { c.log_model_artifact(model_id, file); },
       [&](const Operation& op) {
         EXPECT_EQ(op.target.model_id, model_id);
         EXPECT_EQ(op.bytes, 1234u);
       }},
      {"log_model_artifacts", kUp, [&] { c.log_model_artifacts(model_id, dir, "d"); }},
      {"list_logged_model_artifacts", kDown, [&] { c.list_logged_model_artifacts(model_id); }},
      {"finalize_logged_model", kLM,
       [&] { c.finalize_logged_model(model_id, LoggedModelStatus::kReady); }},
      {"log_model", kLM, [&] { c.log_model(run, file); },
       [&](const Operation& op) {
         EXPECT_EQ(op.bytes, 1234u);
         EXPECT_FALSE(op.target.model_id.empty());
       }},
      // Registry
      {"create_registered_model", kR, [&] { c.create_registered_model("rm"); },
       [&](const Operation& op) { EXPECT_EQ(op.target.registered_model, "rm"); }},
      {"get_registered_model", kR, [&] { c.get_registered_model("rm"); }},
      {"rename_registered_model", kR, [&] { c.rename_registered_model("rm", "rm2"); }},
      {"update_registered_model", kR, [&] { c.update_registered_model("rm2", "desc"); }},
      {"set_registered_model_tag", kR, [&] { c.set_registered_model_tag("rm2", "k", "v"); }},
      {"delete_registered_model_tag", kR, [&] { c.delete_registered_model_tag("rm2", "k"); }},
      {"search_registered_models", kR, [&] { c.search_registered_models(); }},
      {"search_registered_models", kR, [&] { c.search_registered_models_all().to_vector(); }},
      {"create_model_version", kR, [&] { c.create_model_version("rm2", "s3://b/m"); },
       [&](const Operation& op) { EXPECT_EQ(op.target.version, "1"); }},
      {"get_model_version", kR, [&] { c.get_model_version("rm2", "1"); },
       [&](const Operation& op) {
         EXPECT_EQ(op.target.registered_model, "rm2");
         EXPECT_EQ(op.target.version, "1");
       }},
      {"update_model_version", kR, [&] { c.update_model_version("rm2", "1", "d"); }},
      {"transition_model_version_stage", kR,
       [&] { c.transition_model_version_stage("rm2", "1", "Staging"); }},
      {"get_latest_versions", kR, [&] { c.get_latest_versions("rm2"); }},
      {"set_model_version_tag", kR, [&] { c.set_model_version_tag("rm2", "1", "k", "v"); }},
      {"delete_model_version_tag", kR, [&] { c.delete_model_version_tag("rm2", "1", "k"); }},
      {"set_registered_model_alias", kR, [&] { c.set_registered_model_alias("rm2", "a", "1"); }},
      {"get_model_version_by_alias", kR, [&] { c.get_model_version_by_alias("rm2", "a"); },
       [&](const Operation& op) { EXPECT_EQ(op.target.version, "1"); }},
      {"delete_registered_model_alias", kR, [&] { c.delete_registered_model_alias("rm2", "a"); }},
      {"search_model_versions", kR, [&] { c.search_model_versions(); }},
      {"search_model_versions", kR, [&] { c.search_model_versions_all().to_vector(); }},
      {"get_model_version_download_uri", kR, [&] { c.get_model_version_download_uri("rm2", "1"); }},
      {"register_model", kR, [&] { c.register_model("models:/" + model_id, "rm2"); },
       [&](const Operation& op) { EXPECT_EQ(op.target.version, "2"); }},
      {"delete_model_version", kR, [&] { c.delete_model_version("rm2", "1"); }},
      {"delete_registered_model", kR, [&] { c.delete_registered_model("rm2"); }},
      // Prompts
      {"register_prompt", kP, [&] { c.register_prompt("pr", "Hi {{name}}"); },
       [&](const Operation& op) { EXPECT_EQ(op.target.prompt, "pr"); }},
      {"register_prompt", kP,
       [&] {
         c.register_prompt("pr", std::vector<ChatMessage>{{"user", "Hi {{name}}"}});
       }},
      {"load_prompt", kP, [&] { c.load_prompt("prompts:/pr/1"); },
       [&](const Operation& op) {
         EXPECT_EQ(op.target.prompt, "pr");
         EXPECT_EQ(op.target.version, "1");
       }},
      {"search_prompts", kP, [&] { c.search_prompts(); }},
      {"search_prompt_versions", kP, [&] { c.search_prompt_versions("pr"); }},
      {"get_prompt", kP, [&] { c.get_prompt("pr"); }},
      {"get_prompt_version", kP, [&] { c.get_prompt_version("pr", 1); }},
      {"set_prompt_alias", kP, [&] { c.set_prompt_alias("pr", "prod", 1); }},
      {"get_prompt_version_by_alias", kP, [&] { c.get_prompt_version_by_alias("pr", "prod"); }},
      {"delete_prompt_alias", kP, [&] { c.delete_prompt_alias("pr", "prod"); }},
      {"set_prompt_tag", kP, [&] { c.set_prompt_tag("pr", "k", "v"); }},
      {"delete_prompt_tag", kP, [&] { c.delete_prompt_tag("pr", "k"); }},
      {"set_prompt_version_tag", kP, [&] { c.set_prompt_version_tag("pr", 1, "k", "v"); }},
      {"delete_prompt_version_tag", kP, [&] { c.delete_prompt_version_tag("pr", 1, "k"); }},
      {"set_prompt_model_config", kP,
       [&] {
         PromptModelConfig config;
         config.model_name = "gpt";
         c.set_prompt_model_config("pr", 1, config);
       }},
      {"delete_prompt_model_config", kP, [&] { c.delete_prompt_model_config("pr", 1); }},
      {"delete_prompt_version", kP, [&] { c.delete_prompt_version("pr", 2); }},
      {"delete_prompt", kP, [&] { c.delete_prompt("pr"); }},
      // Workspaces
      {"list_workspaces", kW, [&] { c.list_workspaces(); }},
      {"create_workspace", kW, [&] { c.create_workspace("team-a"); },
       [&](const Operation& op) { EXPECT_EQ(op.target.workspace, "team-a"); }},
      {"get_workspace", kW, [&] { c.get_workspace("team-a"); }},
      {"update_workspace", kW,
       [&] {
         UpdateWorkspaceOptions o;
         o.description = "A";
         c.update_workspace("team-a", o);
       }},
      {"delete_workspace", kW, [&] { c.delete_workspace("team-a"); }},
  };
  for (const Step& step : steps) {
    SCOPED_TRACE(step.name);
    e.recorder->clear();
    ASSERT_NO_THROW(step.call());
    const auto top = e.recorder->top_level();
    ASSERT_FALSE(top.empty());
    // A paged range (search_*_all) reports each page it fetches; anything else is one call.
    if (std::string(step.name).rfind("search_", 0) != 0) {
      ASSERT_EQ(top.size(), 1u);
    }
    for (const auto& t : top) EXPECT_EQ(t.operation.name, step.name);
    EXPECT_EQ(top.front().operation.name, step.name);
    EXPECT_EQ(top.front().operation.kind, step.kind);
    EXPECT_TRUE(top.front().outcome.ok) << top.front().outcome.error_message;
    EXPECT_EQ(top.front().operation.tracking_uri, c.tracking_uri());
    // Every before() has its after(), nested calls included.
    EXPECT_EQ(e.recorder->befores().size(), e.recorder->afters().size());
    if (step.check) step.check(top.front().operation);
  }
}

// A tracking store that counts what reaches it.
class CountingStore : public internal::TrackingStore {
 public:
  std::atomic<int> calls{0};
  std::chrono::milliseconds get_run_delay{0};
  Run get_run(const std::string& run_id) override {
    ++calls;
    std::this_thread::sleep_for(get_run_delay);
    if (run_id == "missing") throw_error(ErrorCode::kResourceDoesNotExist, "no such run");
    Run run;
    run.info.run_id = run_id;
    run.info.artifact_uri = "/nonexistent/artifacts";
    return run;
  }
  void log_metric(const std::string&, const Metric&) override { ++calls; }
  void set_tag(const std::string&, const RunTag&) override { ++calls; }
};

// Refuses the operations it is told to, as a budget or a size policy would.
class Veto : public OperationHook {
 public:
  explicit Veto(std::function<bool(const Operation&)> refuse) : refuse_(std::move(refuse)) {}
  void before(const Operation& operation) override {
    if (refuse_(operation)) {
      throw MlflowException(ErrorCode::kResourceExhausted,
                            "refused " + std::string(operation.name));
    }
  }

 private:
  std::function<bool(const Operation&)> refuse_;
};

TEST(OperationHook, AVetoStopsTheOperationBeforeTheStoreSeesIt) {
  auto store = std::make_shared<CountingStore>();
  auto first = std::make_shared<Recorder>();
  auto veto = std::make_shared<Veto>([](const Operation& op) {
    return op.name == "log_metric" || (op.kind == OperationKind::kArtifactUpload && op.bytes > 100);
  });
  auto last = std::make_shared<Recorder>();
  internal::Backend backend;
  backend.tracking = store;
  MlflowClient client = internal::make_client(backend, "custom-store", {first, veto, last});

  try {
    client.log_metric("r", "loss", 1.0);
    FAIL() << "the veto did not stop log_metric";
  } catch (const MlflowException& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kResourceExhausted);
    EXPECT_STREQ(e.what(), "refused log_metric");
  }
  // A file over the size limit: not even the run is read (nothing is sent).
  const fs::path base = testing::make_temp_dir("veto");
  EXPECT_THROW(client.log_artifact("r", write_file(base / "big.bin", 101)), MlflowException);
  EXPECT_EQ(store->calls.load(), 0);

  // The hook before the veto hears of it; the one after never saw the operation.
  const auto heard = first->afters();
  ASSERT_EQ(heard.size(), 2u);
  const auto& vetoed = heard.front();
  EXPECT_EQ(vetoed.operation.name, "log_metric");
  EXPECT_TRUE(vetoed.outcome.vetoed);
  EXPECT_FALSE(vetoed.outcome.ok);
  EXPECT_EQ(vetoed.outcome.error_code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(heard.back().operation.bytes, 101u);
  EXPECT_TRUE(last->befores().empty());
  EXPECT_TRUE(last->afters().empty());

  // What the veto lets through reaches the store.
  client.set_tag("r", "k", "v");
  EXPECT_EQ(store->calls.load(), 1);
}

TEST(OperationHook, OutcomeCarriesTheErrorAndTheDuration) {
  auto store = std::make_shared<CountingStore>();
  store->get_run_delay = std::chrono::milliseconds(5);
  auto recorder = std::make_shared<Recorder>();
  internal::Backend backend;
  backend.tracking = store;
  MlflowClient client = internal::make_client(backend, "custom-store", {recorder});

  EXPECT_THROW(client.get_run("missing"), NotFound);
  client.get_run("present");
  const auto afters = recorder->afters();
  ASSERT_EQ(afters.size(), 2u);
  EXPECT_FALSE(afters[0].outcome.ok);
  EXPECT_FALSE(afters[0].outcome.vetoed);
  EXPECT_EQ(afters[0].outcome.error_code, ErrorCode::kResourceDoesNotExist);
  EXPECT_THAT(afters[0].outcome.error_message, HasSubstr("no such run"));
  EXPECT_EQ(afters[0].operation.target.run_id, "missing");
  EXPECT_TRUE(afters[1].outcome.ok);
  // The store's 5 ms are inside the measured duration (a lower bound, not a speed claim).
  EXPECT_GE(afters[0].outcome.duration, std::chrono::milliseconds(5));
  EXPECT_GE(afters[1].outcome.duration, std::chrono::milliseconds(5));
}

TEST(OperationHook, AsynchronousPointsAreReportedWhenQueuedNotWhenSent) {
  Embedded e;
  e.recorder->clear();
  LogMetricOptions o;
  o.synchronous = false;
  for (int step = 0; step < 10; ++step) {
    o.step = step;
    e.client.log_metric(e.run_id, "queued", step, o);
  }
  const auto queued = e.recorder->afters();
  ASSERT_EQ(queued.size(), 10u);
  for (const auto& a : queued) {
    EXPECT_EQ(a.operation.name, "log_metric");
    EXPECT_TRUE(a.operation.asynchronous);
    EXPECT_EQ(a.operation.items, 1u);
    EXPECT_TRUE(a.outcome.ok);
  }
  e.client.flush_async_logging();
  EXPECT_EQ(e.recorder->afters().size(), 10u);  // the worker's log_batch is not reported again
  e.recorder->clear();
  EXPECT_EQ(e.client.get_metric_history(e.run_id, "queued").size(), 10u);
}

TEST(OperationHook, NestedCallsCarryTheirDepth) {
  Embedded e;
  CreateRunOptions o;
  o.tags = {{"mlflow.parentRunId", e.run_id}};
  const std::string child = e.client.create_run(e.experiment_id, o).info.run_id;
  e.recorder->clear();
  e.client.get_parent_run(child);
  std::vector<std::string> seen;
  for (const auto& a : e.recorder->afters()) {
    seen.push_back(std::string(a.operation.name) + "@" + std::to_string(a.operation.depth));
  }
  // after() order: inner calls end first.
  EXPECT_THAT(seen, ElementsAre("get_run@1", "get_run@1", "get_parent_run@0"));
  // Ids are distinct; the inner calls name the outer one as their parent.
  const auto afters = e.recorder->afters();
  const Operation& outer = afters[2].operation;
  EXPECT_NE(outer.id, 0u);
  EXPECT_EQ(outer.parent_id, 0u);
  EXPECT_EQ(afters[0].operation.parent_id, outer.id);
  EXPECT_EQ(afters[1].operation.parent_id, outer.id);
  EXPECT_NE(afters[0].operation.id, afters[1].operation.id);
  // The outer call's span covers the inner ones.
  EXPECT_LE(afters[2].outcome.started_at, afters[0].outcome.started_at);
  EXPECT_GE(afters[2].outcome.duration, afters[0].outcome.duration);
}

TEST(OperationHook, ProcessWideHooksRunFirstAndCanBeRemoved) {
  auto store = std::make_shared<CountingStore>();
  std::vector<std::string> order;
  std::mutex mutex;
  class Named : public OperationHook {
   public:
    Named(std::string name, std::vector<std::string>& order, std::mutex& mutex)
        : name_(std::move(name)), order_(order), mutex_(mutex) {}
    void before(const Operation&) override {
      std::lock_guard<std::mutex> lock(mutex_);
      order_.push_back("before " + name_);
    }
    void after(const Operation&, const OperationOutcome&) override {
      std::lock_guard<std::mutex> lock(mutex_);
      order_.push_back("after " + name_);
    }

   private:
    std::string name_;
    std::vector<std::string>& order_;
    std::mutex& mutex_;
  };
  auto global = std::make_shared<Named>("global", order, mutex);
  auto own = std::make_shared<Named>("client", order, mutex);
  internal::Backend backend;
  backend.tracking = store;
  MlflowClient hooked = internal::make_client(backend, "custom-store", {own});
  MlflowClient plain = internal::make_client(store);

  add_operation_hook(global);
  hooked.set_tag("r", "k", "v");
  plain.set_tag("r", "k", "v");
  EXPECT_TRUE(remove_operation_hook(global));
  EXPECT_FALSE(remove_operation_hook(global));
  plain.set_tag("r", "k", "v");
  EXPECT_THAT(order, ElementsAre("before global", "before client", "after client", "after global",
                                 "before global", "after global"));
  EXPECT_EQ(store->calls.load(), 3);
}

TEST(OperationHook, AnAfterThatThrowsDoesNotUndoTheOperation) {
  class Throws : public OperationHook {
   public:
    void after(const Operation&, const OperationOutcome&) override {
      throw std::runtime_error("hook bug");
    }
  };
  auto store = std::make_shared<CountingStore>();
  internal::Backend backend;
  backend.tracking = store;
  MlflowClient client =
      internal::make_client(backend, "custom-store", {std::make_shared<Throws>()});
  EXPECT_NO_THROW(client.set_tag("r", "k", "v"));
  EXPECT_EQ(store->calls.load(), 1);
}

// Not a test of speed (nothing is asserted): prints what an operation costs with no hook, so
// the "one branch" claim of ADR 0014 can be read off a run.
TEST(OperationHook, PrintsTheCostOfTheHookPath) {
  auto store = std::make_shared<CountingStore>();
  internal::Backend backend;
  backend.tracking = store;
  MlflowClient plain = internal::make_client(backend);
  MlflowClient hooked =
      internal::make_client(backend, "custom-store", {std::make_shared<OperationHook>()});
  constexpr int kCalls = 200000;
  const auto per_call = [&](const std::function<void()>& call) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCalls; ++i) call();
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
               .count() /
           kCalls;
  };
  const RunTag tag{"key", "value"};
  const double direct = per_call([&] { store->set_tag("run", tag); });
  const double unobserved = per_call([&] { plain.set_tag("run", "key", "value"); });
  const double observed = per_call([&] { hooked.set_tag("run", "key", "value"); });
  // The hook path alone, around a body that only counts: what an unobserved operation pays.
  const internal::OperationHooks none({}, "custom-store");
  volatile int sink = 0;
  const double body_alone = per_call([&] { sink = sink + 1; });
  const double body_in_run = per_call([&] {
    none.run("set_tag", OperationKind::kTracking, internal::no_target(), [&] { sink = sink + 1; });
  });
  std::cout << "[ hook cost ] set_tag on a no-op store, ns/call: store directly " << direct
            << ", client without hooks " << unobserved << ", client with one no-op hook "
            << observed << " (client validation included in both client figures); an empty "
            << "body alone " << body_alone << ", inside OperationHooks::run with no hook "
            << body_in_run << "\n";
  EXPECT_EQ(store->calls.load(), 3 * kCalls);
}

}  // namespace
}  // namespace mlflow
