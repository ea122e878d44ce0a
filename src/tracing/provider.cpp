// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "tracing/provider.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "client/client_access.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "core/terminate_handler.hpp"
#include "fluent/active_model.hpp"
#include "fluent/state.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/trace_export.hpp"
#include "tracing/finalize.hpp"
#include "tracing/otlp_collector.hpp"

namespace mlflow::internal::tracing {
namespace {

using Clock = std::chrono::steady_clock;

// The key of a collector's exporter among the per-URI exporters.
constexpr const char* kCollectorKeyPrefix = "otlp-collector:";

// ---- process-wide state (never destroyed: senders and exit hooks may use it to the end) ----

struct Runtime {
  std::atomic<bool> enabled{true};
  std::mutex mutex;
  std::optional<std::string> destination;                                // guarded by mutex
  std::unordered_map<std::string, std::weak_ptr<TraceRecord>> live;      // guarded by mutex
  std::optional<std::string> last_trace_id;                              // guarded by mutex
  std::map<std::string, std::shared_ptr<TraceExporter>> exporters;       // guarded by mutex
  std::optional<TraceExportOptions> options;                             // guarded by mutex
  std::optional<std::pair<std::string, std::string>> cached_experiment;  // (key, id)
  std::shared_ptr<TraceExporter> test_exporter;                          // guarded by mutex
  /// The OpenTelemetry collector's exporter (ADR 0028), resolved from the environment once
  /// (again after reset_for_tests); null when none is configured.
  bool collector_resolved = false;           // guarded by mutex
  std::shared_ptr<TraceExporter> collector;  // guarded by mutex
  bool dual_export = false;                  // guarded by mutex
  std::string fluent_exporter_uri;                                       // guarded by mutex
  std::shared_ptr<TraceExporter> fluent_exporter;  // exporters[...] of fluent_exporter_uri
};

Runtime& runtime() {
  static Runtime* r = new Runtime();  // NOLINT: intentionally leaked (see above)
  return *r;
}

struct ThreadContext {
  std::vector<std::shared_ptr<LiveSpanState>> stack;
  int sampled_out_depth = 0;
  std::optional<std::string> last_trace_id;
};
thread_local ThreadContext t_context;

std::mt19937_64& rng() {
  thread_local std::mt19937_64 engine([] {
    std::random_device device;
    std::seed_seq seed{
        device(),
        device(),
        device(),
        device(),
        static_cast<unsigned>(std::hash<std::thread::id>()(std::this_thread::get_id())),
        static_cast<unsigned>(Clock::now().time_since_epoch().count())};
    return std::mt19937_64(seed);
  }());
  return engine;
}

void append_hex64(std::string& out, std::uint64_t v) {
  static const char kHex[] = "0123456789abcdef";
  char digits[16];
  for (int i = 15; i >= 0; --i, v >>= 4) digits[i] = kHex[v & 0xF];
  out.append(digits, sizeof digits);
}

std::uint64_t nonzero_random() {
  std::uint64_t v = 0;
  while (v == 0) v = rng()();
  return v;
}

std::string new_span_id() {
  std::string id;
  id.reserve(16);
  append_hex64(id, nonzero_random());
  return id;
}

int default_log_level(const std::string& span_type) {
  static const char* const kInfoTypes[] = {"LLM",       "CHAT_MODEL", "TOOL",
                                           "RETRIEVER", "AGENT",      "EMBEDDING"};
  for (const char* t : kInfoTypes) {
    if (span_type == t) return 20;  // SpanLogLevel.INFO
  }
  return 10;  // SpanLogLevel.DEBUG
}

}  // namespace

TraceExportOptions export_options_from(const EnvLookup& env) {
  TraceExportOptions o;
  try {
    if (auto v = env_bool(env, "MLFLOW_ENABLE_ASYNC_TRACE_LOGGING")) o.asynchronous = *v;
    if (auto v = env_int(env, "MLFLOW_ASYNC_TRACE_LOGGING_MAX_WORKERS"); v && *v > 0) {
      o.max_workers = static_cast<int>(*v);
    }
    if (auto v = env_int(env, "MLFLOW_ASYNC_TRACE_LOGGING_MAX_QUEUE_SIZE"); v && *v > 0) {
      o.max_queue_traces = static_cast<std::size_t>(*v);
    }
    if (auto v = env_int(env, "MLFLOW_ASYNC_TRACE_LOGGING_RETRY_TIMEOUT"); v && *v >= 0) {
      o.retry_timeout = std::chrono::seconds(*v);
    }
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, std::string("mlflow tracing: ") + e.what() + " Using the defaults.");
    o = TraceExportOptions{};
  }
  return o;
}

