// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "entity_json.hpp"

#include "mlflow/run_status.hpp"

namespace mlflow_cli {

using mlflow::JsonValue;

JsonValue experiment_json(const mlflow::Experiment& e) {
  return JsonValue::object({{"experiment_id", e.experiment_id},
                            {"name", e.name},
                            {"artifact_location", e.artifact_location},
                            {"lifecycle_stage", e.lifecycle_stage},
                            {"tags", e.tags},
                            {"creation_time", e.creation_time},
                            {"last_update_time", e.last_update_time}});
}

JsonValue run_info_json(const mlflow::RunInfo& i) {
  return JsonValue::object({{"artifact_uri", i.artifact_uri},
                            {"end_time", i.end_time},
                            {"experiment_id", i.experiment_id},
                            {"lifecycle_stage", i.lifecycle_stage},
                            {"run_id", i.run_id},
                            {"run_name", i.run_name},
                            {"start_time", i.start_time},
                            {"status", mlflow::to_string(i.status)},
                            {"user_id", i.user_id}});
}

JsonValue run_json(const mlflow::Run& run) {
  JsonValue inputs = JsonValue::array();
  for (const auto& input : run.inputs.dataset_inputs) {
    JsonValue tags = JsonValue::object();
    for (const auto& tag : input.tags) tags.set(tag.key, tag.value);
    inputs.push_back(JsonValue::object(
        {{"dataset", JsonValue::object({{"name", input.dataset.name},
                                        {"digest", input.dataset.digest},
                                        {"source_type", input.dataset.source_type},
                                        {"source", input.dataset.source}})},
         {"tags", tags}}));
  }
  return JsonValue::object({{"info", run_info_json(run.info)},
                            {"data", JsonValue::object({{"metrics", run.data.metrics},
                                                        {"params", run.data.params},
                                                        {"tags", run.data.tags}})},
                            {"inputs", JsonValue::object({{"dataset_inputs", inputs}})}});
}

JsonValue metric_json(const mlflow::Metric& m) {
  return JsonValue::object(
      {{"key", m.key}, {"value", m.value}, {"timestamp", m.timestamp}, {"step", m.step}});
}

JsonValue file_info_json(const mlflow::FileInfo& f) {
  return JsonValue::object({{"path", f.path}, {"is_dir", f.is_dir}, {"file_size", f.file_size}});
}

JsonValue model_version_json(const mlflow::ModelVersion& v) {
  return JsonValue::object({{"name", v.name},
                            {"version", v.version},
                            {"creation_timestamp", v.creation_timestamp},
                            {"last_updated_timestamp", v.last_updated_timestamp},
                            {"user_id", v.user_id},
                            {"current_stage", mlflow::to_string(v.current_stage)},
                            {"description", v.description},
                            {"source", v.source},
                            {"run_id", v.run_id},
                            {"run_link", v.run_link},
                            {"status", mlflow::to_string(v.status)},
                            {"status_message", v.status_message},
                            {"tags", v.tags},
                            {"aliases", v.aliases},
                            {"model_id", v.model_id}});
}

JsonValue registered_model_json(const mlflow::RegisteredModel& m) {
  return JsonValue::object({{"name", m.name},
                            {"creation_timestamp", m.creation_timestamp},
                            {"last_updated_timestamp", m.last_updated_timestamp},
                            {"description", m.description},
                            {"user_id", m.user_id},
                            {"latest_versions", json_array(m.latest_versions, model_version_json)},
                            {"tags", m.tags},
                            {"aliases", m.aliases}});
}

JsonValue prompt_json(const mlflow::Prompt& p) {
  return JsonValue::object({{"name", p.name},
                            {"description", p.description},
                            {"creation_timestamp", p.creation_timestamp},
                            {"tags", p.tags}});
}

JsonValue prompt_version_json(const mlflow::PromptVersion& v) {
  JsonValue messages = JsonValue::array();
  for (const auto& message : v.messages()) {
    messages.push_back(JsonValue::object({{"role", message.role}, {"content", message.content}}));
  }
  return JsonValue::object(
      {{"name", v.name()},
       {"version", v.version()},
       {"uri", v.uri()},
       {"is_text_prompt", v.is_text_prompt()},
       {"template", v.is_text_prompt() ? JsonValue(v.template_text()) : JsonValue(messages)},
       {"variables", v.variables()},
       {"commit_message", v.commit_message()},
       {"creation_timestamp", v.creation_timestamp()},
       {"tags", v.tags()},
       {"aliases", v.aliases()},
       {"response_format", v.response_format()},
       {"model_config",
        v.model_config() ? JsonValue::parse(v.model_config()->to_json()) : JsonValue()}});
}

JsonValue trace_info_json(const mlflow::TraceInfo& i) {
  return JsonValue::object({{"trace_id", i.trace_id},
                            {"experiment_id", i.experiment_id()},
                            {"request_time", i.request_time},
                            {"execution_duration", i.execution_duration},
                            {"state", mlflow::to_string(i.state)},
                            {"request_preview", i.request_preview},
                            {"response_preview", i.response_preview},
                            {"client_request_id", i.client_request_id},
                            {"trace_metadata", i.trace_metadata},
                            {"tags", i.tags}});
}

JsonValue trace_json(const mlflow::Trace& trace) {
  JsonValue spans = JsonValue::array();
  for (const auto& s : trace.data.spans) {
    spans.push_back(JsonValue::object({{"name", s.name},
                                       {"span_id", s.span_id},
                                       {"parent_id", s.parent_id},
                                       {"start_time_ns", s.start_time_ns},
                                       {"end_time_ns", s.end_time_ns},
                                       {"status_code", mlflow::to_string(s.status.status_code)},
                                       {"attributes", s.attributes}}));
  }
  return JsonValue::object(
      {{"info", trace_info_json(trace.info)}, {"data", JsonValue::object({{"spans", spans}})}});
}

}  // namespace mlflow_cli
