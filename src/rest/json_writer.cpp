// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/json_writer.hpp"

#include "core/json_text.hpp"

namespace mlflow::internal::json_writer {
namespace {

using json_text::NonAscii;

void append_text(std::string& out, const std::string& text, const char* field) {
  json_text::append_string(out, text, NonAscii::kKeep, field);
}

// The metric's fields in alphabetical order; `run_id`, when given, goes in its place as
// "run_id" and "run_uuid".
void append_metric(std::string& out, const Metric& m, const std::string* run_id) {
  out.push_back('{');
  if (m.dataset_digest) {
    out += "\"dataset_digest\":";
    append_text(out, *m.dataset_digest, "metrics.dataset_digest");
    out.push_back(',');
  }
  if (m.dataset_name) {
    out += "\"dataset_name\":";
    append_text(out, *m.dataset_name, "metrics.dataset_name");
    out.push_back(',');
  }
  out += "\"key\":";
  append_text(out, m.key, "metrics.key");
  if (m.model_id) {
    out += ",\"model_id\":";
    append_text(out, *m.model_id, "metrics.model_id");
  }
  if (run_id != nullptr) {
    out += ",\"run_id\":";
    append_text(out, *run_id, "run_id");
    out += ",\"run_uuid\":";
    append_text(out, *run_id, "run_id");
  }
  out += ",\"step\":";
  json_text::append_int(out, m.step);
  out += ",\"timestamp\":";
  json_text::append_int(out, m.timestamp);
  out += ",\"value\":";
  json_text::append_double(out, m.value);
  out.push_back('}');
}

}  // namespace

std::string log_batch_body(const std::string& run_id, Span<Metric> metrics, Span<Param> params,
                           Span<RunTag> tags) {
  std::string out;
  out.reserve(64 + metrics.size() * 96 + (params.size() + tags.size()) * 64);
  out += "{\"run_id\":";
  append_text(out, run_id, "run_id");
  if (!metrics.empty()) {
    out += ",\"metrics\":[";
    bool first = true;
    for (const Metric& m : metrics) {
      if (!first) out.push_back(',');
      first = false;
      append_metric(out, m, nullptr);
    }
    out.push_back(']');
  }
  const auto key_values = [&out](const char* name, const auto& items) {
    if (items.empty()) return;
    out += ",\"";
    out += name;
    out += "\":[";
    bool first = true;
    for (const auto& item : items) {
      if (!first) out.push_back(',');
      first = false;
      out += "{\"key\":";
      append_text(out, item.key, "key");
      out += ",\"value\":";
      append_text(out, item.value, "value");
      out.push_back('}');
    }
    out.push_back(']');
  };
  key_values("params", params);
  key_values("tags", tags);
  out.push_back('}');
  return out;
}

std::string log_metric_body(const std::string& run_id, const Metric& metric) {
  std::string out;
  append_metric(out, metric, &run_id);
  return out;
}

std::string metric_json(const Metric& metric) {
  std::string out;
  append_metric(out, metric, nullptr);
  return out;
}

}  // namespace mlflow::internal::json_writer
