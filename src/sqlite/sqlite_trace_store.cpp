// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The trace RPCs on MLflow 3.18's trace tables, call by call as SqlAlchemyStore does them
// (mlflow/store/tracking/sqlalchemy_store.py: start_trace, log_spans, get_trace_info,
// get_trace, batch_get_traces, search_traces, set/delete_trace_tag, _delete_traces,
// link_traces_to_run, link_prompts_to_trace, create/get/update/delete_assessment) plus the
// checks of its REST handlers (mlflow/server/handlers.py, otel_api.py). Not reproduced: the
// opt-in daily rollups (MLFLOW_SQL_TRACE_ROLLUPS_ENABLED, off by default), trace archival,
// and the translation of third-party OpenTelemetry conventions (ADR 0023).
#include "sqlite/sqlite_trace_store.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "client/validation.hpp"
#include "core/ids.hpp"
#include "core/strings.hpp"
#include "core/trace_preview.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/search_sql.hpp"
#include "sqlite/span_content.hpp"
#include "sqlite/trace_rows.hpp"
#include "sqlite/trace_search_sql.hpp"

namespace mlflow::internal {

using sqlite::Connection;
using sqlite::SqlBuilder;

namespace {

constexpr const char* kTrackingStore = "TRACKING_STORE";
constexpr const char* kTraceTagPrefix = "mlflow.traceTag.";
constexpr const char* kArchiveLocation = "mlflow.trace.archiveLocation";
constexpr const char* kArchivalFailure = "mlflow.trace.archivalFailure";
constexpr std::size_t kMaxTraceNameLength = 4096;  // MAX_CHARS_IN_TRACE_INFO_TAGS_VALUE
constexpr std::size_t kMaxModelDimensionLength = 500;
constexpr std::size_t kMaxTraceLinksPerRequest = 100;

[[noreturn]] void invalid(const std::string& message) {
  throw_error(ErrorCode::kInvalidParameterValue, message);
}

[[noreturn]] void not_found(const std::string& message) {
  throw_error(ErrorCode::kResourceDoesNotExist, message);
}

// ---- experiments ----

struct Experiment {
  std::int64_t id = 0;
  std::string lifecycle_stage;
  std::string artifact_location;
};

// get_experiment: any lifecycle stage.
Experiment require_experiment(Connection& c, std::int64_t id) {
  auto s = c.query(
      "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = ?", id);
  if (!s->step()) not_found("No Experiment with id=" + std::to_string(id) + " exists");
  return Experiment{id, s->text(0), s->text(1)};
}

// ---- trace ids, tags, names ----

// _validate_new_trace_id: the id names a directory of the trace's artifact location.
void validate_new_trace_id(const std::string& trace_id) {
  const auto bad = [&](const std::string& why) {
    invalid("Invalid value " + JsonValue(trace_id).dump() +
            " for parameter 'trace_id' supplied: " + why);
  };
  const bool trailing = !trace_id.empty() && (trace_id.back() == ' ' || trace_id.back() == '.');
  if (trace_id.empty() || trailing || trace_id.find('/') != std::string::npos) {
    bad("must be a single path component");
  }
  for (const char ch : trace_id) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '%' || ch == '?' || ch == '#' || u < 32 || u == 127) {
      bad("must not contain '%', '?', '#' or control characters");
    }
  }
}

// append_to_uri_path(experiment location, "traces", trace_id, "artifacts")
std::string trace_artifact_location(const std::string& experiment_location,
                                    const std::string& trace_id) {
  std::string base = experiment_location;
  if (base.empty() || base.back() != '/') base += '/';
  return base + "traces/" + trace_id + "/artifacts";
}

// Tags the server manages itself; its handlers drop them from requests and refuse to set them.
bool is_blocked_tag(const std::string& key) {
  return key == TraceTagKey::kArtifactLocation || key == TraceTagKey::kSpansLocation ||
         key == kArchiveLocation || key == kArchivalFailure;
}

std::string validated_trace_name(const std::string& name) {
  if (utf8::length(name) > kMaxTraceNameLength) {
    invalid("'Trace name' exceeds the maximum length of " + std::to_string(kMaxTraceNameLength) +
            " characters");
  }
  return name;
}

// Sets `key` of the trace in `table`, one of the trace key/value tables (fixed text).
void upsert_trace_key(Connection& c, const char* table, const std::string& trace_id,
                      const std::string& key, const std::string& value) {
  c.run(std::string("INSERT INTO ") + table +
            " (key, value, request_id) VALUES (?, ?, ?) "
            "ON CONFLICT (key, request_id) DO UPDATE SET value = excluded.value",
        key, value, trace_id);
}

void upsert_tag(Connection& c, const std::string& trace_id, const std::string& key,
                const std::string& value) {
  upsert_trace_key(c, "trace_tags", trace_id, key, value);
}

void upsert_metadata(Connection& c, const std::string& trace_id, const std::string& key,
                     const std::string& value) {
  upsert_trace_key(c, "trace_request_metadata", trace_id, key, value);
}

// Links the trace to `destination_id` of `destination_type` ("run", "prompt_version") in
// MLflow's entity_associations table; an existing link stays as it is.
void associate_trace(Connection& c, const std::string& trace_id,
                     const std::string& destination_type, const std::string& destination_id,
                     std::int64_t now) {
  c.run(
      "INSERT INTO entity_associations (association_id, source_type, source_id, "
      "destination_type, destination_id, created_time) VALUES (?, 'trace', ?, ?, ?, ?) "
      "ON CONFLICT DO NOTHING",
      uuid4_hex(), trace_id, destination_type, destination_id, now);
}

bool trace_exists(Connection& c, const std::string& trace_id) {
  return c.query("SELECT 1 FROM trace_info WHERE request_id = ?", trace_id)->step();
}

// Whether the trace's spans are (to be) kept in this database: no spansLocation tag, or
// TRACKING_STORE (_is_db_backed_spans_location).
bool holds_spans(Connection& c, const std::string& trace_id) {
  auto s = c.query("SELECT value FROM trace_tags WHERE request_id = ? AND key = ?", trace_id,
                   TraceTagKey::kSpansLocation);
  return !s->step() || s->text(0) == kTrackingStore;
}