namespace {

// The exit paths (std::atexit and the std::terminate handler): every exporter within
// exit_timeout, all at once; each reports what it could not deliver to on_error and the log.
void flush_at_exit() noexcept {
  try {
    std::vector<std::shared_ptr<TraceExporter>> exporters = all_exporters();
    if (exporters.empty()) return;
    const auto deadline = Clock::now() + trace_export_options().exit_timeout;
    for (const auto& e : exporters) e->begin_shutdown(deadline);
    for (const auto& e : exporters) e->finish_shutdown(deadline);
  } catch (...) {
  }
}

void register_exit_flush() {
  static std::once_flag at_exit_once;
  std::call_once(at_exit_once, [] {
    std::atexit(flush_at_exit);
    add_terminate_hook(flush_at_exit);
  });
}

std::optional<std::string> latest_active_run_id() {
  const auto runs = all_active_runs();
  if (runs.empty()) return std::nullopt;
  return std::max_element(runs.begin(), runs.end())->second;
}

std::shared_ptr<TraceRecord> new_trace_record(const std::string& trace_id, const std::string& name,
                                              const StartRequest& request, std::int64_t start_ns) {
  auto record = std::make_shared<TraceRecord>();
  TraceInfo& info = record->info;
  info.trace_id = trace_id;
  info.trace_location.experiment_id = experiment_for_new_trace(request.experiment_id);
  info.request_time = start_ns / 1000000;
  info.state = TraceState::kInProgress;
  // The environment metadata and the schema version are added by finalize_trace_info, on
  // the exporter's thread.
  if (request.run_id) {
    info.trace_metadata[TraceMetadataKey::kSourceRun] = *request.run_id;
  } else if (auto run = latest_active_run_id()) {
    info.trace_metadata[TraceMetadataKey::kSourceRun] = *run;
  }
  if (auto model = active_model_id_global())
    info.trace_metadata[TraceMetadataKey::kModelId] = *model;
  info.tags[TraceTagKey::kTraceName] = name;
  // Python's processor choice: a collector replaces the MLflow server unless dual export is
  // on; a destination set in code wins over the collector, again unless dual export is on.
  auto collector = collector_exporter();
  const bool dual = collector_dual_export();
  const bool has_destination = [] {
    auto& r = runtime();
    std::lock_guard<std::mutex> lock(r.mutex);
    return r.destination.has_value() || r.test_exporter != nullptr;
  }();
  if (!collector || dual || has_destination) record->exporter = exporter_for_new_trace();
  if (collector && (dual || !has_destination)) record->collector = std::move(collector);
  return record;
}

void register_live(const std::shared_ptr<TraceRecord>& record) {
  auto& r = runtime();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.live[record->info.trace_id] = record;
}

void unregister_live(const std::string& trace_id) {
  auto& r = runtime();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.live.erase(trace_id);
}

// Called with record.mutex held: takes this process's finished part of the trace.
ExportItem take_export_item(TraceRecord& record) {
  ExportItem item;
  item.trace_id = record.info.trace_id;
  item.experiment_id = record.info.experiment_id();
  item.handed_over = std::move(record.finished);
  record.finished.clear();
  record.top_ended = false;
  if (!record.is_remote) {
    // Finalised by the exporter before it sends (off the traced thread). Nothing reads or
    // changes the record's info once it is exported.
    item.info = std::move(record.info);
    item.needs_finalize = true;
    item.prompts = std::move(record.prompts);
    record.exported = true;
  }
  for (const auto& s : item.handed_over) item.bytes += approximate_bytes(*s);
  return item;
}

void warn_once(const std::string& message) {
  static std::atomic<int> warnings{0};
  if (warnings.fetch_add(1) < 5) log(LogLevel::kWarning, "mlflow tracing: " + message);
}

}  // namespace

