// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// MlflowClient's trace calls, with the checks of Python's TracingClient
// (mlflow/tracing/client.py) and abstract store (delete_traces) before the store is asked.

#include <algorithm>

#include "client/client_impl.hpp"
#include "client/operation_hooks.hpp"
#include "core/log.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "tracing/provider.hpp"

namespace mlflow {
namespace {

using internal::no_target;
using internal::on_experiment;
using internal::on_trace;
constexpr OperationKind kTrace = OperationKind::kTrace;

constexpr int kDefaultSearchMaxResults = 100;  // SEARCH_TRACES_DEFAULT_MAX_RESULTS

bool is_immutable_tag(const std::string& key) {
  static const char* const kImmutable[] = {
      "mlflow.user", "mlflow.artifactLocation", "mlflow.trace.spansLocation",
      "mlflow.trace.archiveLocation", "mlflow.trace.archivalFailure"};
  return std::find(std::begin(kImmutable), std::end(kImmutable), key) != std::end(kImmutable);
}

// Python's TracingClient.get_trace for a v3 id: the info first; spans from the tracking store
// when it holds them, else from the traces.json artifact.
Trace load_trace(internal::TraceStore& store, const TraceInfo& info) {
  const auto location = info.tags.find(TraceTagKey::kSpansLocation);
  if (location != info.tags.end() &&
      (location->second == "TRACKING_STORE" || location->second == "ARCHIVE_REPO")) {
    auto traces = store.batch_get_traces({info.trace_id});
    if (traces.empty()) {
      throw NotFound(ErrorCode::kNotFound, "Trace with ID " + info.trace_id + " is not found.");
    }
    return std::move(traces.front());
  }
  Trace trace;
  trace.info = info;
  trace.data.spans = store.download_trace_data(info);
  return trace;
}

// Applies `edit` to the info of the trace's live copy, under its lock, while the trace is not yet
// exported (the exporter sends what is there then); false when there is no such copy.
template <typename Edit>
bool edit_live_trace(const std::string& trace_id, Edit edit) {
  const auto live = internal::tracing::find_live_trace(trace_id);
  if (!live) return false;
  std::lock_guard<std::mutex> lock(live->mutex);
  if (live->exported) return false;
  edit(live->info);
  return true;
}

}  // namespace

Trace MlflowClient::get_trace(const std::string& trace_id) {
  return impl_->hooks().run("get_trace", kTrace, on_trace(trace_id), [&] {
    internal::TraceStore& store = impl_->traces();
    return load_trace(store, store.get_trace_info(trace_id));
  });
}

PagedList<Trace> MlflowClient::search_traces(const SearchTracesOptions& options) {
  return impl_->hooks().run("search_traces", kTrace, no_target(), [&] {
    if (options.experiment_ids.empty()) {
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "search_traces needs experiment ids (Python's `locations`): pass "
                            "SearchTracesOptions::experiment_ids.");
    }
    std::string filter = options.filter_string;
    if (options.model_id) {
      if (!filter.empty()) {
        throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                              "Cannot specify both `model_id` or `filter_string` in the "
                              "search_traces call.");
      }
      filter = "request_metadata.`mlflow.modelId` = '" + *options.model_id + "'";
    }
    if (options.run_id) {
      const Run run = get_run(*options.run_id);
      const auto& ids = options.experiment_ids;
      if (std::find(ids.begin(), ids.end(), run.info.experiment_id) == ids.end()) {
        std::string list;
        for (const auto& id : ids) list += (list.empty() ? "'" : ", '") + id + "'";
        throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                              "Run " + *options.run_id + " belongs to experiment " +
                                  run.info.experiment_id +
                                  ", which is not in the list of locations provided: [" + list +
                                  "]. Please include experiment " + run.info.experiment_id +
                                  " in the `locations` parameter to search for traces from this "
                                  "run.");
      }
      const std::string run_filter = "attribute.run_id = '" + *options.run_id + "'";
      if (filter.empty()) {
        filter = run_filter;
      } else {
        if (filter.find(TraceMetadataKey::kSourceRun) != std::string::npos) {
          throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                                "You cannot filter by run_id when it is already part of the filter "
                                "string.Please remove the mlflow.sourceRun filter from the filter "
                                "string and try again.");
        }
        filter += " AND " + run_filter;
      }
    }
    const int max_results = options.max_results.value_or(kDefaultSearchMaxResults);
    internal::TraceStore& store = impl_->traces();
    PagedList<Trace> page;
    std::string token = options.page_token;
    // As Python: keep fetching until max_results traces are had or the pages run out.
    while (static_cast<int>(page.items.size()) < max_results) {
      const int wanted = max_results - static_cast<int>(page.items.size());
      const PagedList<TraceInfo> infos =
          store.search_traces(options.experiment_ids, filter, wanted, options.order_by, token);
      if (options.include_spans && !infos.items.empty()) {
        std::vector<std::string> ids;
        for (const auto& info : infos.items) ids.push_back(info.trace_id);
        std::vector<Trace> loaded = store.batch_get_traces(ids);
        // Keep the search order; traces whose spans live elsewhere are loaded one by one.
        for (const auto& info : infos.items) {
          const auto it = std::find_if(loaded.begin(), loaded.end(), [&](const Trace& t) {
            return t.info.trace_id == info.trace_id;
          });
          if (it != loaded.end() && !it->data.spans.empty()) {
            Trace t = std::move(*it);
            t.info = info;
            page.items.push_back(std::move(t));
          } else {
            try {
              page.items.push_back(load_trace(store, info));
            } catch (const MlflowException& e) {
              internal::log(LogLevel::kWarning, "mlflow: could not load the spans of trace '" +
                                                    info.trace_id + "': " + e.what());
              page.items.push_back(Trace{info, {}});
            }
          }
        }
      } else {
        for (const auto& info : infos.items) page.items.push_back(Trace{info, {}});
      }
      token = infos.token;
      if (token.empty()) break;
    }
    page.token = token;
    return page;
  });
}