// Raises unless every trace still holds its spans here (the payload generation guard of
// _advance_db_payload_generations_for_db_span_writes), then counts the write.
void advance_payload_generations(Connection& c, const std::vector<std::string>& trace_ids) {
  for (const auto& id : trace_ids) {
    if (!holds_spans(c, id)) {
      throw_error(ErrorCode::kInvalidState,
                  "Cannot log spans because one or more traces are unavailable for DB-backed "
                  "span writes: '" +
                      id + "'.");
    }
  }
  SqlBuilder b;
  b.sql(
       "UPDATE trace_info SET db_payload_generation = db_payload_generation + 1 WHERE "
       "request_id IN ")
      .text_list(trace_ids);
  c.statement(b.take())->run();
}

std::string new_assessment_id() { return "a-" + uuid4_hex(); }

// ---- log_spans: what one batch says about each of its traces ----

struct SpanRow {
  SpanData span;
  std::string content;
  std::optional<double> costs[3];
  std::optional<std::string> model_name;
  std::optional<std::string> model_provider;
};

struct TraceBatch {
  std::string trace_id;
  std::vector<SpanRow> rows;
  std::int64_t min_start_ms = 0;
  std::optional<std::int64_t> max_end_ms;
  std::optional<std::string> root_status;
  std::vector<sqlite::SpanAggregationNode> usage_nodes;
  std::vector<sqlite::SpanAggregationNode> cost_nodes;
  JsonValue usage;  // aggregate of this batch; null without data
  JsonValue cost;
  std::optional<std::string> session_id;
  std::optional<std::string> user_id;
  const SpanData* root = nullptr;
  std::map<std::string, std::string> tags;  // from the root's mlflow.traceTag.* attributes
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// The dumped text of an attribute (how Python's stored span dict holds it), or nothing.
std::optional<std::string> dumped_attribute(const SpanData& span, const char* key) {
  const JsonValue* v = span.get_attribute(key);
  if (v == nullptr) return std::nullopt;
  JsonValue::DumpOptions o;
  o.ensure_ascii = false;
  return v->dump(o);
}

sqlite::SpanAggregationNode aggregation_node(const SpanData& span, const char* key) {
  const JsonValue* v = span.get_attribute(key);
  JsonValue data;
  if (v != nullptr && v->is_object()) {
    data = *v;
  } else if (v != nullptr && v->is_string()) {
    // try_json_loads of a value that was itself JSON text
    try {
      JsonValue parsed = JsonValue::parse(v->as_string());
      if (parsed.is_object()) data = std::move(parsed);
    } catch (const std::exception&) {
    }
  }
  return {span.span_id, span.parent_id, std::move(data)};
}

std::optional<std::string> model_dimension(const SpanData& span, const char* key) {
  const auto dumped = dumped_attribute(span, key);
  if (!dumped) return std::nullopt;
  return utf8::truncate(sqlite::parse_json_string_or_raw(*dumped), kMaxModelDimensionLength);
}

// The per-trace part of _log_spans_once that needs no database (its "phase 0").
std::vector<TraceBatch> prepare_batches(const std::vector<SpanData>& spans) {
  std::vector<TraceBatch> batches;
  std::map<std::string, std::size_t> index;
  for (const auto& input : spans) {
    SpanRow row;
    row.span = sqlite::span_for_storage(input);
    const auto [it, fresh] = index.emplace(row.span.trace_id, batches.size());
    if (fresh) {
      batches.emplace_back();
      batches.back().trace_id = row.span.trace_id;
    }
    batches[it->second].rows.push_back(std::move(row));
  }
  for (auto& b : batches) {
    bool first = true;
    for (auto& row : b.rows) {
      const SpanData& s = row.span;
      const std::int64_t start_ms = floor_div(s.start_time_ns, 1000000);
      b.min_start_ms = first ? start_ms : std::min(b.min_start_ms, start_ms);
      first = false;
      if (s.end_time_ns) {
        const std::int64_t end_ms = floor_div(*s.end_time_ns, 1000000);
        b.max_end_ms = b.max_end_ms ? std::max(*b.max_end_ms, end_ms) : end_ms;
      }
      if (!s.parent_id && !b.root) {
        b.root = &s;
        b.root_status = s.status.status_code == SpanStatusCode::kError ? "ERROR" : "OK";
      }
      b.usage_nodes.push_back(aggregation_node(s, SpanAttributeKey::kChatUsage));
      b.cost_nodes.push_back(aggregation_node(s, SpanAttributeKey::kLlmCost));
      if (!b.session_id) {
        auto session = dumped_attribute(s, SpanAttributeKey::kSessionId);
        if (!session) session = dumped_attribute(s, "gen_ai.conversation.id");
        if (session) {
          b.session_id = sqlite::validated_session_id(sqlite::parse_json_string_or_raw(*session));
        }
      }
      if (!b.user_id) {
        if (auto user = dumped_attribute(s, SpanAttributeKey::kUserId)) {
          b.user_id = sqlite::parse_json_string_or_raw(*user);
        }
      }
      row.content = sqlite::span_content(s);
      if (const auto cost = dumped_attribute(s, SpanAttributeKey::kLlmCost)) {
        try {
          const JsonValue values = JsonValue::parse(*cost);
          for (std::size_t k = 0; k < 3 && values.is_object(); ++k) {
            if (const JsonValue* v = values.find(sqlite::kCostColumns[k].key)) {
              row.costs[k] = sqlite::finite_float_or_none(*v);
            }
          }
        } catch (const std::exception&) {
          // Python skips malformed cost.
        }
      }
      row.model_name = model_dimension(s, SpanAttributeKey::kModel);
      row.model_provider = model_dimension(s, SpanAttributeKey::kModelProvider);
    }
    if (b.root) {
      for (const auto& [key, value] : b.root->attributes.as_object()) {
        if (key.rfind(kTraceTagPrefix, 0) != 0) continue;
        const std::string tag = key.substr(std::char_traits<char>::length(kTraceTagPrefix));
        if (is_blocked_tag(tag)) continue;  // the OTLP handler drops them
        JsonValue::DumpOptions o;
        o.ensure_ascii = false;
        std::string text = sqlite::parse_json_string_or_raw(value.dump(o));
        try {
          const RunTag valid = validate_tag(RunTag{tag, text});
          text = valid.value;
        } catch (const MlflowException&) {
          continue;  // Python skips invalid tags
        }
        if (tag == TraceTagKey::kTraceName) text = validated_trace_name(text);
        b.tags[tag] = text;
      }
    }
    b.usage = sqlite::aggregate_usage(b.usage_nodes);
    b.cost = sqlite::aggregate_cost(b.cost_nodes);
  }
  return batches;
}

// What log_spans needs of an existing trace_info row.
struct ExistingTrace {
  std::int64_t experiment_id = 0;
  std::int64_t timestamp_ms = 0;
  std::string status;
  bool has_request_preview = false;
  bool has_response_preview = false;
  bool has_session = false;
  bool has_tokens = false;
  bool has_cost = false;
  bool created = false;
};

std::optional<ExistingTrace> read_existing(Connection& c, const std::string& trace_id) {
  auto s = c.query(
      "SELECT experiment_id, timestamp_ms, status, request_preview IS NOT NULL, "
      "response_preview IS NOT NULL, session_id IS NOT NULL, "
      "coalesce(input_tokens, output_tokens, total_tokens, cache_read_input_tokens, "
      "cache_creation_input_tokens, cache_creation_input_tokens_above_1hr) IS NOT NULL, "
      "coalesce(input_cost, output_cost, total_cost) IS NOT NULL FROM trace_info WHERE "
      "request_id = ?",
      trace_id);
  if (!s->step()) return std::nullopt;
  ExistingTrace e;
  e.experiment_id = s->int64(0);
  e.timestamp_ms = s->int64(1);
  e.status = s->text(2);
  e.has_request_preview = s->int64(3) != 0;
  e.has_response_preview = s->int64(4) != 0;
  e.has_session = s->int64(5) != 0;
  e.has_tokens = s->int64(6) != 0;
  e.has_cost = s->int64(7) != 0;
  return e;
}

void upsert_span(Connection& c, std::int64_t experiment_id, const SpanRow& r) {
  const SpanData& s = r.span;
  const JsonValue* type = s.get_attribute(SpanAttributeKey::kSpanType);
  auto q = c.query(
      "INSERT INTO spans (trace_id, experiment_id, span_id, parent_span_id, name, type, status, "
      "start_time_unix_nano, end_time_unix_nano, content, input_cost, output_cost, total_cost, "
      "model_name, model_provider) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (trace_id, span_id) DO UPDATE SET experiment_id = excluded.experiment_id, "
      "parent_span_id = excluded.parent_span_id, name = excluded.name, type = excluded.type, "
      "status = excluded.status, start_time_unix_nano = excluded.start_time_unix_nano, "
      "end_time_unix_nano = excluded.end_time_unix_nano, content = excluded.content, "
      "input_cost = excluded.input_cost, output_cost = excluded.output_cost, "
      "total_cost = excluded.total_cost, model_name = excluded.model_name, "
      "model_provider = excluded.model_provider",
      s.trace_id, experiment_id, s.span_id, s.parent_id, s.name,
      type != nullptr && type->is_string() ? std::optional<std::string>(type->as_string())
                                           : std::nullopt,
      to_string(s.status.status_code), s.start_time_ns, s.end_time_ns, r.content);
  for (int k = 0; k < 3; ++k) {
    if (r.costs[k]) {
      q->bind(11 + k, *r.costs[k]);
    } else {
      q->bind_null(11 + k);
    }
  }
  q->bind(14, r.model_name);
  q->bind(15, r.model_provider);
  q->run();
}

// The stored spans of a trace as aggregation nodes, leaving out those of this batch.
void stored_nodes(Connection& c, const TraceBatch& b,
                  std::vector<sqlite::SpanAggregationNode>* usage,
                  std::vector<sqlite::SpanAggregationNode>* cost) {
  std::set<std::string> in_batch;
  for (const auto& r : b.rows) in_batch.insert(r.span.span_id);
  auto s = c.query(
      "SELECT span_id, parent_span_id, content FROM spans WHERE trace_id = ? AND content != ''",
      b.trace_id);
  while (s->step()) {
    if (in_batch.count(s->text(0)) != 0) continue;
    SpanData span;
    span.span_id = s->text(0);
    span.parent_id = s->opt_text(1);
    try {
      const JsonValue content = JsonValue::parse(s->text(2));
      const JsonValue* attributes = content.find("attributes");
      if (attributes != nullptr && attributes->is_object()) span.attributes = *attributes;
    } catch (const std::exception&) {
      continue;  // Python skips malformed content
    }
    if (usage != nullptr) usage->push_back(aggregation_node(span, SpanAttributeKey::kChatUsage));
    if (cost != nullptr) cost->push_back(aggregation_node(span, SpanAttributeKey::kLlmCost));
  }
}

// Phase 5 of _log_spans_once for one trace: times, status, previews, name, usage, cost,
// session and user, computed against the row as it was before this call.
void update_trace_from_spans(Connection& c, const TraceBatch& b, const ExistingTrace& e,
                             bool finalized) {
  SqlBuilder set;
  const auto assign = [&](const std::string& column) {
    set.sql(set.empty() ? "" : ", ").sql(column + " = ");
  };
  if (!finalized) {
    const auto new_timestamp = [&](SqlBuilder& x) {
      x.sql("CASE WHEN timestamp_ms > ")
          .integer(b.min_start_ms)
          .sql(" THEN ")
          .integer(b.min_start_ms)
          .sql(" ELSE timestamp_ms END");
    };
    assign("timestamp_ms");
    new_timestamp(set);
    if (b.max_end_ms) {
      assign("execution_time_ms");
      set.sql("(CASE WHEN (timestamp_ms + execution_time_ms) > ")
          .integer(*b.max_end_ms)
          .sql(" THEN timestamp_ms + execution_time_ms ELSE ")
          .integer(*b.max_end_ms)
          .sql(" END) - (");
      new_timestamp(set);
      set.sql(")");
    }
  }
  if ((e.status == "IN_PROGRESS" || e.status == "STATE_UNSPECIFIED") && b.root_status) {
    assign("status");
    set.text(*b.root_status);
  }
  if (b.root) {
    const auto inputs = dumped_attribute(*b.root, SpanAttributeKey::kInputs);
    if (!e.has_request_preview && inputs && !inputs->empty()) {
      assign("request_preview");
      set.text(truncated_preview(*inputs, "user"));
    }
    const auto outputs = dumped_attribute(*b.root, SpanAttributeKey::kOutputs);
    if (!e.has_response_preview && outputs && !outputs->empty()) {
      assign("response_preview");
      set.text(truncated_preview(*outputs, "assistant"));
    }
  }
  if (auto it = b.tags.find(TraceTagKey::kTraceName); it != b.tags.end()) {
    assign("trace_name");
    set.text(it->second);
  }
  // start_trace's values win over what spans say once it has written them.
  const bool usage_authoritative = finalized && e.has_tokens;
  const bool cost_authoritative = finalized && e.has_cost;
  const bool recompute_usage = !b.usage.is_null() && !usage_authoritative && !e.created;
  const bool recompute_cost = !b.cost.is_null() && !cost_authoritative && !e.created;
  std::vector<sqlite::SpanAggregationNode> usage_nodes = b.usage_nodes;
  std::vector<sqlite::SpanAggregationNode> cost_nodes = b.cost_nodes;
  if (recompute_usage || recompute_cost) {
    stored_nodes(c, b, recompute_usage ? &usage_nodes : nullptr,
                 recompute_cost ? &cost_nodes : nullptr);
  }
  // Each column whose key `totals` holds a value `read` accepts, bound with `bind`.
  const auto assign_totals = [&](const JsonValue& totals, const auto& columns, auto read,
                                 auto bind) {
    for (const auto& col : columns) {
      const JsonValue* v = totals.find(col.key);
      if (v == nullptr) continue;
      if (const auto value = read(*v)) {
        assign(col.column);
        (set.*bind)(*value);
      }
    }
  };
  if (!b.usage.is_null() && !usage_authoritative) {
    assign_totals(e.created ? b.usage : sqlite::aggregate_usage(usage_nodes), sqlite::kTokenColumns,
                  sqlite::token_count_or_none, &SqlBuilder::integer);
  }
  if (!b.cost.is_null() && !cost_authoritative) {
    assign_totals(e.created ? b.cost : sqlite::aggregate_cost(cost_nodes), sqlite::kCostColumns,
                  sqlite::finite_float_or_none, &SqlBuilder::real);
  }
  if (b.session_id && !b.session_id->empty() && !e.has_session) {
    assign("session_id");
    set.text(*b.session_id);
  }
  if (b.user_id && !b.user_id->empty() &&
      !c.query("SELECT 1 FROM trace_request_metadata WHERE request_id = ? AND key = ?", b.trace_id,
               TraceMetadataKey::kTraceUser)
           ->step()) {
    upsert_metadata(c, b.trace_id, TraceMetadataKey::kTraceUser, *b.user_id);
  }
  if (!set.empty()) {
    SqlBuilder update;
    update.sql("UPDATE trace_info SET ").append(set).sql(" WHERE request_id = ").text(b.trace_id);
    c.statement(update.take())->run();
  }
  if (!finalized && e.timestamp_ms > b.min_start_ms) {
    c.run("UPDATE assessments SET trace_timestamp_ms = ? WHERE trace_id = ?", b.min_start_ms,
          b.trace_id);
  }
}

// ---- reading spans ----

struct StoredSpan {
  std::string content;
  bool is_root = false;
  std::int64_t start = 0;
};

// The spans of a trace ordered as _get_spans_with_trace_info orders them: root spans first,
// then by start time.
std::vector<SpanData> load_spans(Connection& c, const std::string& trace_id) {
  std::vector<StoredSpan> stored;
  auto s = c.query(
      "SELECT content, parent_span_id IS NULL, start_time_unix_nano FROM spans WHERE trace_id = ? "
      "AND content != '' ORDER BY span_id",
      trace_id);
  while (s->step()) stored.push_back({s->text(0), s->int64(1) != 0, s->int64(2)});
  std::stable_sort(stored.begin(), stored.end(), [](const StoredSpan& a, const StoredSpan& b) {
    if (a.is_root != b.is_root) return a.is_root;
    return a.start < b.start;
  });
  std::vector<SpanData> out;
  out.reserve(stored.size());
  for (const auto& span : stored) out.push_back(sqlite::span_from_content(span.content, trace_id));
  return out;
}

// The spans of a trace when they are all here; nullopt while some are still missing (none
// yet, or fewer than the trace's size stats count), as the store's readiness check says.
std::optional<std::vector<SpanData>> complete_spans(Connection& c, const TraceInfo& info,
                                                    bool allow_partial) {
  const auto location = info.tags.find(TraceTagKey::kSpansLocation);
  if (location == info.tags.end() || location->second != kTrackingStore) {
    throw_error(ErrorCode::kInternalError, "Trace data not stored in tracking store");
  }
  std::vector<SpanData> spans = load_spans(c, info.trace_id);
  if (allow_partial) return spans;
  const auto stats = info.trace_metadata.find(TraceMetadataKey::kSizeStats);
  if (stats != info.trace_metadata.end() && !stats->second.empty()) {
    const JsonValue parsed = JsonValue::parse(stats->second);
    const JsonValue* n = parsed.find("num_spans");
    if (n != nullptr && n->is_number() && static_cast<double>(spans.size()) < n->as_double()) {
      return std::nullopt;
    }
  }
  if (spans.empty()) return std::nullopt;
  return spans;
}

// ---- assessments ----

// _get_sql_assessment
Assessment require_assessment(Connection& c, const std::string& trace_id,
                              const std::string& assessment_id) {
  auto s = c.query(std::string("SELECT ") + sqlite::kAssessmentColumns +
                       " FROM assessments WHERE trace_id = ? AND assessment_id = ?",
                   trace_id, assessment_id);
  if (s->step()) return sqlite::read_assessment(*s);
  if (!trace_exists(c, trace_id)) not_found("Trace with request_id '" + trace_id + "' not found");
  not_found("Assessment with ID '" + assessment_id + "' not found for trace '" + trace_id + "'");
}

}  // namespace

