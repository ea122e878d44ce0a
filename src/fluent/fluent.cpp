// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent functions (Python's mlflow/tracking/fluent.py) on top of the default MlflowClient.

#include "mlflow/fluent.hpp"

#include <utility>

#include "async/async_logger.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "fluent/state.hpp"
#include "mlflow/errors.hpp"
#include "system_metrics/monitor.hpp"

namespace mlflow {
namespace {

constexpr const char* kParentRunIdTag = "mlflow.parentRunId";
constexpr const char* kRunNameTag = "mlflow.runName";
constexpr const char* kRunNoteTag = "mlflow.note.content";

Experiment activate_experiment(const Experiment& experiment) {
  if (experiment.lifecycle_stage != "active") {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Cannot set a deleted experiment '" + experiment.name +
                    "' as the active experiment. You can restore the experiment, or "
                    "permanently delete the experiment to create a new one.");
  }
  internal::set_active_experiment_id(experiment.experiment_id);
  return experiment;
}

void add_description(std::map<std::string, std::string>& tags,
                     const std::optional<std::string>& description) {
  if (!description || description->empty()) return;
  if (tags.count(kRunNoteTag) != 0) {
    throw_error(ErrorCode::kInvalidParameterValue,
                std::string("Description is already set via the tag ") + kRunNoteTag +
                    " in tags.Remove the key " + kRunNoteTag +
                    " from the tags or omit the description.");
  }
  tags[kRunNoteTag] = *description;
}

// Makes `run` active in this thread, with a system metrics monitor when asked for.
ActiveRun activate_run(const Run& run, const MlflowClient& client, bool log_system_metrics,
                       bool resumed) {
  const auto token = internal::activate(run, client);
  if (log_system_metrics) {
    internal::attach_monitor(
        token, internal::start_system_metrics_monitor(client, run.info.run_id, resumed));
  }
  return make_active_run(run, token);
}

ActiveRun resume_run(MlflowClient& client, const std::string& run_id,
                     const StartRunOptions& options, bool log_system_metrics) {
  Run run = client.get_run(run_id);
  auto active_experiment = internal::active_experiment_id();
  if (active_experiment && *active_experiment != run.info.experiment_id) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Cannot start run with ID " + run_id +
                    " because active experiment ID does not match environment run ID. Make "
                    "sure --experiment-name or --experiment-id matches experiment set with "
                    "set_experiment(), or just use command-line arguments");
  }
  if (run.info.lifecycle_stage == "deleted") {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Cannot start run with ID " + run_id + " because it is in the deleted state.");
  }
  UpdateRunOptions update;
  update.status = RunStatus::kRunning;
  if (options.run_name && !options.run_name->empty()) update.name = options.run_name;
  client.update_run(run_id, update);
  auto tags = options.tags;
  add_description(tags, options.description);
  if (!tags.empty()) {
    std::vector<RunTag> batch;
    for (const auto& [key, value] : tags) batch.push_back(RunTag{key, value});
    client.log_batch(run_id, {}, {}, batch);
  }
  run = client.get_run(run_id);
  return activate_run(run, client, log_system_metrics, /*resumed=*/true);
}

}  // namespace

namespace internal {

Activation& active_run_or_start() {
  if (Activation* top = current_activation()) return *top;
  start_run().detach();  // as Python: logging with no active run starts one
  Activation* started = current_activation();
  if (started == nullptr) {
    // Only when another thread ended the new run at once (end_run of a moved ActiveRun).
    throw_error(ErrorCode::kInvalidState, "The run started for this call was ended meanwhile.");
  }
  return *started;
}

}  // namespace internal

// ---- Experiments ----------------------------------------------------------------------------

Experiment set_experiment(const std::string& experiment_name) {
  if (experiment_name.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Must specify exactly one of: `experiment_id` or `experiment_name`.");
  }
  auto client = default_client();
  auto experiment = client.get_experiment_by_name(experiment_name);
  if (!experiment) {
    internal::log(LogLevel::kInfo, "Experiment with name '" + experiment_name +
                                       "' does not exist. Creating a new experiment.");
    try {
      experiment = client.get_experiment(client.create_experiment(experiment_name));
    } catch (const AlreadyExists&) {
      // Another process created it between the lookup and the create (Python's race note).
      experiment = client.get_experiment_by_name(experiment_name);
      if (!experiment) throw;
    }
  }
  return activate_experiment(*experiment);
}

Experiment set_experiment_by_id(const std::string& experiment_id) {
  if (experiment_id.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Must specify exactly one of: `experiment_id` or `experiment_name`.");
  }
  Experiment experiment;
  try {
    experiment = default_client().get_experiment(experiment_id);
  } catch (const NotFound&) {
    throw_error(ErrorCode::kResourceDoesNotExist,
                "Experiment with ID '" + experiment_id + "' does not exist.");
  }
  return activate_experiment(experiment);
}

Experiment get_experiment(const std::string& experiment_id) {
  return default_client().get_experiment(experiment_id);
}

std::optional<Experiment> get_experiment_by_name(const std::string& name) {
  return default_client().get_experiment_by_name(name);
}