PageRange<Trace> MlflowClient::search_traces_all(SearchTracesOptions options) {
  MlflowClient self = *this;
  return PageRange<Trace>([self, options](const std::string& token) mutable {
    SearchTracesOptions page = options;
    page.page_token = token;
    return self.search_traces(page);
  });
}

void MlflowClient::set_trace_tag(const std::string& trace_id, const std::string& key,
                                 const std::string& value) {
  return impl_->hooks().run("set_trace_tag", kTrace, on_trace(trace_id), [&] {
    if (is_immutable_tag(key)) {
      internal::log(LogLevel::kWarning,
                    "mlflow: tag '" + key + "' is immutable and cannot be set on a trace.");
      return;
    }
    if (edit_live_trace(trace_id, [&](TraceInfo& info) { info.tags[key] = value; })) return;
    impl_->traces().set_trace_tag(trace_id, key, value);
  });
}

void MlflowClient::delete_trace_tag(const std::string& trace_id, const std::string& key) {
  return impl_->hooks().run("delete_trace_tag", kTrace, on_trace(trace_id), [&] {
    if (is_immutable_tag(key) && key != "mlflow.trace.archivalFailure") {
      internal::log(LogLevel::kWarning,
                    "mlflow: tag '" + key + "' is immutable and cannot be deleted on a trace.");
      return;
    }
    const auto erase = [&](TraceInfo& info) {
      if (info.tags.erase(key) == 0) {
        throw NotFound(ErrorCode::kResourceDoesNotExist,
                       "Tag with key " + key + " not found in trace with ID " + trace_id + ".");
      }
    };
    if (edit_live_trace(trace_id, erase)) return;
    impl_->traces().delete_trace_tag(trace_id, key);
  });
}