SqliteTraceStore::SqliteTraceStore(std::shared_ptr<sqlite::Database> db, RetryHooks hooks)
    : db_(std::move(db)), hooks_(std::move(hooks)) {}

// ---- start_trace ----

TraceInfo SqliteTraceStore::start_trace(const TraceInfo& info) {
  std::optional<std::string> trace_name;
  if (auto it = info.tags.find(TraceTagKey::kTraceName); it != info.tags.end()) {
    trace_name = validated_trace_name(it->second);
  }
  const std::int64_t exp_id = sqlite_search::parse_experiment_id(info.experiment_id());
  const std::string& id = info.trace_id;
  return db_->write([&](Connection& c) {
    const Experiment exp = require_experiment(c, exp_id);
    if (exp.lifecycle_stage != "active") {
      invalid("The experiment " + std::to_string(exp_id) +
              " must be in the 'active' state. Current state is " + exp.lifecycle_stage + ".");
    }
    std::map<std::string, std::string> metadata = info.trace_metadata;
    const sqlite::AnalyticsColumns analytics = sqlite::analytics_columns_from_metadata(metadata);
    for (auto it = metadata.begin(); it != metadata.end();) {
      it = sqlite::is_promoted_metadata_key(it->first) ? metadata.erase(it) : std::next(it);
    }
    metadata[TraceMetadataKey::kInfoFinalized] = "true";
    std::map<std::string, std::string> tags;
    for (const auto& [k, v] : info.tags) {
      if (k != TraceTagKey::kTraceName && !is_blocked_tag(k)) tags[k] = v;
    }
    validate_new_trace_id(id);
    tags[TraceTagKey::kArtifactLocation] = trace_artifact_location(exp.artifact_location, id);
    std::vector<Assessment> assessments = info.assessments;
    for (auto& a : assessments) {
      if (!a.assessment_id) a.assessment_id = new_assessment_id();
      a.trace_id = id;
    }
    const auto preview = [](const std::optional<std::string>& p) -> std::optional<std::string> {
      return p ? std::optional<std::string>(replace_nul(*p)) : std::nullopt;
    };
    // The analytics columns the metadata names, as ", col = ?" assignments (NULL when unset);
    // `bind` is the SqlBuilder member that binds the column's type.
    SqlBuilder analytics_set;
    const auto assign = [&analytics_set](const std::string& column, const auto& value, auto bind) {
      analytics_set.sql(", " + column + " = ");
      if (value) {
        (analytics_set.*bind)(*value);
      } else {
        analytics_set.sql("NULL");
      }
    };
    if (analytics.has_session) assign("session_id", analytics.session_id, &SqlBuilder::text);
    for (const auto& [column, value] : analytics.tokens)
      assign(column, value, &SqlBuilder::integer);
    for (const auto& [column, value] : analytics.costs) assign(column, value, &SqlBuilder::real);

    const auto existing = read_existing(c, id);
    if (!existing) {
      c.run(
          "INSERT INTO trace_info (request_id, experiment_id, timestamp_ms, execution_time_ms, "
          "status, client_request_id, request_preview, response_preview, trace_name) VALUES "
          "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
          id, exp_id, info.request_time, info.execution_duration, to_string(info.state),
          info.client_request_id, preview(info.request_preview), preview(info.response_preview),
          trace_name);
      if (!analytics_set.empty()) {
        SqlBuilder update;
        update.sql("UPDATE trace_info SET db_payload_generation = db_payload_generation")
            .append(analytics_set)
            .sql(" WHERE request_id = ")
            .text(id);
        c.statement(update.take())->run();
      }
      for (const auto& [k, v] : tags) upsert_tag(c, id, k, v);
      for (const auto& [k, v] : metadata) upsert_metadata(c, id, k, v);
      const std::int64_t now = now_millis();
      for (const auto& a : assessments) {
        sqlite::insert_assessment(c, a, exp_id, info.request_time, now);
      }
    } else {
      // The trace exists (log_spans came first): merge into it, keeping what spans derived
      // unless this info says otherwise.
      if (existing->experiment_id != exp_id) {
        invalid("Trace with ID '" + id + "' already exists in another experiment.");
      }
      if (!holds_spans(c, id)) {
        throw_error(ErrorCode::kInvalidState,
                    "Cannot update traces that are no longer DB-backed: '" + id + "'.");
      }
      for (const auto& a : assessments) {
        auto owner =
            c.query("SELECT trace_id FROM assessments WHERE assessment_id = ?", *a.assessment_id);
        if (owner->step() && owner->text(0) != id) {
          invalid("Assessment with ID '" + *a.assessment_id + "' belongs to another trace.");
        }
      }
      advance_payload_generations(c, {id});
      SqlBuilder update;
      update.sql("UPDATE trace_info SET timestamp_ms = ")
          .integer(info.request_time)
          .sql(", execution_time_ms = ");
      if (info.execution_duration) {
        update.integer(*info.execution_duration);
      } else {
        update.sql("NULL");
      }
      update.sql(", status = ").text(to_string(info.state)).sql(", client_request_id = ");
      if (info.client_request_id) {
        update.text(*info.client_request_id);
      } else {
        update.sql("NULL");
      }
      if (info.tags.count(TraceTagKey::kTraceName) != 0) {
        update.sql(", trace_name = ").text(*trace_name);
      }
      update.append(analytics_set);
      if (info.request_preview)
        update.sql(", request_preview = ").text(*preview(info.request_preview));
      if (info.response_preview) {
        update.sql(", response_preview = ").text(*preview(info.response_preview));
      }
      update.sql(" WHERE request_id = ").text(id);
      c.statement(update.take())->run();
      for (const auto& [k, v] : tags) upsert_tag(c, id, k, v);
      const std::int64_t now = now_millis();
      for (const auto& a : assessments) {
        c.run("DELETE FROM assessments WHERE assessment_id = ?", *a.assessment_id);
        sqlite::insert_assessment(c, a, exp_id, info.request_time, now);
      }
      for (const auto& [k, v] : metadata) upsert_metadata(c, id, k, v);
      c.run("UPDATE spans SET experiment_id = ? WHERE trace_id = ?", exp_id, id);
      c.run("UPDATE assessments SET experiment_id = ?, trace_timestamp_ms = ? WHERE trace_id = ?",
            exp_id, info.request_time, id);
    }
    return sqlite::load_trace_infos(c, {id}).at(0);
  });
}