std::string create_experiment(const std::string& name, const CreateExperimentOptions& options) {
  return default_client().create_experiment(name, options);
}

void delete_experiment(const std::string& experiment_id) {
  default_client().delete_experiment(experiment_id);
}

void restore_experiment(const std::string& experiment_id) {
  default_client().restore_experiment(experiment_id);
}

std::vector<Experiment> search_experiments(ViewType view_type,
                                           std::optional<std::int64_t> max_results,
                                           const std::string& filter_string,
                                           const std::vector<std::string>& order_by) {
  SearchExperimentsOptions options;
  options.view_type = view_type;
  options.filter_string = filter_string;
  options.order_by = order_by;
  if (max_results) options.max_results = std::min<std::int64_t>(*max_results, 50000);
  std::vector<Experiment> out;
  if (max_results && *max_results <= 0) return out;
  for (const auto& experiment : default_client().search_experiments_all(options)) {
    out.push_back(experiment);
    if (max_results && static_cast<std::int64_t>(out.size()) >= *max_results) break;
  }
  return out;
}

void set_experiment_tag(const std::string& key, const std::string& value) {
  default_client().set_experiment_tag(internal::resolve_experiment_id(), key, value);
}

void set_experiment_tags(const OrderedDict<std::string>& tags) {
  const std::string experiment_id = internal::resolve_experiment_id();
  auto client = default_client();
  for (const auto& [key, value] : tags) client.set_experiment_tag(experiment_id, key, value);
}

void delete_experiment_tag(const std::string& key) {
  default_client().delete_experiment_tag(internal::resolve_experiment_id(), key);
}

// ---- Runs -----------------------------------------------------------------------------------

ActiveRun start_run(const StartRunOptions& options) {
  auto stack = internal::current_stack();
  if (!stack.empty() && !options.nested) {
    throw_error(ErrorCode::kInvalidState,
                "Run with UUID " + stack.front().run.info.run_id +
                    " is already active. To start a new run, first end the current run with "
                    "mlflow.end_run(). To start a nested run, call start_run with nested=True");
  }
  // Resolved first: an invalid MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING fails before a run exists.
  const bool log_system_metrics = internal::system_metrics_enabled(options.log_system_metrics);
  auto client = default_client();
  std::optional<std::string> existing = options.run_id;
  if (existing && existing->empty()) existing.reset();
  if (!existing) existing = internal::take_env_run_id();
  if (existing) return resume_run(client, *existing, options, log_system_metrics);

  std::optional<std::string> parent_run_id = options.parent_run_id;
  if (parent_run_id) {
    if (!stack.empty() && *parent_run_id != stack.back().run.info.run_id) {
      const std::string& current = stack.back().run.info.run_id;
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Current run with UUID " + current +
                      " does not match the specified parent_run_id " + *parent_run_id +
                      ". To start a new nested run under the parent run with UUID " + current +
                      ", first end the current run with mlflow.end_run().");
    }
    if (client.get_run(*parent_run_id).info.lifecycle_stage == "deleted") {
      throw_error(ErrorCode::kInvalidParameterValue, "Cannot start run under parent run with ID " +
                                                         *parent_run_id +
                                                         " because it is in the deleted state.");
    }
  } else if (!stack.empty()) {
    parent_run_id = stack.back().run.info.run_id;
  }

  const std::string experiment_id =
      options.experiment_id ? *options.experiment_id : internal::resolve_experiment_id();

  auto user_tags = options.tags;
  add_description(user_tags, options.description);
  if (parent_run_id) user_tags[kParentRunIdTag] = *parent_run_id;
  if (options.run_name && !options.run_name->empty()) user_tags[kRunNameTag] = *options.run_name;

  CreateRunOptions create;
  create.tags = resolve_tags(user_tags);  // user tags win
  if (options.run_name && !options.run_name->empty()) create.run_name = options.run_name;
  Run run = client.create_run(experiment_id, create);
  return activate_run(run, client, log_system_metrics, /*resumed=*/false);
}

std::map<std::string, std::string> resolve_tags(const std::map<std::string, std::string>& tags) {
  auto resolved = internal::context_tags();
  for (const auto& [key, value] : tags) resolved[key] = value;
  return resolved;
}

std::optional<Run> active_run() {
  auto stack = internal::current_stack();
  if (stack.empty()) return std::nullopt;
  return stack.back().run;
}

std::optional<Run> last_active_run() {
  auto stack = internal::current_stack();
  if (!stack.empty()) return stack.back().client.get_run(stack.back().run.info.run_id);
  auto id = internal::last_active_run_id();
  if (!id) return std::nullopt;
  return default_client().get_run(*id);
}

void end_run(RunStatus status) {
  auto stack = internal::current_stack();
  if (stack.empty()) return;
  const auto& top = stack.back();
  auto client = internal::deactivate(top.token, top.run.info.run_id);
  if (!client) return;
  SetTerminatedOptions options;
  options.status = status;
  client->set_terminated(top.run.info.run_id, options);
}

Run get_run(const std::string& run_id) { return default_client().get_run(run_id); }

