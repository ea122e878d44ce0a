// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "tracing/finalize.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>

#include "core/base64.hpp"
#include "core/trace_preview.hpp"
#include "core/utf8.hpp"
#include "fluent/state.hpp"

namespace mlflow::internal::tracing {
namespace {

constexpr std::size_t kMaxMetadataChars = 250;
const char* const kEllipsis = "...";

// Python's _truncate_metadata: "" for no value, else cut to 250 characters with "...".
std::string truncate_metadata(const JsonValue* value) {
  if (value == nullptr) return "";
  std::string text = attribute_text(*value);
  if (text.empty()) return "";
  if (utf8::length(text) > kMaxMetadataChars) {
    text = utf8::truncate(text, kMaxMetadataChars - 3) + kEllipsis;
  }
  return text;
}

// ---- size statistics (Python's add_size_stats_to_trace_metadata) ----

double percentile(const std::vector<std::size_t>& sorted, double p) {
  if (sorted.empty()) return 0.0;
  const double index = p * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(index);
  const std::size_t upper = lower + 1;
  if (upper >= sorted.size()) return static_cast<double>(sorted.back());
  const double weight = index - static_cast<double>(lower);
  return static_cast<double>(sorted[lower]) * (1 - weight) +
         static_cast<double>(sorted[upper]) * weight;
}

std::string b64_of_hex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return base64_encode(bytes);
}

// json.dumps(span.to_dict()) in bytes.
std::size_t span_dict_size(const SpanData& span) {
  JsonValue attributes = JsonValue::object();
  for (const auto& [key, value] : span.attributes.as_object())
    attributes.set(key, attribute_text(value));
  JsonValue events = JsonValue::array();
  for (const auto& e : span.events) {
    events.push_back(
        {{"name", e.name}, {"time_unix_nano", e.timestamp}, {"attributes", e.attributes}});
  }
  const std::string hex = span.trace_id.size() > 3 ? span.trace_id.substr(3) : span.trace_id;
  const JsonValue dict = JsonValue::object({
      {"trace_id", b64_of_hex(hex)},
      {"span_id", b64_of_hex(span.span_id)},
      {"parent_span_id", span.parent_id ? JsonValue(b64_of_hex(*span.parent_id)) : JsonValue()},
      {"name", span.name},
      {"kind", "SPAN_KIND_INTERNAL"},
      {"start_time_unix_nano", span.start_time_ns},
      {"end_time_unix_nano", span.end_time_ns ? JsonValue(*span.end_time_ns) : JsonValue()},
      {"events", std::move(events)},
      {"status",
       {{"code", "STATUS_CODE_" + to_string(span.status.status_code)},
        {"message", span.status.description}}},
      {"attributes", std::move(attributes)},
      {"links", JsonValue::array()},
  });
  return dict.dump().size();
}

// An estimate of json.dumps(Trace(info, TraceData([])).to_dict()) in bytes.
std::size_t info_dict_size(const TraceInfo& info) {
  JsonValue metadata = JsonValue::object();
  for (const auto& [k, v] : info.trace_metadata) metadata.set(k, v);
  JsonValue tags = JsonValue::object();
  for (const auto& [k, v] : info.tags) tags.set(k, v);
  JsonValue dict = {{"trace_id", info.trace_id},
                    {"trace_location",
                     {{"type", info.trace_location.type},
                      {"mlflow_experiment", {{"experiment_id", info.experiment_id()}}}}},
                    {"request_time", "2000-01-01T00:00:00.000Z"},
                    {"state", to_string(info.state)},
                    {"trace_metadata", std::move(metadata)},
                    {"tags", std::move(tags)}};
  if (info.request_preview) dict.set("request_preview", *info.request_preview);
  if (info.response_preview) dict.set("response_preview", *info.response_preview);
  if (info.execution_duration) dict.set("execution_duration_ms", *info.execution_duration);
  const JsonValue trace = {{"info", std::move(dict)}, {"data", {{"spans", JsonValue::array()}}}};
  return trace.dump().size();
}

void add_size_stats(TraceInfo& info, const std::vector<SpanData>& spans) {
  if (spans.empty()) return;
  std::vector<std::size_t> sizes;
  sizes.reserve(spans.size());
  for (const auto& s : spans) sizes.push_back(span_dict_size(s));
  std::size_t total = info_dict_size(info) + (sizes.size() - 1) * 2;
  for (std::size_t n : sizes) total += n;
  std::vector<std::size_t> sorted = sizes;
  std::sort(sorted.begin(), sorted.end());
  const JsonValue stats = {{"total_size_bytes", total},
                           {"num_spans", sizes.size()},
                           {"max", sorted.back()},
                           {"p25", static_cast<std::int64_t>(percentile(sorted, 0.25))},
                           {"p50", static_cast<std::int64_t>(percentile(sorted, 0.50))},
                           {"p75", static_cast<std::int64_t>(percentile(sorted, 0.75))}};
  info.trace_metadata[TraceMetadataKey::kSizeStats] = stats.dump();
  info.trace_metadata[TraceMetadataKey::kSizeBytes] = std::to_string(total);
}

}  // namespace

std::string attribute_text(const JsonValue& value) {
  JsonValue::DumpOptions options;
  options.ensure_ascii = false;
  return value.dump(options);
}