// ---- log_spans ----

void SqliteTraceStore::log_spans(const std::string& experiment_id,
                                 const std::vector<SpanData>& spans) {
  if (spans.empty()) return;
  const std::int64_t exp_id = sqlite_search::parse_experiment_id(experiment_id);
  std::vector<TraceBatch> batches = prepare_batches(spans);
  db_->write([&](Connection& c) {
    std::map<std::string, ExistingTrace> existing;
    std::optional<Experiment> exp;
    for (const auto& b : batches) {
      if (auto e = read_existing(c, b.trace_id)) {
        existing.emplace(b.trace_id, *e);
        continue;
      }
      if (!exp) exp = require_experiment(c, exp_id);
      validate_new_trace_id(b.trace_id);
      // The trace appears with its first spans: IN_PROGRESS until its root span arrives.
      const std::optional<std::int64_t> duration =
          b.max_end_ms && *b.max_end_ms != 0
              ? std::optional<std::int64_t>(*b.max_end_ms - b.min_start_ms)
              : std::nullopt;
      const std::string status = b.root_status.value_or("IN_PROGRESS");
      c.run(
          "INSERT INTO trace_info (request_id, experiment_id, timestamp_ms, execution_time_ms, "
          "status) VALUES (?, ?, ?, ?, ?)",
          b.trace_id, exp_id, b.min_start_ms, duration, status);
      upsert_tag(c, b.trace_id, TraceTagKey::kArtifactLocation,
                 trace_artifact_location(exp->artifact_location, b.trace_id));
      ExistingTrace created;
      created.experiment_id = exp_id;
      created.timestamp_ms = b.min_start_ms;
      created.status = status;
      created.created = true;
      existing.emplace(b.trace_id, created);
    }
    std::vector<std::string> ids;
    for (const auto& b : batches) ids.push_back(b.trace_id);
    std::vector<std::string> sorted_ids = ids;
    std::sort(sorted_ids.begin(), sorted_ids.end());
    for (const auto& id : sorted_ids) {
      if (existing.at(id).experiment_id != exp_id) {
        invalid("Trace with ID '" + id + "' already exists in another experiment.");
      }
    }
    for (const auto& b : batches) {
      for (const auto& r : b.rows) upsert_span(c, existing.at(b.trace_id).experiment_id, r);
    }
    // Python asks which traces start_trace finalized only among those whose spans carry
    // usage, cost or a session; for the others the span times still widen the trace's.
    std::vector<std::string> derived;
    for (const auto& b : batches) {
      if (!b.usage.is_null() || !b.cost.is_null() || (b.session_id && !b.session_id->empty())) {
        derived.push_back(b.trace_id);
      }
    }
    std::set<std::string> finalized;
    if (!derived.empty()) {
      SqlBuilder q;
      q.sql("SELECT request_id FROM trace_request_metadata WHERE key = ")
          .text(TraceMetadataKey::kInfoFinalized)
          .sql(" AND request_id IN ")
          .text_list(derived);
      for (auto& id : c.first_column(q.take())) finalized.insert(std::move(id));
    }
    std::sort(batches.begin(), batches.end(),
              [](const TraceBatch& a, const TraceBatch& b) { return a.trace_id < b.trace_id; });
    for (const auto& b : batches) {
      update_trace_from_spans(c, b, existing.at(b.trace_id), finalized.count(b.trace_id) != 0);
    }
    advance_payload_generations(c, ids);
    for (const auto& b : batches) {
      upsert_tag(c, b.trace_id, TraceTagKey::kSpansLocation, kTrackingStore);
      for (const auto& [k, v] : b.tags) {
        if (k != TraceTagKey::kTraceName) upsert_tag(c, b.trace_id, k, v);
      }
    }
  });
}

