// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// MlflowClient: validation, chunking and paging over a TrackingStore, with the behaviour of
// Python's MlflowClient (mlflow/tracking/_tracking_service/client.py in 3.18).
#include "mlflow/mlflow_client.hpp"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "async/async_logger.hpp"
#include "client/backend_factory.hpp"
#include "client/client_impl.hpp"
#include "client/validation.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "core/metric_point.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "store/batching.hpp"
#include "store/tracking_store.hpp"

namespace mlflow {
namespace {

using internal::no_target;
using internal::on_experiment;
using internal::on_run;
constexpr OperationKind kTracking = OperationKind::kTracking;

// Python's GET_METRIC_HISTORY_MAX_RESULTS: the page size MlflowClient asks for.
constexpr int kMetricHistoryPageSize = 25000;
constexpr const char* kParentRunIdTag = "mlflow.parentRunId";
constexpr const char* kUserTag = "mlflow.user";

// The asynchronous logger checks a metric on the caller's thread with the client's rules (once
// per run id and key per thread; src/async includes nothing of src/client).
const internal::MetricCheck kMetricCheck{
    [](const std::string& run_id) { internal::validate_run_id(run_id); },
    [](const Metric& metric) { internal::validate_metric(metric); }};

void require_non_empty(const std::string& value, const std::string& name) {
  if (value.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Missing value for required parameter '" + name + "'.");
  }
}

}  // namespace

MlflowClient::MlflowClient() : MlflowClient(ClientOptions{}) {}

MlflowClient::MlflowClient(const std::string& tracking_uri)
    : MlflowClient([&] {
        ClientOptions options;
        options.tracking_uri = tracking_uri;
        return options;
      }()) {}

MlflowClient::MlflowClient(ClientOptions options) {
  const auto env = internal::process_env();
  const internal::ResolvedConfig config = internal::resolve_config(options, env);
  impl_ = std::make_shared<Impl>(internal::make_backend(config, options, env),
                                 internal::redact_secrets(config.tracking_uri),
                                 std::move(options.operation_hooks), config.async_logging);
}

MlflowClient::MlflowClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {
  if (!impl_) throw_error(ErrorCode::kInvalidParameterValue, "MlflowClient needs a backend.");
}

MlflowClient::Impl::Impl(internal::Backend backend, std::string tracking_uri,
                         std::vector<std::shared_ptr<OperationHook>> hooks, bool async_by_default)
    : backend_(internal::with_seam_defaults(std::move(backend))),
      tracking_uri_(std::move(tracking_uri)),
      hooks_(std::move(hooks), tracking_uri_),
      async_(kMetricCheck, tracking_uri_),
      async_by_default_(async_by_default) {}

namespace internal {

MlflowClient make_client(Backend backend, std::string tracking_uri,
                         std::vector<std::shared_ptr<OperationHook>> hooks) {
  // Without ClientOptions, only the environment says whether to log asynchronously.
  const bool async_by_default =
      env_bool(process_env(), "MLFLOW_ENABLE_ASYNC_LOGGING").value_or(false);
  return MlflowClient(std::make_shared<MlflowClient::Impl>(
      std::move(backend), std::move(tracking_uri), std::move(hooks), async_by_default));
}

MlflowClient make_client(std::shared_ptr<TrackingStore> tracking) {
  Backend backend;
  backend.tracking = std::move(tracking);
  return make_client(std::move(backend));
}

}  // namespace internal

MlflowClient::~MlflowClient() = default;
MlflowClient::MlflowClient(const MlflowClient&) = default;
MlflowClient& MlflowClient::operator=(const MlflowClient&) = default;
MlflowClient::MlflowClient(MlflowClient&&) noexcept = default;
MlflowClient& MlflowClient::operator=(MlflowClient&&) noexcept = default;

const std::string& MlflowClient::tracking_uri() const noexcept { return impl_->tracking_uri(); }

// ---- Experiments ------------------------------------------------------------------------------

std::string MlflowClient::create_experiment(const std::string& name,
                                            const CreateExperimentOptions& options) {
  return impl_->hooks().run("create_experiment", kTracking, no_target(), [&](Operation* op) {
    internal::validate_experiment_name(name);
    if (options.artifact_location) {
      internal::utf8::require_valid(*options.artifact_location, "artifact_location");
    }
    std::vector<ExperimentTag> tags;
    for (const auto& [key, value] : options.tags) {
      ExperimentTag tag{key, value};
      internal::validate_experiment_tag(tag);
      tags.push_back(std::move(tag));
    }
    internal::for_added_tags(op, options.tags,
                             [&](const std::string& key, const std::string& value) {
                               ExperimentTag tag{key, value};
                               internal::validate_experiment_tag(tag);
                               tags.push_back(std::move(tag));
                             });
    std::string id = impl_->tracking().create_experiment(name, options.artifact_location, tags);
    if (op) op->target.experiment_id = id;
    return id;
  });
}

Experiment MlflowClient::get_experiment(const std::string& experiment_id) {
  return impl_->hooks().run("get_experiment", kTracking, on_experiment(experiment_id), [&] {
    require_non_empty(experiment_id, "experiment_id");
    return impl_->tracking().get_experiment(experiment_id);
  });
}

std::optional<Experiment> MlflowClient::get_experiment_by_name(const std::string& name) {
  return impl_->hooks().run("get_experiment_by_name", kTracking, no_target(), [&](Operation* op) {
    require_non_empty(name, "experiment_name");
    auto experiment = impl_->tracking().get_experiment_by_name(name);
    if (op && experiment) op->target.experiment_id = experiment->experiment_id;
    return experiment;
  });
}

PagedList<Experiment> MlflowClient::search_experiments(const SearchExperimentsOptions& options) {
  return impl_->hooks().run("search_experiments", kTracking, no_target(), [&] {
    internal::validate_max_results(options.max_results);
    return impl_->tracking().search_experiments(options);
  });
}

PageRange<Experiment> MlflowClient::search_experiments_all(SearchExperimentsOptions options) {
  internal::validate_max_results(options.max_results);
  auto impl = impl_;
  return PageRange<Experiment>([impl, options](const std::string& token) mutable {
    options.page_token = token;
    return impl->hooks().run("search_experiments", kTracking, no_target(),
                             [&] { return impl->tracking().search_experiments(options); });
  });
}

void MlflowClient::rename_experiment(const std::string& experiment_id,
                                     const std::string& new_name) {
  impl_->hooks().run("rename_experiment", kTracking, on_experiment(experiment_id), [&] {
    require_non_empty(experiment_id, "experiment_id");
    internal::validate_experiment_name(new_name);
    impl_->tracking().rename_experiment(experiment_id, new_name);
  });
}

void MlflowClient::delete_experiment(const std::string& experiment_id) {
  impl_->hooks().run("delete_experiment", kTracking, on_experiment(experiment_id), [&] {
    require_non_empty(experiment_id, "experiment_id");
    impl_->tracking().delete_experiment(experiment_id);
  });
}

void MlflowClient::restore_experiment(const std::string& experiment_id) {
  impl_->hooks().run("restore_experiment", kTracking, on_experiment(experiment_id), [&] {
    require_non_empty(experiment_id, "experiment_id");
    impl_->tracking().restore_experiment(experiment_id);
  });
}

void MlflowClient::set_experiment_tag(const std::string& experiment_id, const std::string& key,
                                      const std::string& value) {
  impl_->hooks().run("set_experiment_tag", kTracking, on_experiment(experiment_id), [&] {
    require_non_empty(experiment_id, "experiment_id");
    ExperimentTag tag{key, value};
    internal::validate_experiment_tag(tag);
    impl_->tracking().set_experiment_tag(experiment_id, tag);
  });
}

void MlflowClient::delete_experiment_tag(const std::string& experiment_id, const std::string& key) {
  impl_->hooks().run("delete_experiment_tag", kTracking, on_experiment(experiment_id), [&] {
    require_non_empty(experiment_id, "experiment_id");
    require_non_empty(key, "key");
    impl_->tracking().delete_experiment_tag(experiment_id, key);
  });
}

// ---- Runs -------------------------------------------------------------------------------------

Run MlflowClient::create_run(const std::string& experiment_id, const CreateRunOptions& options) {
  return impl_->hooks().run(
      "create_run", kTracking,
      [&](Operation& op) {
        op.target.experiment_id = experiment_id;
        const auto parent = options.tags.find(kParentRunIdTag);
        if (parent != options.tags.end()) op.target.parent_run_id = parent->second;
      },
      [&](Operation* op) {
        require_non_empty(experiment_id, "experiment_id");
        internal::CreateRunRequest request;
        request.experiment_id = experiment_id;
        // As Python: the deprecated user_id column comes from the mlflow.user tag.
        const auto user = options.tags.find(kUserTag);
        request.user_id = user != options.tags.end() ? user->second : "unknown";
        request.start_time = options.start_time.value_or(internal::now_millis());
        request.run_name = options.run_name;
        if (options.run_name) internal::utf8::require_valid(*options.run_name, "run_name");
        // Python's create_run checks neither tag keys nor lengths (store and server alike);
        // only text that Python could not hold is refused.
        for (const auto& [key, value] : options.tags) {
          internal::utf8::require_valid(key, "tag key");
          internal::utf8::require_valid(value, "tag value");
          request.tags.push_back(RunTag{key, value});
        }
        internal::for_added_tags(op, options.tags,
                                 [&](const std::string& key, const std::string& value) {
                                   internal::utf8::require_valid(key, "tag key");
                                   internal::utf8::require_valid(value, "tag value");
                                   request.tags.push_back(RunTag{key, value});
                                 });
        Run run = impl_->tracking().create_run(request);
        if (op) {
          op->target.run_id = run.info.run_id;
          op->target.artifact_uri = run.info.artifact_uri;
        }
        return run;
      });
}

Run MlflowClient::get_run(const std::string& run_id) {
  return impl_->hooks().run("get_run", kTracking, on_run(run_id), [&](Operation* op) {
    require_non_empty(run_id, "run_id");
    Run run = impl_->tracking().get_run(run_id);
    if (op) op->target.experiment_id = run.info.experiment_id;
    return run;
  });
}

std::optional<Run> MlflowClient::get_parent_run(const std::string& run_id) {
  return impl_->hooks().run("get_parent_run", kTracking, on_run(run_id), [&] {
    const Run child = get_run(run_id);
    const auto parent = child.data.tags.find(kParentRunIdTag);
    if (parent == child.data.tags.end()) return std::optional<Run>();
    return std::optional<Run>(get_run(parent->second));
  });
}

void MlflowClient::update_run(const std::string& run_id, const UpdateRunOptions& options) {
  impl_->hooks().run("update_run", kTracking, on_run(run_id), [&] {
    require_non_empty(run_id, "run_id");
    if (!options.status && !options.name) return;  // Python returns early too.
    if (options.name) internal::utf8::require_valid(*options.name, "name");
    // Python re-sends the current status and end time when only the name changes.
    const Run current = impl_->tracking().get_run(run_id);
    impl_->tracking().update_run_info(run_id, options.status.value_or(current.info.status),
                                      current.info.end_time, options.name);
  });
}

void MlflowClient::set_terminated(const std::string& run_id, const SetTerminatedOptions& options) {
  impl_->hooks().run("set_terminated", kTracking, on_run(run_id), [&] {
    require_non_empty(run_id, "run_id");
    // As Python's set_terminated: what was queued asynchronously is stored before the run ends
    // (failures were reported to on_error and stay for the next flush_async_logging). On an
    // exit path the wait ends at the exit deadline (core/deadline.hpp).
    if (internal::AsyncLogger* logger = impl_->async().existing()) logger->drain();
    impl_->tracking().update_run_info(
        run_id, options.status, options.end_time.value_or(internal::now_millis()), std::nullopt);
  });
}

void MlflowClient::delete_run(const std::string& run_id) {
  impl_->hooks().run("delete_run", kTracking, on_run(run_id), [&] {
    require_non_empty(run_id, "run_id");
    impl_->tracking().delete_run(run_id);
  });
}

void MlflowClient::restore_run(const std::string& run_id) {
  impl_->hooks().run("restore_run", kTracking, on_run(run_id), [&] {
    require_non_empty(run_id, "run_id");
    impl_->tracking().restore_run(run_id);
  });
}

PagedList<Run> MlflowClient::search_runs(const std::vector<std::string>& experiment_ids,
                                         const SearchRunsOptions& options) {
  return impl_->hooks().run("search_runs", kTracking, no_target(), [&] {
    internal::validate_max_results(options.max_results);
    return impl_->tracking().search_runs(experiment_ids, options);
  });
}

PageRange<Run> MlflowClient::search_runs_all(std::vector<std::string> experiment_ids,
                                             SearchRunsOptions options) {
  internal::validate_max_results(options.max_results);
  auto impl = impl_;
  return PageRange<Run>(
      [impl, ids = std::move(experiment_ids), options](const std::string& token) mutable {
        options.page_token = token;
        return impl->hooks().run("search_runs", kTracking, no_target(),
                                 [&] { return impl->tracking().search_runs(ids, options); });
      });
}

// ---- Logging ----------------------------------------------------------------------------------

namespace {

// Describes a logging call on `run_id`: `items` points, queued or sent.
auto on_logging(const std::string& run_id, std::uint64_t items, bool asynchronous) {
  return [&run_id, items, asynchronous](Operation& op) {
    op.target.run_id = run_id;
    op.items = items;
    op.asynchronous = asynchronous;
  };
}

// log_param and set_tag: one item, validated by `validate`, then handed to the async logger
// (`enqueue`) when queued and it takes it, else written by the store (`write`).
template <typename Item>
void log_one(MlflowClient::Impl& impl, const char* operation, const std::string& run_id,
             const Item& item, std::optional<bool> synchronous,
             Item (*validate)(const Item&, const std::string&),
             bool (internal::AsyncLogger::*enqueue)(const std::string&, Item),
             void (internal::TrackingStore::*write)(const std::string&, const Item&)) {
  const bool queue = !synchronous.value_or(!impl.async_by_default());
  impl.hooks().run(operation, kTracking, on_logging(run_id, 1, queue), [&] {
    require_non_empty(run_id, "run_id");
    Item valid = validate(item, "");
    if (queue) {
      internal::validate_run_id(run_id);
      if ((impl.async().get(impl.tracking_ptr()).*enqueue)(run_id, valid)) return;
    }
    (impl.tracking().*write)(run_id, valid);
  });
}

}  // namespace

void MlflowClient::log_metric(const std::string& run_id, const std::string& key, double value,
                              const LogMetricOptions& options) {
  const bool queue = !options.synchronous.value_or(!impl_->async_by_default());
  impl_->hooks().run("log_metric", kTracking, on_logging(run_id, 1, queue), [&] {
    require_non_empty(run_id, "run_id");
    const std::int64_t timestamp = options.timestamp.value_or(internal::now_millis());
    if (queue && impl_->async()
                     .get(impl_->tracking_ptr())
                     .log_metric(run_id, key, value, timestamp, options)) {
      return;
    }
    const Metric metric = internal::metric_point(key, value, timestamp, options);
    internal::validate_metric(metric);
    impl_->tracking().log_metric(run_id, metric);
  });
}

void MlflowClient::log_param(const std::string& run_id, const std::string& key,
                             const std::string& value, const LogParamOptions& options) {
  log_one(*impl_, "log_param", run_id, Param{key, value}, options.synchronous,
          &internal::validate_param, &internal::AsyncLogger::log_param,
          &internal::TrackingStore::log_param);
}

void MlflowClient::set_tag(const std::string& run_id, const std::string& key,
                           const std::string& value, const SetTagOptions& options) {
  log_one(*impl_, "set_tag", run_id, RunTag{key, value}, options.synchronous,
          &internal::validate_tag, &internal::AsyncLogger::set_tag,
          &internal::TrackingStore::set_tag);
}

void MlflowClient::delete_tag(const std::string& run_id, const std::string& key) {
  impl_->hooks().run("delete_tag", kTracking, on_run(run_id), [&] {
    require_non_empty(run_id, "run_id");
    require_non_empty(key, "key");
    impl_->tracking().delete_tag(run_id, key);
  });
}

void MlflowClient::log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                             const std::vector<Param>& params, const std::vector<RunTag>& tags,
                             const LogBatchOptions& options) {
  const bool queue = !options.synchronous.value_or(!impl_->async_by_default());
  const std::uint64_t items = metrics.size() + params.size() + tags.size();
  impl_->hooks().run("log_batch", kTracking, on_logging(run_id, items, queue), [&] {
    require_non_empty(run_id, "run_id");
    if (metrics.empty() && params.empty() && tags.empty()) return;
    internal::validate_run_id(run_id);
    // Validate everything before the first request so that bad input loses nothing half-way.
    // Each distinct metric key is checked once: bulk logging repeats a few keys many times.
    std::unordered_set<std::string> valid_keys;
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      const Metric& m = metrics[i];
      if (m.timestamp < 0 || valid_keys.count(m.key) == 0) {
        internal::validate_metric(m, "metrics[" + std::to_string(i) + "]");
        valid_keys.insert(m.key);
      }
    }
    std::vector<Param> checked_params;
    checked_params.reserve(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      checked_params.push_back(
          internal::validate_param(params[i], "params[" + std::to_string(i) + "]"));
    }
    internal::validate_param_keys_unique(checked_params);
    std::vector<RunTag> checked_tags;
    checked_tags.reserve(tags.size());
    for (std::size_t i = 0; i < tags.size(); ++i) {
      checked_tags.push_back(internal::validate_tag(tags[i], "tags[" + std::to_string(i) + "]"));
    }
    if (queue && impl_->async()
                     .get(impl_->tracking_ptr())
                     .log_batch(run_id, metrics, checked_params, checked_tags)) {
      return;
    }
    for (const auto& chunk : internal::split_batch(metrics, checked_params, checked_tags)) {
      impl_->tracking().log_batch(run_id, chunk.metrics, chunk.params, chunk.tags);
    }
  });
}