int MlflowClient::delete_traces(const std::string& experiment_id,
                                const DeleteTracesOptions& options) {
  return impl_->hooks().run("delete_traces", kTrace, on_experiment(experiment_id), [&] {
    if (!options.max_timestamp_millis && options.trace_ids.empty()) {
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "Either `max_timestamp_millis` or `trace_ids` must be specified.");
    }
    if (options.max_timestamp_millis && !options.trace_ids.empty()) {
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "Only one of `max_timestamp_millis` and `trace_ids` can be specified.");
    }
    if (!options.trace_ids.empty() && options.max_traces) {
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "`max_traces` can't be specified if `trace_ids` is specified.");
    }
    if (options.max_traces && *options.max_traces <= 0) {
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "`max_traces` must be a positive integer, received " +
                                std::to_string(*options.max_traces) + ".");
    }
    internal::TraceStore& store = impl_->traces();
    if (options.trace_ids.empty()) {
      return store.delete_traces(experiment_id, options.max_timestamp_millis, options.max_traces,
                                 {});
    }
    // Python's RestStore sends ids in batches (_MLFLOW_DELETE_TRACES_MAX_BATCH_SIZE, 100).
    int deleted = 0;
    for (std::size_t i = 0; i < options.trace_ids.size(); i += 100) {
      const auto end = std::min(options.trace_ids.size(), i + 100);
      std::vector<std::string> batch(options.trace_ids.begin() + static_cast<std::ptrdiff_t>(i),
                                     options.trace_ids.begin() + static_cast<std::ptrdiff_t>(end));
      deleted += store.delete_traces(experiment_id, std::nullopt, std::nullopt, batch);
    }
    return deleted;
  });
}

void MlflowClient::link_traces_to_run(const std::vector<std::string>& trace_ids,
                                      const std::string& run_id) {
  return impl_->hooks().run("link_traces_to_run", kTrace, internal::on_run(run_id), [&] {
    if (trace_ids.empty()) return;
    impl_->traces().link_traces_to_run(trace_ids, run_id);
  });
}

Assessment MlflowClient::log_assessment(const std::string& trace_id, Assessment assessment) {
  return impl_->hooks().run("log_assessment", kTrace, on_trace(trace_id), [&] {
    if (trace_id.empty()) {
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "A trace_id is required to log an assessment.");
    }
    assessment.trace_id = trace_id;
    // The active trace keeps it in memory until it is exported (Python's TracingClient).
    if (internal::tracing::add_assessment_to_live_trace(trace_id, assessment)) return assessment;
    return impl_->traces().create_assessment(assessment);
  });
}

Assessment MlflowClient::get_assessment(const std::string& trace_id,
                                        const std::string& assessment_id) {
  return impl_->hooks().run("get_assessment", kTrace, on_trace(trace_id), [&] {
    return impl_->traces().get_assessment(trace_id, assessment_id);
  });
}

Assessment MlflowClient::update_assessment(const std::string& trace_id,
                                           const std::string& assessment_id,
                                           const Assessment& assessment) {
  return impl_->hooks().run("update_assessment", kTrace, on_trace(trace_id), [&] {
    internal::AssessmentUpdate update;
    update.name = assessment.name;
    if (assessment.kind == AssessmentKind::kExpectation) {
      update.expectation = assessment.value;
    } else if (assessment.kind == AssessmentKind::kFeedback) {
      update.feedback = assessment.value;
      update.feedback_error = assessment.error;
    }
    update.rationale = assessment.rationale;
    if (!assessment.metadata.empty()) update.metadata = assessment.metadata;
    return impl_->traces().update_assessment(trace_id, assessment_id, update);
  });
}

void MlflowClient::delete_assessment(const std::string& trace_id,
                                     const std::string& assessment_id) {
  return impl_->hooks().run("delete_assessment", kTrace, on_trace(trace_id),
                            [&] { impl_->traces().delete_assessment(trace_id, assessment_id); });
}

}  // namespace mlflow