void SqliteTraceStore::upload_trace_data(const TraceInfo& /*info*/,
                                         const std::vector<SpanData>& /*spans*/) {
  throw_error(ErrorCode::kNotImplemented,
              "The embedded store keeps spans in its database (log_spans); it has no trace "
              "artifacts to upload.");
}

// ---- reads ----

TraceInfo SqliteTraceStore::get_trace_info(const std::string& trace_id) {
  return db_->read([&](Connection& c) {
    auto infos = sqlite::load_trace_infos(c, {trace_id});
    if (infos.empty()) not_found("Trace with ID '" + trace_id + "' not found.");
    return std::move(infos.front());
  });
}

Trace SqliteTraceStore::get_trace(const std::string& trace_id, bool allow_partial) {
  // The server waits for spans still being exported: three looks, 1 s and 2 s apart.
  for (int attempt = 0;; ++attempt) {
    std::optional<Trace> trace = db_->read([&](Connection& c) -> std::optional<Trace> {
      auto infos = sqlite::load_trace_infos(c, {trace_id});
      if (infos.empty()) not_found("Trace with ID " + trace_id + " is not found.");
      auto spans = complete_spans(c, infos.front(), allow_partial);
      if (!spans) return std::nullopt;
      Trace t;
      t.info = std::move(infos.front());
      t.data.spans = std::move(*spans);
      return t;
    });
    if (trace) return std::move(*trace);
    if (attempt == 2) break;
    hooks_.sleep(std::chrono::milliseconds(1000 << attempt));
  }
  not_found("Trace with ID " + trace_id + " is not fully exported yet, please try again later.");
}

