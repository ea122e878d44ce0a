// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/trace_rows.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>

#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal::sqlite {
namespace {

constexpr std::size_t kMaxSessionIdLength = 250;  // MAX_CHARS_IN_TRACE_INFO_METADATA
constexpr std::size_t kQueryBatch = 500;          // _TRACE_CHILD_QUERY_BATCH_SIZE
constexpr double kBigintLimit = 9223372036854775808.0;

// Python's float(text): surrounding white space allowed, the whole rest must be the number.
std::optional<double> python_float(const std::string& text) {
  const std::string t = trim(text);
  if (t.empty() || t.find_first_of("xX") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  const double d = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size()) return std::nullopt;
  return d;
}

std::optional<std::int64_t> integral(double d) {
  if (!std::isfinite(d) || d != std::floor(d) || d >= kBigintLimit || d < -kBigintLimit) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(d);
}

}  // namespace

std::optional<double> finite_float_or_none(const JsonValue& value) {
  std::optional<double> d;
  if (value.is_number()) d = value.as_double();
  if (value.is_string()) d = python_float(value.as_string());
  if (d && std::isfinite(*d)) return d;
  return std::nullopt;
}

std::optional<std::int64_t> token_count_or_none(const JsonValue& value) {
  if (value.is_int()) return value.as_int();
  if (value.is_double()) return integral(value.as_double());
  if (!value.is_string()) return std::nullopt;
  const std::string t = trim(value.as_string());
  // Digits alone are exact integers (Decimal), beyond what a double holds.
  const std::size_t digits_from = !t.empty() && (t[0] == '-' || t[0] == '+') ? 1 : 0;
  if (t.size() > digits_from &&
      t.find_first_not_of("0123456789", digits_from) == std::string::npos) {
    errno = 0;
    const long long v = std::strtoll(t.c_str(), nullptr, 10);
    if (errno == ERANGE) return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  const std::optional<double> d = python_float(t);
  return d ? integral(*d) : std::nullopt;
}

const std::array<AnalyticsColumn, 6> kTokenColumns = {{
    {"input_tokens", "input_tokens"},
    {"output_tokens", "output_tokens"},
    {"total_tokens", "total_tokens"},
    {"cache_read_input_tokens", "cache_read_input_tokens"},
    {"cache_creation_input_tokens", "cache_creation_input_tokens"},
    {"cache_creation_input_tokens_above_1hr", "cache_creation_input_tokens_above_1hr"},
}};
const std::array<AnalyticsColumn, 3> kCostColumns = {{
    {"input_cost", "input_cost"},
    {"output_cost", "output_cost"},
    {"total_cost", "total_cost"},
}};

bool is_promoted_metadata_key(const std::string& key) {
  return key == TraceMetadataKey::kTraceSession || key == TraceMetadataKey::kTokenUsage ||
         key == TraceMetadataKey::kCost;
}

std::string validated_session_id(const std::string& session_id) {
  if (utf8::length(session_id) > kMaxSessionIdLength) {
    throw_error(ErrorCode::kInvalidParameterValue, "'Session ID' exceeds the maximum length of " +
                                                       std::to_string(kMaxSessionIdLength) +
                                                       " characters");
  }
  return session_id;
}

namespace {
// _json_object: a JSON object's members, else none.
JsonValue json_object(const std::string& text) {
  try {
    JsonValue v = JsonValue::parse(text);
    if (v.is_object()) return v;
  } catch (const std::exception&) {
  }
  return JsonValue::object();
}
}  // namespace

AnalyticsColumns analytics_columns_from_metadata(const std::map<std::string, std::string>& md) {
  AnalyticsColumns out;
  if (auto it = md.find(TraceMetadataKey::kTraceSession); it != md.end()) {
    out.has_session = true;
    out.session_id = validated_session_id(it->second);
  }
  if (auto it = md.find(TraceMetadataKey::kTokenUsage); it != md.end()) {
    const JsonValue usage = json_object(it->second);
    for (const auto& c : kTokenColumns) {
      if (const JsonValue* v = usage.find(c.key))
        out.tokens.emplace_back(c.column, token_count_or_none(*v));
    }
  }
  if (auto it = md.find(TraceMetadataKey::kCost); it != md.end()) {
    const JsonValue cost = json_object(it->second);
    for (const auto& c : kCostColumns) {
      if (const JsonValue* v = cost.find(c.key))
        out.costs.emplace_back(c.column, finite_float_or_none(*v));
    }
  }
  return out;
}

std::string parse_json_string_or_raw(const std::string& text) {
  try {
    const JsonValue v = JsonValue::parse(text);
    if (v.is_string()) return v.as_string();
  } catch (const std::exception&) {
  }
  return text;
}

namespace {

// Python's `a + b` for the numbers of usage and cost dicts (bools count as 0 and 1).
JsonValue add(const JsonValue& a, const JsonValue& b) {
  const auto number = [](const JsonValue& v) -> JsonValue {
    if (v.is_bool()) return JsonValue(v.as_bool() ? 1 : 0);
    return v;
  };
  const JsonValue x = number(a);
  const JsonValue y = number(b);
  if (!y.is_number()) return x;  // Python would raise; such a value is not counted
  if (x.is_int() && y.is_int()) return JsonValue(x.as_int() + y.as_int());
  return JsonValue(x.as_double() + y.as_double());
}

JsonValue aggregate(const std::vector<SpanAggregationNode>& nodes,
                    const std::vector<const char*>& keys, const JsonValue& zero,
                    const std::vector<const char*>& optional_keys) {
  JsonValue totals = JsonValue::object();
  for (const char* k : keys) totals.set(k, zero);
  std::map<std::string, std::vector<const SpanAggregationNode*>> children;
  std::vector<const SpanAggregationNode*> roots;
  std::map<std::string, bool> ids;
  for (const auto& n : nodes) ids[n.span_id] = true;
  for (const auto& n : nodes) {
    if (n.parent_id && !n.parent_id->empty() && ids.count(*n.parent_id) != 0) {
      children[*n.parent_id].push_back(&n);
    } else {
      roots.push_back(&n);
    }
  }
  bool has_data = false;
  std::vector<std::pair<const SpanAggregationNode*, bool>> stack;
  for (const auto* r : roots) stack.emplace_back(r, false);
  while (!stack.empty()) {
    const auto [node, ancestor_has_data] = stack.back();
    stack.pop_back();
    const bool node_has_data = node->data.is_object();
    if (node_has_data && !ancestor_has_data) {
      for (const char* k : keys) {
        const JsonValue* v = node->data.find(k);
        totals.set(k, add(*totals.find(k), v != nullptr ? *v : zero));
      }
      for (const char* k : optional_keys) {
        const JsonValue* v = node->data.find(k);
        if (v == nullptr) continue;
        const JsonValue* current = totals.find(k);
        totals.set(k, add(current != nullptr ? *current : zero, *v));
      }
      has_data = true;
    }
    const auto it = children.find(node->span_id);
    if (it == children.end()) continue;
    for (const auto* child : it->second) {
      stack.emplace_back(child, ancestor_has_data || node_has_data);
    }
  }
  return has_data ? totals : JsonValue();
}

}  // namespace

JsonValue aggregate_usage(const std::vector<SpanAggregationNode>& nodes) {
  return aggregate(nodes, {"input_tokens", "output_tokens", "total_tokens"}, JsonValue(0),
                   {"cache_read_input_tokens", "cache_creation_input_tokens",
                    "cache_creation_input_tokens_above_1hr"});
}

JsonValue aggregate_cost(const std::vector<SpanAggregationNode>& nodes) {
  return aggregate(nodes, {"input_cost", "output_cost", "total_cost"}, JsonValue(0.0), {});
}

// ---- assessments ----

const char* const kAssessmentColumns =
    "assessment_id, trace_id, name, assessment_type, value, error, created_timestamp, "
    "last_updated_timestamp, source_type, source_id, run_id, span_id, rationale, overrides, "
    "valid, assessment_metadata";

namespace {

std::map<std::string, std::string> metadata_from_json(const std::string& text) {
  std::map<std::string, std::string> out;
  const JsonValue v = JsonValue::parse(text);
  if (!v.is_object()) return out;
  for (const auto& [k, value] : v.as_object()) {
    out[k] = value.is_string() ? value.as_string() : value.dump();
  }
  return out;
}

std::optional<std::string> optional_string(const JsonValue* v) {
  if (v == nullptr || v->is_null()) return std::nullopt;
  return v->is_string() ? v->as_string() : v->dump();
}

}  // namespace

Assessment read_assessment(const Statement& s) {
  Assessment a;
  a.assessment_id = s.text(0);
  a.trace_id = s.text(1);
  a.name = s.text(2);
  const std::string type = s.text(3);
  const JsonValue value = JsonValue::parse(s.text(4));
  if (type == "feedback") {
    a.kind = AssessmentKind::kFeedback;
    a.value = value;
    if (!s.is_null(5)) {
      const JsonValue e = JsonValue::parse(s.text(5));
      AssessmentError error;
      const JsonValue* code = e.find("error_code");
      error.error_code = code != nullptr && code->is_string() ? code->as_string() : "";
      error.error_message = optional_string(e.find("error_message"));
      error.stack_trace = optional_string(e.find("stack_trace"));
      a.error = std::move(error);
    }
  } else if (type == "expectation") {
    a.kind = AssessmentKind::kExpectation;
    a.value = value;
  } else if (type == "issue") {
    a.kind = AssessmentKind::kIssue;
    a.issue_name = optional_string(value.find("issue_name"));
  } else {
    throw_error(ErrorCode::kInternalError, "Unknown assessment type: " + type);
  }
  a.create_time_ms = s.int64(6);
  a.last_update_time_ms = s.int64(7);
  a.source.source_type = assessment_source_type_from_string(s.text(8));
  a.source.source_id = s.opt_text(9);
  a.run_id = s.opt_text(10);
  a.span_id = s.opt_text(11);
  a.rationale = s.opt_text(12);
  a.overrides = s.opt_text(13);
  a.valid = s.int64(14) != 0;
  if (!s.is_null(15)) a.metadata = metadata_from_json(s.text(15));
  return a;
}

AssessmentValueColumns assessment_value_columns(const Assessment& a) {
  AssessmentValueColumns out;
  JsonValue value = a.value;
  if (a.kind == AssessmentKind::kIssue) {
    value = JsonValue::object({{"issue_name", JsonValue(a.issue_name)}});
  }
  out.value = value.dump();
  if (a.kind == AssessmentKind::kFeedback && a.error) {
    out.error = JsonValue::object({{"error_code", a.error->error_code},
                                   {"error_message", JsonValue(a.error->error_message)},
                                   {"stack_trace", JsonValue(a.error->stack_trace)}})
                    .dump();
  }
  // assessment_aggregate: finite numbers are numeric; bools and "yes"/"no" give 1/0.
  if (value.is_bool()) {
    out.aggregate_value = value.as_bool() ? 1.0 : 0.0;
  } else if (value.is_number() && std::isfinite(value.as_double())) {
    out.aggregate_value = value.as_double();
    out.is_numeric_value = true;
  } else if (value.is_string()) {
    const std::string normalized = to_lower(trim(value.as_string()));
    if (normalized == "yes" || normalized == "no") {
      out.aggregate_value = normalized == "yes" ? 1.0 : 0.0;
    }
  }
  return out;
}

std::optional<std::string> assessment_metadata_json(const std::map<std::string, std::string>& md) {
  if (md.empty()) return std::nullopt;
  return JsonValue(md).dump();
}

void insert_assessment(Connection& c, const Assessment& a, std::int64_t experiment_id,
                       std::int64_t trace_timestamp_ms, std::int64_t now_ms) {
  const AssessmentValueColumns v = assessment_value_columns(a);
  const char* type = a.kind == AssessmentKind::kFeedback      ? "feedback"
                     : a.kind == AssessmentKind::kExpectation ? "expectation"
                                                              : "issue";
  auto s = c.query(
      "INSERT INTO assessments (assessment_id, trace_id, name, assessment_type, value, error, "
      "created_timestamp, last_updated_timestamp, source_type, source_id, run_id, span_id, "
      "rationale, overrides, valid, assessment_metadata, experiment_id, trace_timestamp_ms, "
      "aggregate_value, is_numeric_value) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
      a.assessment_id.value_or(""), a.trace_id, a.name, type, v.value, v.error,
      a.create_time_ms != 0 ? a.create_time_ms : now_ms,
      a.last_update_time_ms != 0 ? a.last_update_time_ms : now_ms, to_string(a.source.source_type),
      a.source.source_id, a.run_id, a.span_id, a.rationale, a.overrides,
      assessment_metadata_json(a.metadata), experiment_id, trace_timestamp_ms);
  if (v.aggregate_value) {
    s->bind(18, *v.aggregate_value);
  } else {
    s->bind_null(18);
  }
  s->bind(19, v.is_numeric_value);
  s->run();
}

// ---- trace infos ----

namespace {

constexpr const char* kTraceInfoColumns =
    "request_id, experiment_id, timestamp_ms, execution_time_ms, status, client_request_id, "
    "request_preview, response_preview, trace_name, session_id, input_tokens, output_tokens, "
    "total_tokens, cache_read_input_tokens, cache_creation_input_tokens, "
    "cache_creation_input_tokens_above_1hr, input_cost, output_cost, total_cost";

// compatibility_metadata_from_columns, from a row selected with kTraceInfoColumns.
void add_column_metadata(const Statement& s, std::map<std::string, std::string>& md) {
  if (!s.is_null(9)) md[TraceMetadataKey::kTraceSession] = s.text(9);
  JsonValue usage = JsonValue::object();
  for (std::size_t k = 0; k < kTokenColumns.size(); ++k) {
    const int col = 10 + static_cast<int>(k);
    if (!s.is_null(col)) usage.set(kTokenColumns[k].key, s.int64(col));
  }
  if (!usage.empty()) md[TraceMetadataKey::kTokenUsage] = usage.dump();
  JsonValue cost = JsonValue::object();
  for (std::size_t k = 0; k < kCostColumns.size(); ++k) {
    const int col = 16 + static_cast<int>(k);
    if (!s.is_null(col)) cost.set(kCostColumns[k].key, s.real(col));
  }
  if (!cost.empty()) md[TraceMetadataKey::kCost] = cost.dump();
}

// SELECT <columns> FROM <table> WHERE <id column> IN (<batch>) <tail>
SqlQuery batch_query(const std::string& select, const std::vector<std::string>& ids,
                     const std::string& tail) {
  SqlBuilder b;
  b.sql(select).text_list(ids).sql(tail);
  return b.take();
}

}  // namespace

std::vector<TraceInfo> load_trace_infos(Connection& c, const std::vector<std::string>& trace_ids) {
  std::map<std::string, TraceInfo> found;
  for (std::size_t from = 0; from < trace_ids.size(); from += kQueryBatch) {
    const std::vector<std::string> batch(
        trace_ids.begin() + static_cast<std::ptrdiff_t>(from),
        trace_ids.begin() +
            static_cast<std::ptrdiff_t>(std::min(trace_ids.size(), from + kQueryBatch)));
    {
      auto s = c.statement(batch_query(
          std::string("SELECT ") + kTraceInfoColumns + " FROM trace_info WHERE request_id IN ",
          batch, ""));
      while (s->step()) {
        TraceInfo info;
        info.trace_id = s->text(0);
        info.trace_location.experiment_id = std::to_string(s->int64(1));
        info.request_time = s->int64(2);
        info.execution_duration = s->opt_int64(3);
        info.state = trace_state_from_string(s->text(4));
        info.client_request_id = s->opt_text(5);
        info.request_preview = s->opt_text(6);
        info.response_preview = s->opt_text(7);
        if (!s->is_null(8)) info.tags[TraceTagKey::kTraceName] = s->text(8);
        add_column_metadata(*s, info.trace_metadata);
        found.emplace(info.trace_id, std::move(info));
      }
    }
    {
      auto s = c.statement(batch_query(
          "SELECT request_id, key, value FROM trace_tags WHERE request_id IN ", batch, ""));
      while (s->step()) {
        const std::string key = s->text(1);
        auto it = found.find(s->text(0));
        if (it != found.end() && key != TraceTagKey::kTraceName) it->second.tags[key] = s->text(2);
      }
    }
    {
      auto s = c.statement(batch_query(
          "SELECT request_id, key, value FROM trace_request_metadata WHERE request_id IN ", batch,
          ""));
      while (s->step()) {
        const std::string key = s->text(1);
        auto it = found.find(s->text(0));
        if (it != found.end() && !is_promoted_metadata_key(key)) {
          it->second.trace_metadata[key] = s->text(2);
        }
      }
    }
    {
      auto s = c.statement(batch_query(
          std::string("SELECT ") + kAssessmentColumns + " FROM assessments WHERE trace_id IN ",
          batch, " ORDER BY trace_id, created_timestamp, rowid"));
      while (s->step()) {
        auto it = found.find(s->text(1));
        if (it != found.end()) it->second.assessments.push_back(read_assessment(*s));
      }
    }
  }
  std::vector<TraceInfo> out;
  out.reserve(found.size());
  for (const auto& id : trace_ids) {
    auto it = found.find(id);
    if (it != found.end()) out.push_back(it->second);
  }
  return out;
}

}  // namespace mlflow::internal::sqlite