// The experiment of a new trace: span argument > set_destination > the active run's >
// set_experiment / MLFLOW_EXPERIMENT_NAME / MLFLOW_EXPERIMENT_ID > "0" (Python's
// get_experiment_id_for_trace). The environment-based id is looked up once per tracking URI.
std::string experiment_for_new_trace(const std::optional<std::string>& explicit_id) {
  if (explicit_id && !explicit_id->empty()) return *explicit_id;
  auto& r = runtime();
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    if (r.destination) return *r.destination;
  }
  const auto stack = current_stack();
  if (!stack.empty()) return stack.back().run.info.experiment_id;
  if (auto active = active_experiment_id()) return *active;
  const auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v == nullptr ? "" : v);
  };
  const std::string key = get_tracking_uri() + '\n' + env("MLFLOW_EXPERIMENT_NAME") + '\n' +
                          env("MLFLOW_EXPERIMENT_ID");
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    if (r.cached_experiment && r.cached_experiment->first == key)
      return r.cached_experiment->second;
  }
  const std::string id = resolve_experiment_id();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.cached_experiment = std::make_pair(key, id);
  return id;
}

std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double sampling_ratio_from(const EnvLookup& env) {
  const std::optional<std::string> raw = env("MLFLOW_TRACE_SAMPLING_RATIO");
  if (!raw || raw->empty()) return 1.0;
  char* end = nullptr;
  const double v = std::strtod(raw->c_str(), &end);
  if (end == raw->c_str() || *end != '\0' || !(v >= 0.0 && v <= 1.0)) {
    log(LogLevel::kWarning,
        "mlflow tracing: MLFLOW_TRACE_SAMPLING_RATIO must be between 0.0 and "
        "1.0, got " +
            *raw + ". Ignoring the invalid value and using default sampling (1.0).");
    return 1.0;
  }
  return v;
}

double sampling_ratio() {
  static const double ratio = sampling_ratio_from(process_env());
  return ratio;
}

bool sampled(std::uint64_t trace_id_low, double ratio) noexcept {
  if (ratio >= 1.0) return true;
  if (ratio <= 0.0) return false;
  // OTel's TraceIdRatioBased: round(ratio * 2^64) as the bound of the lower 64 bits.
  const long double bound = static_cast<long double>(ratio) * 18446744073709551616.0L;
  return static_cast<long double>(trace_id_low) < bound;
}

std::shared_ptr<LiveSpanState> start(const StartRequest& request, bool* sampled_out) {
  if (sampled_out != nullptr) *sampled_out = false;
  auto& r = runtime();
  if (!r.enabled.load(std::memory_order_relaxed)) return nullptr;
  std::shared_ptr<LiveSpanState> parent = request.parent;
  if (!parent && request.use_context) {
    if (t_context.sampled_out_depth > 0) {
      if (sampled_out != nullptr) *sampled_out = true;
      return nullptr;
    }
    parent = current_span();
  }
  try {
    auto span = std::make_shared<LiveSpanState>();
    SpanData& data = span->data;
    data.span_id = request.span_id ? *request.span_id : new_span_id();
    data.name = request.name;
    data.start_time_ns = request.start_time_ns.value_or(now_ns());
    if (parent) {
      span->trace = parent->trace;
      span->trace_hex = parent->trace_hex;
      data.trace_id = parent->data.trace_id;
      data.parent_id = parent->data.span_id;
      span->is_local_top = parent->is_remote_placeholder && parent->trace->is_remote;
    } else {
      const std::uint64_t high = nonzero_random();
      const std::uint64_t low = nonzero_random();
      if (!sampled(low, sampling_ratio())) {
        if (sampled_out != nullptr) *sampled_out = true;
        return nullptr;
      }
      span->trace_hex.reserve(32);
      append_hex64(span->trace_hex, high);
      append_hex64(span->trace_hex, low);
      data.trace_id = "tr-" + span->trace_hex;
      span->trace = new_trace_record(data.trace_id, request.name, request, data.start_time_ns);
      span->is_local_top = true;
      register_live(span->trace);
    }
    JsonValue& attributes = data.attributes;
    // Room for what a span usually gets (ids, type, inputs, outputs, level, a few more).
    attributes.as_object().reserve(8);
    attributes.set(SpanAttributeKey::kRequestId, data.trace_id);
    attributes.set(SpanAttributeKey::kSpanType,
                   request.span_type.empty() ? std::string(SpanType::kUnknown) : request.span_type);
    if (request.attributes != nullptr && request.attributes->is_object()) {
      for (const auto& [key, value] : request.attributes->as_object()) attributes.set(key, value);
    }
    if (request.inputs != nullptr) attributes.set(SpanAttributeKey::kInputs, *request.inputs);
    {
      std::lock_guard<std::mutex> lock(span->trace->mutex);
      ++span->trace->open_spans;
      if (!parent && request.run_id) {
        span->trace->info.trace_metadata[TraceMetadataKey::kSourceRun] = *request.run_id;
      }
    }
    return span;
  } catch (const std::exception& e) {
    warn_once("failed to start span '" + request.name + "': " + e.what() +
              ". The span is not recorded.");
    return nullptr;
  }
}