std::vector<Trace> SqliteTraceStore::batch_get_traces(const std::vector<std::string>& trace_ids) {
  if (trace_ids.empty()) return {};
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const auto& id : trace_ids) {
    if (seen.insert(id).second) unique.push_back(id);
  }
  return db_->read([&](Connection& c) {
    std::vector<Trace> out;
    for (auto& info : sqlite::load_trace_infos(c, unique)) {
      auto spans = complete_spans(c, info, false);
      if (!spans) continue;  // only complete traces, as the server answers
      Trace t;
      t.info = std::move(info);
      t.data.spans = std::move(*spans);
      out.push_back(std::move(t));
    }
    return out;
  });
}

PagedList<TraceInfo> SqliteTraceStore::search_traces(const std::vector<std::string>& experiment_ids,
                                                     const std::string& filter_string,
                                                     int max_results,
                                                     const std::vector<std::string>& order_by,
                                                     const std::string& page_token) {
  for (const auto& id : experiment_ids) {
    if (id.find('.') != std::string::npos) {
      std::string ids;
      for (const auto& e : experiment_ids) {
        if (e.find('.') != std::string::npos) ids += (ids.empty() ? "" : ", ") + e;
      }
      if (utf8::length(ids) > 20) ids = utf8::truncate(ids, 20) + "...";
      invalid("Locations must be a list of experiment IDs. Found invalid experiment IDs: " + ids +
              ".");
    }
  }
  if (max_results < 1) {
    invalid("Invalid value " + std::to_string(max_results) +
            " for parameter 'max_results' supplied. It must be a positive integer");
  }
  if (max_results > kMaxSearchResults) {
    invalid("Invalid value " + std::to_string(max_results) +
            " for parameter 'max_results' supplied. It must be at most " +
            std::to_string(kMaxSearchResults));
  }
  std::vector<std::int64_t> ids;
  for (const auto& id : experiment_ids) ids.push_back(sqlite_search::parse_experiment_id(id));
  const sqlite::SqlQuery query = sqlite_search::build_search_traces_query(
      ids, filter_string, order_by, page_token, static_cast<std::int64_t>(max_results) + 1);
  const std::int64_t offset = sqlite_search::decode_page_token(page_token);
  return db_->read([&](Connection& c) {
    std::vector<std::string> found = c.first_column(query);
    PagedList<TraceInfo> page;
    if (found.size() > static_cast<std::size_t>(max_results)) {
      found.resize(static_cast<std::size_t>(max_results));
      page.token = sqlite_search::encode_page_token(offset + max_results);
    }
    page.items = sqlite::load_trace_infos(c, found);
    return page;
  });
}