JsonValue aggregate_token_usage(const std::vector<SpanData>& spans) {
  static const char* const kKeys[] = {"input_tokens", "output_tokens", "total_tokens"};
  static const char* const kCacheKeys[] = {"cache_read_input_tokens", "cache_creation_input_tokens",
                                           "cache_creation_input_tokens_above_1hr"};
  std::unordered_map<std::string, std::vector<const SpanData*>> children;
  std::unordered_map<std::string, bool> ids;
  for (const auto& s : spans) ids[s.span_id] = true;
  std::vector<const SpanData*> roots;
  for (const auto& s : spans) {
    if (s.parent_id && ids.count(*s.parent_id) != 0) {
      children[*s.parent_id].push_back(&s);
    } else {
      roots.push_back(&s);
    }
  }
  std::int64_t totals[3] = {0, 0, 0};
  std::vector<std::pair<std::string, std::int64_t>> cache;
  bool has_data = false;
  std::vector<std::pair<const SpanData*, bool>> stack;
  for (const auto* r : roots) stack.emplace_back(r, false);
  while (!stack.empty()) {
    const auto [span, ancestor_has_data] = stack.back();
    stack.pop_back();
    const JsonValue* usage = span->get_attribute(SpanAttributeKey::kChatUsage);
    const bool node_has_data = usage != nullptr && !usage->is_null();
    if (node_has_data && !ancestor_has_data && usage->is_object()) {
      for (int k = 0; k < 3; ++k) {
        const JsonValue* v = usage->find(kKeys[k]);
        if (v != nullptr && v->is_number()) totals[k] += static_cast<std::int64_t>(v->as_double());
      }
      for (const char* key : kCacheKeys) {
        const JsonValue* v = usage->find(key);
        if (v == nullptr || !v->is_number()) continue;
        auto it =
            std::find_if(cache.begin(), cache.end(), [&](const auto& p) { return p.first == key; });
        if (it == cache.end()) {
          cache.emplace_back(key, static_cast<std::int64_t>(v->as_double()));
        } else {
          it->second += static_cast<std::int64_t>(v->as_double());
        }
      }
      has_data = true;
    }
    const auto kids = children.find(span->span_id);
    if (kids != children.end()) {
      for (const auto* child : kids->second)
        stack.emplace_back(child, ancestor_has_data || node_has_data);
    }
  }
  if (!has_data) return JsonValue();
  JsonValue out = {{kKeys[0], totals[0]}, {kKeys[1], totals[1]}, {kKeys[2], totals[2]}};
  // Python adds optional keys in the order they are first met.
  for (const auto& [key, value] : cache) out.set(key, value);
  return out;
}

void finalize_trace_info(TraceInfo& info, const SpanData& root,
                         const std::vector<SpanData>& spans) {
  // What every trace starts with; a value set while the trace was live wins.
  for (const auto& [key, value] : env_metadata()) info.trace_metadata.emplace(key, value);
  info.trace_metadata.emplace(TraceMetadataKey::kSchemaVersion, "3");
  info.request_time = root.start_time_ns / 1000000;
  if (root.end_time_ns)
    info.execution_duration = (*root.end_time_ns - root.start_time_ns) / 1000000;
  if (info.state == TraceState::kInProgress) {
    info.state =
        root.status.status_code == SpanStatusCode::kError ? TraceState::kError : TraceState::kOk;
  }
  const JsonValue* inputs = root.get_attribute(SpanAttributeKey::kInputs);
  const JsonValue* outputs = root.get_attribute(SpanAttributeKey::kOutputs);
  info.trace_metadata[TraceMetadataKey::kInputs] = truncate_metadata(inputs);
  info.trace_metadata[TraceMetadataKey::kOutputs] = truncate_metadata(outputs);
  const JsonValue usage = aggregate_token_usage(spans);
  if (!usage.is_null()) info.trace_metadata[TraceMetadataKey::kTokenUsage] = usage.dump();
  if (!info.request_preview && inputs != nullptr) {
    info.request_preview = truncated_preview(attribute_text(*inputs), "user");
  }
  if (!info.response_preview && outputs != nullptr) {
    info.response_preview = truncated_preview(attribute_text(*outputs), "assistant");
  }
  add_size_stats(info, spans);
}

const std::map<std::string, std::string>& env_metadata() {
  // Read by the exporter's senders, which can outlive static destruction at exit (a sender
  // abandoned at the exit deadline): the map is built once and deliberately never destroyed.
  static const std::map<std::string, std::string>& metadata =
      *std::make_unique<const std::map<std::string, std::string>>([] {
         static const char* const kAllowed[] = {
             "mlflow.source.name",       "mlflow.source.type",        "mlflow.user",
             "mlflow.source.git.commit", "mlflow.source.git.repoURL", "mlflow.source.git.branch"};
         std::map<std::string, std::string> out;
         try {
           for (const auto& [key, value] : context_tags()) {
             if (std::find(std::begin(kAllowed), std::end(kAllowed), key) != std::end(kAllowed)) {
               out[key] = value;
             }
           }
         } catch (const std::exception&) {
           // Environment metadata is best effort.
         }
         return out;
       }())
           .release();
  return metadata;
}

}  // namespace mlflow::internal::tracing