void MlflowClient::log_inputs(const std::string& run_id,
                              const std::vector<DatasetInput>& datasets) {
  impl_->hooks().run("log_inputs", kTracking, on_run(run_id, datasets.size()), [&] {
    require_non_empty(run_id, "run_id");
    internal::validate_run_id(run_id);
    for (std::size_t i = 0; i < datasets.size(); ++i) {
      internal::validate_dataset_input(datasets[i], "datasets[" + std::to_string(i) + "]");
    }
    // MLflow accepts at most 1000 datasets per log-inputs request.
    constexpr std::size_t kMaxDatasetsPerRequest = 1000;
    if (datasets.empty()) {
      impl_->tracking().log_inputs(run_id, {}, {});
      return;
    }
    for (std::size_t i = 0; i < datasets.size(); i += kMaxDatasetsPerRequest) {
      const std::size_t end = std::min(datasets.size(), i + kMaxDatasetsPerRequest);
      impl_->tracking().log_inputs(run_id, {datasets.begin() + i, datasets.begin() + end}, {});
    }
  });
}

// ---- Asynchronous logging ---------------------------------------------------------------------

void MlflowClient::flush_async_logging() {
  if (internal::AsyncLogger* logger = impl_->async().existing()) logger->flush();
}

bool MlflowClient::flush_async_logging(std::chrono::milliseconds timeout) {
  internal::AsyncLogger* logger = impl_->async().existing();
  return logger == nullptr || logger->flush(timeout);
}