// ---- tags ----

void SqliteTraceStore::set_trace_tag(const std::string& trace_id, const std::string& key,
                                     const std::string& value) {
  if (is_blocked_tag(key)) {
    invalid("Tag '" + key + "' is immutable and cannot be set on a trace.");
  }
  const RunTag tag = validate_tag(RunTag{key, value});
  const std::string stored =
      key == TraceTagKey::kTraceName ? validated_trace_name(tag.value) : tag.value;
  db_->write([&](Connection& c) {
    if (!trace_exists(c, trace_id)) {
      // The server's answers: the trace name is looked up (not found), any other tag is an
      // insert that the foreign key refuses (BAD_REQUEST).
      if (key == TraceTagKey::kTraceName) not_found("Trace with ID '" + trace_id + "' not found.");
      throw_error(ErrorCode::kBadRequest, "Cannot set tag '" + key + "' on trace '" + trace_id +
                                              "': FOREIGN KEY constraint failed (no trace with "
                                              "this ID).");
    }
    if (key == TraceTagKey::kTraceName) {
      c.run("UPDATE trace_info SET trace_name = ? WHERE request_id = ?", stored, trace_id);
    } else {
      upsert_tag(c, trace_id, key, stored);
    }
  });
}

void SqliteTraceStore::delete_trace_tag(const std::string& trace_id, const std::string& key) {
  if (is_blocked_tag(key) && key != kArchivalFailure) {
    invalid("Tag '" + key + "' is immutable and cannot be deleted on a trace.");
  }
  db_->write([&](Connection& c) {
    const std::string missing =
        "No trace tag with key '" + key + "' for trace with ID '" + trace_id + "'";
    if (key == TraceTagKey::kTraceName) {
      auto s = c.query("SELECT trace_name IS NULL FROM trace_info WHERE request_id = ?", trace_id);
      if (!s->step()) not_found("Trace with ID '" + trace_id + "' not found.");
      if (s->int64(0) != 0) not_found(missing);
      c.run("UPDATE trace_info SET trace_name = NULL WHERE request_id = ?", trace_id);
      return;
    }
    c.run("DELETE FROM trace_tags WHERE request_id = ? AND key = ?", trace_id, key);
    if (c.changes() == 0) not_found(missing);
  });
}

// ---- delete ----

int SqliteTraceStore::delete_traces(const std::string& experiment_id,
                                    std::optional<std::int64_t> max_timestamp_millis,
                                    std::optional<int> max_traces,
                                    const std::vector<std::string>& trace_ids) {
  const std::int64_t exp_id = sqlite_search::parse_experiment_id(experiment_id);
  return db_->write([&](Connection& c) {
    SqlBuilder where;
    where.sql(" WHERE experiment_id = ").integer(exp_id);
    if (max_timestamp_millis) where.sql(" AND timestamp_ms <= ").integer(*max_timestamp_millis);
    if (!trace_ids.empty()) where.sql(" AND request_id IN ").text_list(trace_ids);
    SqlBuilder select;
    select.sql("SELECT request_id FROM trace_info")
        .append(where)
        .sql(" ORDER BY timestamp_ms, request_id");
    if (max_traces) select.sql(" LIMIT ").integer(*max_traces);
    const std::vector<std::string> selected = c.first_column(select.take());
    if (selected.empty()) return 0;
    SqlBuilder del;
    del.sql("DELETE FROM trace_info WHERE request_id IN ").text_list(selected);
    c.statement(del.take())->run();
    const int deleted = c.changes();
    // Review-queue items point at traces without a foreign key (_delete_traces removes them).
    SqlBuilder items;
    items.sql("DELETE FROM review_queue_items WHERE item_type = ")
        .text("trace")
        .sql(" AND item_id IN ")
        .text_list(selected);
    c.statement(items.take())->run();
    return deleted;
  });
}