void end(const std::shared_ptr<LiveSpanState>& span, const EndSpanOptions* options) noexcept {
  if (!span) return;
  try {
    std::shared_ptr<SpanData> finished = std::make_shared<SpanData>();
    {
      std::lock_guard<std::mutex> lock(span->mutex);
      if (span->ended || span->is_remote_placeholder) return;
      SpanData& data = span->data;
      if (options != nullptr) {
        if (options->attributes.is_object()) {
          for (const auto& [key, value] : options->attributes.as_object())
            data.attributes.set(key, value);
        }
        if (options->outputs) data.attributes.set(SpanAttributeKey::kOutputs, *options->outputs);
        if (options->status) data.status = *options->status;
      }
      // Python sets OK unless the span failed (an OTel span would stay UNSET).
      if (data.status.status_code != SpanStatusCode::kError) {
        data.status = SpanStatus{SpanStatusCode::kOk, ""};
      }
      if (data.attributes.find(SpanAttributeKey::kLogLevel) == nullptr) {
        data.attributes.set(SpanAttributeKey::kLogLevel, default_log_level(data.span_type()));
      }
      data.end_time_ns =
          options != nullptr && options->end_time_ns ? *options->end_time_ns : now_ns();
      // Ids and name stay readable through the span's handles without its lock; the rest
      // moves (nothing changes an ended span).
      finished->trace_id = data.trace_id;
      finished->span_id = data.span_id;
      finished->parent_id = data.parent_id;
      finished->name = data.name;
      finished->start_time_ns = data.start_time_ns;
      finished->end_time_ns = data.end_time_ns;
      finished->status = std::move(data.status);
      finished->attributes = std::move(data.attributes);
      finished->events = std::move(data.events);
      span->finished = finished;
      span->ended = true;
    }
    const std::shared_ptr<TraceRecord>& record = span->trace;
    std::optional<ExportItem> item;
    bool completed_root = false;
    {
      std::lock_guard<std::mutex> lock(record->mutex);
      record->finished.push_back(std::move(finished));
      --record->open_spans;
      if (span->is_local_top) {
        record->top_ended = true;
        completed_root = !record->is_remote;
      }
      if (record->top_ended && record->open_spans <= 0 && !record->exported) {
        item = take_export_item(*record);
      }
    }
    if (completed_root) {
      auto& r = runtime();
      std::lock_guard<std::mutex> lock(r.mutex);
      r.last_trace_id = span->data.trace_id;
      t_context.last_trace_id = span->data.trace_id;
    }
    if (item) {
      if (!record->is_remote) unregister_live(item->trace_id);
      if (record->collector) {
        ExportItem spans_only = record->exporter ? *item : std::move(*item);
        spans_only.info.reset();  // a collector keeps spans, not MLflow trace records
        spans_only.needs_finalize = false;
        spans_only.prompts.clear();
        record->collector->submit(std::move(spans_only));
      }
      if (record->exporter) record->exporter->submit(std::move(*item));
    }
  } catch (const std::exception& e) {
    warn_once(std::string("failed to end a span: ") + e.what());
  }
}