bool MlflowClient::shutdown_async_logging(std::chrono::milliseconds timeout) {
  // Made even when nothing was logged asynchronously yet, so that later asynchronous calls
  // are sent synchronously, as after a shutdown with data.
  return impl_->async().get(impl_->tracking_ptr()).shutdown(timeout);
}

void MlflowClient::set_async_logging_options(AsyncLoggingOptions options) {
  internal::AsyncLogHolder& async = impl_->async();
  std::lock_guard<std::mutex> lock(async.mutex);
  if (async.logger) {
    async.logger->set_options(options);
  } else {
    // Checked now (values and environment) rather than at the first asynchronous call.
    internal::resolve_async_logging_options(options, internal::process_env());
  }
  async.options = std::move(options);
}

AsyncLoggingStats MlflowClient::async_logging_stats() const {
  if (internal::AsyncLogger* logger = impl_->async().existing()) return logger->stats();
  return {};
}

std::vector<Metric> MlflowClient::get_metric_history(const std::string& run_id,
                                                     const std::string& key) {
  return impl_->hooks().run("get_metric_history", kTracking, on_run(run_id), [&] {
    require_non_empty(run_id, "run_id");
    require_non_empty(key, "metric_key");
    std::vector<Metric> all;
    std::string token;
    do {
      PagedList<Metric> page =
          impl_->tracking().get_metric_history_page(run_id, key, kMetricHistoryPageSize, token);
      all.insert(all.end(), std::make_move_iterator(page.items.begin()),
                 std::make_move_iterator(page.items.end()));
      token = page.token;
    } while (!token.empty());
    return all;
  });
}

std::vector<Metric> MlflowClient::get_metric_history_bulk_interval(
    const std::vector<std::string>& run_ids, const std::string& metric_key,
    const MetricHistoryBulkIntervalOptions& options) {
  return impl_->hooks().run("get_metric_history_bulk_interval", kTracking, no_target(), [&] {
    if (run_ids.empty() || run_ids.size() > 100) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "GetMetricHistoryBulkInterval request must specify between 1 and 100 run_ids, "
                  "got " +
                      std::to_string(run_ids.size()) + ".");
    }
    require_non_empty(metric_key, "metric_key");
    if (options.start_step.has_value() != options.end_step.has_value()) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "If either start step or end step are specified, both must be specified.");
    }
    if (options.start_step && *options.start_step > *options.end_step) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "end_step must be greater than start_step. Found start_step=" +
                      std::to_string(*options.start_step) +
                      " and end_step=" + std::to_string(*options.end_step) + ".");
    }
    internal::validate_max_results(options.max_results, 2500);
    return impl_->tracking().get_metric_history_bulk_interval(run_ids, metric_key, options);
  });
}

}  // namespace mlflow