std::optional<Run> get_parent_run(const std::string& run_id) {
  return default_client().get_parent_run(run_id);
}

void delete_run(const std::string& run_id) { default_client().delete_run(run_id); }

void restore_run(const std::string& run_id) { default_client().restore_run(run_id); }

std::vector<Run> search_runs(const FluentSearchRunsOptions& options) {
  auto client = default_client();
  std::vector<std::string> experiment_ids = options.experiment_ids;
  if (!experiment_ids.empty() && !options.experiment_names.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Only experiment_ids or experiment_names can be used, but not both");
  }
  if (options.search_all_experiments && experiment_ids.empty() &&
      options.experiment_names.empty()) {
    SearchExperimentsOptions active_only;
    active_only.max_results = 50000;
    for (const auto& e : client.search_experiments_all(active_only)) {
      experiment_ids.push_back(e.experiment_id);
    }
  } else if (!options.experiment_names.empty()) {
    for (const auto& name : options.experiment_names) {
      if (auto e = client.get_experiment_by_name(name)) {
        experiment_ids.push_back(e->experiment_id);
      } else {
        internal::log(LogLevel::kWarning, "Cannot retrieve experiment by name " + name);
      }
    }
    if (experiment_ids.empty()) return {};
  } else if (experiment_ids.empty()) {
    experiment_ids.push_back(internal::resolve_experiment_id());
  }
  std::vector<Run> out;
  if (options.max_results <= 0) return out;
  SearchRunsOptions search;
  search.filter_string = options.filter_string;
  search.run_view_type = options.run_view_type;
  search.order_by = options.order_by;
  search.max_results = static_cast<int>(std::min<std::int64_t>(options.max_results, 50000));
  for (const auto& run : client.search_runs_all(experiment_ids, search)) {
    out.push_back(run);
    if (static_cast<std::int64_t>(out.size()) >= options.max_results) break;
  }
  return out;
}

// ---- Logging --------------------------------------------------------------------------------

void log_metric(const std::string& key, double value, const LogMetricOptions& options) {
  internal::Activation& run = internal::active_run_or_start();
  run.client.log_metric(run.run_id(), key, value, options);
}

void log_metrics(const OrderedDict<double>& metrics, std::optional<std::int64_t> step,
                 std::optional<bool> synchronous) {
  internal::Activation& run = internal::active_run_or_start();
  const std::int64_t timestamp = internal::now_millis();
  std::vector<Metric> batch;
  for (const auto& [key, value] : metrics) {
    Metric m;
    m.key = key;
    m.value = value;
    m.timestamp = timestamp;
    m.step = step.value_or(0);
    batch.push_back(std::move(m));
  }
  run.client.log_batch(run.run_id(), batch, {}, {}, LogBatchOptions{synchronous});
}

std::string log_param(const std::string& key, const std::string& value,
                      std::optional<bool> synchronous) {
  internal::Activation& run = internal::active_run_or_start();
  run.client.log_param(run.run_id(), key, value, LogParamOptions{synchronous});
  return value;
}

void log_params(const OrderedDict<std::string>& params, std::optional<bool> synchronous) {
  internal::Activation& run = internal::active_run_or_start();
  std::vector<Param> batch;
  for (const auto& [key, value] : params) batch.push_back(Param{key, value});
  run.client.log_batch(run.run_id(), {}, batch, {}, LogBatchOptions{synchronous});
}

void set_tag(const std::string& key, const std::string& value, std::optional<bool> synchronous) {
  internal::Activation& run = internal::active_run_or_start();
  run.client.set_tag(run.run_id(), key, value, SetTagOptions{synchronous});
}

void set_tags(const OrderedDict<std::string>& tags, std::optional<bool> synchronous) {
  internal::Activation& run = internal::active_run_or_start();
  std::vector<RunTag> batch;
  for (const auto& [key, value] : tags) batch.push_back(RunTag{key, value});
  run.client.log_batch(run.run_id(), {}, {}, batch, LogBatchOptions{synchronous});
}

void flush_async_logging() { internal::flush_all_async_loggers(); }

bool flush_async_logging(std::chrono::milliseconds timeout) {
  return internal::flush_all_async_loggers(timeout);
}

bool shutdown_async_logging(std::chrono::milliseconds timeout) {
  return internal::shutdown_all_async_loggers(timeout);
}

void delete_tag(const std::string& key) {
  internal::Activation& run = internal::active_run_or_start();
  run.client.delete_tag(run.run_id(), key);
}

void log_input(const Dataset& dataset, const std::optional<std::string>& context,
               const std::map<std::string, std::string>& tags) {
  DatasetInput input;
  input.dataset = dataset;
  for (const auto& [key, value] : tags) input.tags.push_back(InputTag{key, value});
  if (context) input.tags.push_back(InputTag{"mlflow.data.context", *context});
  log_inputs({input});
}

void log_inputs(const std::vector<DatasetInput>& datasets) {
  internal::Activation& run = internal::active_run_or_start();
  run.client.log_inputs(run.run_id(), datasets);
}

}  // namespace mlflow