void push_context(std::shared_ptr<LiveSpanState> span) {
  t_context.stack.push_back(std::move(span));
}

void pop_context(const LiveSpanState* span) noexcept {
  auto& stack = t_context.stack;
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    if (it->get() == span) {
      stack.erase(std::next(it).base());
      return;
    }
  }
}

std::shared_ptr<LiveSpanState> current_span() noexcept {
  return t_context.stack.empty() ? nullptr : t_context.stack.back();
}

void enter_sampled_out() noexcept { ++t_context.sampled_out_depth; }
void leave_sampled_out() noexcept {
  if (t_context.sampled_out_depth > 0) --t_context.sampled_out_depth;
}

std::shared_ptr<TraceRecord> find_live_trace(const std::string& trace_id) {
  auto& r = runtime();
  std::lock_guard<std::mutex> lock(r.mutex);
  const auto it = r.live.find(trace_id);
  return it == r.live.end() ? nullptr : it->second.lock();
}

void on_prompt_loaded(const std::string& name, const std::string& version) {
  const auto span = current_span();
  if (!span || !span->trace) return;
  const JsonValue entry = {{"name", name}, {"version", version}};
  const auto add_to = [&](const JsonValue* current) {
    JsonValue list = JsonValue::array();
    if (current != nullptr && current->is_string()) {
      try {
        list = JsonValue::parse(current->as_string());
      } catch (const std::exception&) {
        list = JsonValue::array();
      }
    }
    if (!list.is_array()) list = JsonValue::array();
    for (const auto& item : list.as_array()) {
      if (item == entry) return std::optional<std::string>();
    }
    list.push_back(entry);
    return std::optional<std::string>(list.dump());
  };
  {
    std::lock_guard<std::mutex> lock(span->trace->mutex);
    auto& prompts = span->trace->prompts;
    if (std::none_of(prompts.begin(), prompts.end(), [&](const PromptVersionRef& p) {
          return p.name == name && p.version == version;
        })) {
      prompts.push_back({name, version});
    }
    auto& tags = span->trace->info.tags;
    const auto it = tags.find(TraceTagKey::kLinkedPrompts);
    const JsonValue current = it == tags.end() ? JsonValue() : JsonValue(it->second);
    if (auto updated = add_to(it == tags.end() ? nullptr : &current)) {
      tags[TraceTagKey::kLinkedPrompts] = *updated;
    }
  }
  if (span->is_remote_placeholder) return;
  std::lock_guard<std::mutex> lock(span->mutex);
  if (span->ended) return;
  if (auto updated = add_to(span->data.get_attribute(SpanAttributeKey::kLinkedPrompts))) {
    span->data.attributes.set(SpanAttributeKey::kLinkedPrompts, *updated);
  }
}

bool add_assessment_to_live_trace(const std::string& trace_id, const Assessment& assessment) {
  const auto record = find_live_trace(trace_id);
  if (!record) return false;
  std::lock_guard<std::mutex> lock(record->mutex);
  if (record->exported || record->is_remote) return false;
  record->info.assessments.push_back(assessment);
  return true;
}

std::shared_ptr<TraceExporter> exporter_for(const MlflowClient& client) {
  auto& r = runtime();
  const std::string key = client.tracking_uri();
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    const auto it = r.exporters.find(key);
    if (it != r.exporters.end()) return it->second;
  }
  auto store = MlflowClient::Access::impl(client)->trace_export();
  const TraceExportOptions options = trace_export_options();
  auto exporter = std::make_shared<TraceExporter>(std::move(store), options, key);
  register_exit_flush();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto [it, inserted] = r.exporters.emplace(key, exporter);
  return it->second;  // another thread may have won; its exporter serves both
}