// ---- links ----

void SqliteTraceStore::link_traces_to_run(const std::vector<std::string>& trace_ids,
                                          const std::string& run_id) {
  if (trace_ids.empty()) return;
  if (trace_ids.size() > kMaxTraceLinksPerRequest) {
    invalid("Cannot link more than " + std::to_string(kMaxTraceLinksPerRequest) +
            " traces to a run in a single request. Provided " + std::to_string(trace_ids.size()) +
            " traces.");
  }
  db_->write([&](Connection& c) {
    const std::int64_t now = now_millis();
    for (const auto& id : trace_ids) associate_trace(c, id, "run", run_id, now);
  });
}

void SqliteTraceStore::link_prompts_to_trace(const std::string& trace_id,
                                             const std::vector<PromptVersionRef>& prompt_versions) {
  if (prompt_versions.empty()) return;
  db_->write([&](Connection& c) {
    if (!trace_exists(c, trace_id)) not_found("Trace with ID '" + trace_id + "' not found.");
    const std::int64_t now = now_millis();
    for (const auto& pv : prompt_versions) {
      associate_trace(c, trace_id, "prompt_version", pv.name + "/" + pv.version, now);
    }
  });
}

// ---- assessments ----

Assessment SqliteTraceStore::create_assessment(const Assessment& assessment) {
  Assessment a = assessment;
  if (!a.assessment_id) a.assessment_id = new_assessment_id();
  return db_->write([&](Connection& c) {
    auto trace = c.query("SELECT experiment_id, timestamp_ms FROM trace_info WHERE request_id = ?",
                         a.trace_id);
    if (!trace->step()) {
      not_found("Trace with ID '" + a.trace_id + "' not found.");
    }
    const std::int64_t exp_id = trace->int64(0);
    const std::int64_t timestamp = trace->int64(1);
    if (a.overrides) {
      c.run("UPDATE assessments SET valid = 0 WHERE trace_id = ? AND assessment_id = ?", a.trace_id,
            *a.overrides);
      if (c.changes() == 0) {
        not_found("Assessment with ID '" + *a.overrides + "' not found for trace '" + a.trace_id +
                  "'");
      }
    }
    if (c.query("SELECT 1 FROM assessments WHERE assessment_id = ?", *a.assessment_id)->step()) {
      throw_error(ErrorCode::kInternalError, "Failed to create assessment for trace '" +
                                                 a.trace_id + "' due to a constraint violation.");
    }
    sqlite::insert_assessment(c, a, exp_id, timestamp, now_millis());
    return require_assessment(c, a.trace_id, *a.assessment_id);
  });
}

Assessment SqliteTraceStore::get_assessment(const std::string& trace_id,
                                            const std::string& assessment_id) {
  return db_->read([&](Connection& c) { return require_assessment(c, trace_id, assessment_id); });
}

Assessment SqliteTraceStore::update_assessment(const std::string& trace_id,
                                               const std::string& assessment_id,
                                               const AssessmentUpdate& update) {
  return db_->write([&](Connection& c) {
    Assessment a = require_assessment(c, trace_id, assessment_id);
    if (update.expectation && (update.feedback || update.feedback_error)) {
      invalid("Cannot specify both `expectation` and `feedback` parameters.");
    }
    if (update.expectation && !a.is_expectation()) {
      invalid("Cannot update expectation value on a Feedback assessment.");
    }
    if ((update.feedback || update.feedback_error) && !a.is_feedback()) {
      invalid("Cannot update feedback value on an Expectation assessment.");
    }
    if (update.name) a.name = *update.name;
    if (update.metadata) {
      for (const auto& [k, v] : *update.metadata) a.metadata[k] = v;
    }
    if (a.is_expectation()) {
      if (update.expectation) a.value = *update.expectation;
      // Python rebuilds an Expectation, which has no rationale.
      a.rationale = std::nullopt;
    } else {
      if (update.feedback || update.feedback_error) {
        a.value = update.feedback.value_or(JsonValue());
        a.error = update.feedback_error;
      }
      if (update.rationale) a.rationale = *update.rationale;
    }
    a.last_update_time_ms = now_millis();
    const sqlite::AssessmentValueColumns v = sqlite::assessment_value_columns(a);
    auto s = c.query(
        "UPDATE assessments SET name = ?, value = ?, error = ?, last_updated_timestamp = ?, "
        "rationale = ?, assessment_metadata = ?, aggregate_value = ?, is_numeric_value = ? "
        "WHERE trace_id = ? AND assessment_id = ?",
        a.name, v.value, v.error, a.last_update_time_ms, a.rationale,
        sqlite::assessment_metadata_json(a.metadata));
    if (v.aggregate_value) {
      s->bind(7, *v.aggregate_value);
    } else {
      s->bind_null(7);
    }
    s->bind(8, v.is_numeric_value).bind(9, trace_id).bind(10, assessment_id);
    s->run();
    return a;
  });
}

void SqliteTraceStore::delete_assessment(const std::string& trace_id,
                                         const std::string& assessment_id) {
  db_->write([&](Connection& c) {
    std::optional<std::string> overrides;
    {
      auto s = c.query("SELECT overrides FROM assessments WHERE trace_id = ? AND assessment_id = ?",
                       trace_id, assessment_id);
      if (!s->step()) return;  // idempotent
      overrides = s->opt_text(0);
    }
    if (overrides) {
      c.run("UPDATE assessments SET valid = 1 WHERE assessment_id = ?", *overrides);
    }
    c.run("DELETE FROM assessments WHERE trace_id = ? AND assessment_id = ?", trace_id,
          assessment_id);
  });
}

}  // namespace mlflow::internal