std::shared_ptr<TraceExporter> collector_exporter() {
  auto& r = runtime();
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    if (r.collector_resolved) return r.collector;
  }
  std::optional<CollectorConfig> config;
  try {
    config = collector_config_from(process_env());
  } catch (const std::exception& e) {
    log(LogLevel::kError, std::string("mlflow tracing: not exporting to the OpenTelemetry "
                                      "collector: ") +
                              e.what());
  }
  std::shared_ptr<TraceExporter> exporter;
  if (config) {
    const std::string key = std::string(kCollectorKeyPrefix) + config->endpoint;
    std::lock_guard<std::mutex> lock(r.mutex);
    const auto it = r.exporters.find(key);
    if (it != r.exporters.end()) exporter = it->second;
  }
  if (config && !exporter) {
    exporter = std::make_shared<TraceExporter>(make_collector_store(*config),
                                               trace_export_options(), config->endpoint);
    register_exit_flush();
  }
  std::lock_guard<std::mutex> lock(r.mutex);
  if (!r.collector_resolved) {
    r.collector_resolved = true;
    r.dual_export = config && config->dual_export;
    if (exporter) {
      r.collector =
          r.exporters.emplace(kCollectorKeyPrefix + config->endpoint, exporter).first->second;
    }
  }
  return r.collector;
}

bool collector_dual_export() {
  auto& r = runtime();
  std::lock_guard<std::mutex> lock(r.mutex);
  return r.dual_export;
}

std::shared_ptr<TraceExporter> exporter_for_new_trace() {
  auto& r = runtime();
  const std::string uri = get_tracking_uri();
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    if (r.test_exporter) return r.test_exporter;
    // The fluent URI's exporter, without making the default client each time.
    if (r.fluent_exporter && r.fluent_exporter_uri == uri) return r.fluent_exporter;
  }
  auto exporter = exporter_for(default_client());
  std::lock_guard<std::mutex> lock(r.mutex);
  r.fluent_exporter_uri = uri;
  r.fluent_exporter = exporter;
  return exporter;
}

std::vector<std::shared_ptr<TraceExporter>> all_exporters() {
  auto& r = runtime();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::shared_ptr<TraceExporter>> out;
  for (const auto& [key, e] : r.exporters) out.push_back(e);
  return out;
}

void set_exporter_for_tests(std::shared_ptr<TraceExporter> exporter) {
  auto& r = runtime();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.test_exporter = std::move(exporter);
}

void reset_for_tests() {
  auto& r = runtime();
  // A collector's exporter holds the configuration it was made with (headers, resource): the
  // next one is made afresh from the environment. Released outside the lock (its destructor
  // drains it).
  std::vector<std::shared_ptr<TraceExporter>> collectors;
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    for (auto it = r.exporters.begin(); it != r.exporters.end();) {
      if (it->first.rfind(kCollectorKeyPrefix, 0) == 0) {
        collectors.push_back(std::move(it->second));
        it = r.exporters.erase(it);
      } else {
        ++it;
      }
    }
    r.live.clear();
    r.destination.reset();
    r.last_trace_id.reset();
    r.cached_experiment.reset();
    r.collector_resolved = false;
    r.collector.reset();
    r.dual_export = false;
  }
  r.enabled.store(true);
  t_context = ThreadContext{};
}

std::optional<std::string> last_trace_id(bool thread_local_only) {
  if (thread_local_only) return t_context.last_trace_id;
  auto& r = runtime();
  std::lock_guard<std::mutex> lock(r.mutex);
  return r.last_trace_id;
}

void set_enabled(bool enabled) { runtime().enabled.store(enabled); }
bool is_enabled() { return runtime().enabled.load(); }

void set_destination(std::optional<std::string> experiment_id) {
  auto& r = runtime();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.destination = std::move(experiment_id);
}

void set_export_options(TraceExportOptions options) {
  auto& r = runtime();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.options = std::move(options);
}

TraceExportOptions export_options() {
  auto& r = runtime();
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    if (r.options) return *r.options;
  }
  TraceExportOptions o = export_options_from(process_env());
  std::lock_guard<std::mutex> lock(r.mutex);
  if (!r.options) r.options = o;
  return *r.options;
}

}  // namespace mlflow::internal::tracing
