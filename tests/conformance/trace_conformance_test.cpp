// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Trace conformance: one scenario through the TraceStore seam, run three times with fresh
// trace ids: on an embedded SQLite file, on the real MLflow 3.18 server through the C++ REST
// store, and on the same server through Python's own REST store (trace_conformance.py, which
// reads the same scenario JSON). The scenario writes five traces (span trees, trace infos,
// tags, metadata, sessions, a run link) and assessments (feedback, error, expectation,
// override), then runs search_traces over the 3.18 grammar (tags, metadata, status,
// timestamps, execution time, names, run id, request id, span name/type/status/attributes,
// feedback values), orderings, paging with page tokens and malformed input, and finally tag
// deletes, assessment reads / updates / deletes, refusals for unknown ids, and delete_traces
// by ids and by timestamp. The three transcripts must be equal line by line, and the
// embedded one must hold the expected answers.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/backend_factory.hpp"
#include "conformance/conformance_harness.hpp"
#include "core/ids.hpp"
#include "sqlite/span_content.hpp"
#include "store/backend.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace mlflow::conformance {
namespace {

using internal::TraceStore;
using nlohmann::json;

constexpr std::int64_t kT0 = 1700000000000;  // request times, milliseconds
const char* const kRunId = "0123456789abcdef0123456789abcdef";
const char* const kUnknownTrace = "tr-00000000000000000000000000000000";
const char* const kUnknownAssessment = "a-00000000000000000000000000000000";
const char* const kUnknownExperiment = "987654321";

std::string span_id_of(int n) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016x", n);
  return buf;
}

struct SpanSpec {
  int id;
  std::optional<int> parent;
  std::string name;
  std::string type;
  std::int64_t offset_ms;
  std::int64_t duration_ms;
  SpanStatusCode code;
  JsonValue attributes = JsonValue::object();
};

// The span dict (Python's Span.to_dict, as stored) of one span of `trace_id` starting at `t0`.
std::string span_dict(const std::string& trace_id, std::int64_t t0, const SpanSpec& spec) {
  SpanData s;
  s.trace_id = trace_id;
  s.span_id = span_id_of(spec.id);
  if (spec.parent) s.parent_id = span_id_of(*spec.parent);
  s.name = spec.name;
  s.start_time_ns = (t0 + spec.offset_ms) * 1000000;
  s.end_time_ns = (t0 + spec.offset_ms + spec.duration_ms) * 1000000;
  s.status.status_code = spec.code;
  if (spec.code == SpanStatusCode::kError) s.status.description = "failed";
  s.attributes = spec.attributes;
  s.attributes.set(SpanAttributeKey::kSpanType, spec.type);
  return internal::sqlite::span_content(internal::sqlite::span_for_storage(s));
}

struct TraceSpec {
  std::string label;
  std::int64_t offset_ms;
  std::int64_t duration_ms;
  std::string state;
  std::vector<SpanSpec> spans;
  json info_extra;  // previews, client request id
  std::map<std::string, std::string> metadata;
  std::map<std::string, std::string> tags;
};

std::vector<TraceSpec> trace_specs() {
  const JsonValue usage = {{"input_tokens", 10}, {"output_tokens", 5}, {"total_tokens", 15}};
  return {
      {"t1",
       0,
       1500,
       "OK",
       {{1, std::nullopt, "chat", "CHAIN", 0, 1500, SpanStatusCode::kOk,
         JsonValue{{"mlflow.spanInputs", {{"q", "capital of France?"}}},
                   {"mlflow.spanOutputs", "Paris"}}},
        {2, 1, "llm", "LLM", 100, 1000, SpanStatusCode::kOk,
         JsonValue{{"model", "gpt-x"}, {"mlflow.chat.tokenUsage", usage}}}},
       {{"request_preview", "capital?"},
        {"response_preview", "Paris"},
        {"client_request_id", "c-1"}},
       {{"mlflow.trace.session", "s1"}, {"mlflow.trace.user", "u1"}},
       {{"env", "prod"}, {"team", "a"}, {"mlflow.traceName", "chat"}}},
      {"t2",
       1000,
       500,
       "ERROR",
       {{1, std::nullopt, "chat", "CHAIN", 0, 500, SpanStatusCode::kError},
        {2, 1, "tool", "TOOL", 50, 300, SpanStatusCode::kError}},
       json::object(),
       {{"mlflow.trace.session", "s1"}},
       {{"env", "dev"}, {"mlflow.traceName", "chat"}}},
      {"t3",
       2000,
       2500,
       "OK",
       {{1, std::nullopt, "search", "RETRIEVER", 0, 2500, SpanStatusCode::kOk,
         JsonValue{{"model", "gpt-y"}}}},
       json::object(),
       {{"mlflow.trace.session", "s2"}},
       {{"env", "prod"}, {"mlflow.traceName", "search"}}},
      {"t4", 3000, 100, "OK", {}, json::object(), {}, {{"mlflow.traceName", "summarize"}}},
      {"t5",
       4000,
       800,
       "OK",
       {{1, std::nullopt, "chat", "AGENT", 0, 800, SpanStatusCode::kOk}},
       json::object(),
       {{"mlflow.sourceRun", kRunId}},
       {{"mlflow.traceName", "chat"}}},
  };
}

json query(const std::string& label, const std::string& filter, int max_results = 50,
           std::vector<std::string> order_by = {}, int pages = 1) {
  return {{"label", label},
          {"filter", filter},
          {"max_results", max_results},
          {"order_by", order_by},
          {"pages", pages}};
}

// The scenario of one execution: fresh trace ids and a fresh experiment name.
json make_scenario(const std::string& experiment_name) {
  json ids = json::object();
  json traces = json::array();
  for (const TraceSpec& t : trace_specs()) {
    const std::string trace_id = "tr-" + internal::uuid4_hex();
    ids[t.label] = trace_id;
    json spans = json::array();
    for (const SpanSpec& s : t.spans) spans.push_back(span_dict(trace_id, kT0 + t.offset_ms, s));
    json info = t.info_extra;
    info["request_time"] = kT0 + t.offset_ms;
    info["execution_duration"] = t.duration_ms;
    info["state"] = t.state;
    json metadata = t.metadata;
    metadata["mlflow.trace_schema.version"] = "3";
    info["metadata"] = metadata;
    info["tags"] = t.tags;
    traces.push_back({{"label", t.label}, {"spans", spans}, {"info", info}});
  }
  const json assessments = json::parse(R"([
    {"label": "a1", "trace": "t1", "kind": "feedback", "name": "quality", "value": 0.9,
     "source_type": "HUMAN", "source_id": "alice", "rationale": "good", "metadata": {"k": "v"}},
    {"label": "a2", "trace": "t2", "kind": "feedback", "name": "quality", "value": 0.3,
     "source_type": "LLM_JUDGE", "source_id": "judge-1"},
    {"label": "a3", "trace": "t1", "kind": "expectation", "name": "expected",
     "value": {"answer": "Paris"}, "source_type": "HUMAN", "source_id": "bob"},
    {"label": "a4", "trace": "t3", "kind": "feedback", "name": "quality", "error": "TIMEOUT",
     "source_type": "CODE", "source_id": "default"},
    {"label": "a5", "trace": "t2", "kind": "feedback", "name": "quality", "value": 0.6,
     "source_type": "HUMAN", "source_id": "carol", "overrides": "a2"}
  ])");
  const std::string t_mid = std::to_string(kT0 + 1500);
  const std::string t_end = std::to_string(kT0 + 2000);
  json queries = {
      query("all paged", "", 2, {}, 4),
      query("oldest first", "", 50, {"timestamp_ms ASC"}),
      query("tag", "tags.env = 'prod'"),
      query("tag like", "tags.env LIKE 'st%'"),
      query("session", "metadata.`mlflow.trace.session` = 's1'"),
      query("status", "trace.status = 'ERROR'"),
      query("status not", "status != 'ERROR'"),
      query("after", "timestamp_ms > " + t_mid),
      query("window", "timestamp_ms >= " + std::to_string(kT0) + " AND timestamp_ms < " + t_end, 50,
            {"timestamp_ms ASC"}),
      query("slow", "execution_time_ms >= 800", 50, {"execution_time_ms DESC"}),
      query("name", "trace.name = 'chat'"),
      query("name in", "name IN ('search', 'summarize')"),
      query("run", std::string("run_id = '") + kRunId + "'"),
      query("request id", "request_id = '{t3}'"),
      query("span name", "span.name = 'llm'"),
      query("span type", "span.type = 'TOOL'"),
      query("span status", "span.status = 'ERROR'"),
      query("span attribute", "span.attributes.model LIKE '%gpt%'"),
      query("feedback", "feedback.quality > 0.5"),
      query("text", "trace.text ILIKE '%paris%'"),
      query("status in", "trace.status IN ('ERROR', 'IN_PROGRESS')"),
      query("client request id", "client_request_id = 'c-1'"),
      query("combined", "tags.env = 'prod' AND span.type = 'RETRIEVER'"),
      query("order by status", "", 50, {"status ASC", "timestamp_ms DESC"}),
      query("bad grammar", "nonsense ~~ 3"),
      query("unquoted", "status = OK"),
      query("bad span key", "span.foo = 'x'"),
      query("or", "tags.env = 'prod' OR tags.env = 'dev'"),
      query("bad order", "", 50, {"foo DESC"}),
      query("zero results", "", 0),
  };
  json bad_token = query("bad token", "");
  bad_token["page_token"] = "not-a-token";
  queries.push_back(bad_token);

  const std::string orphan_trace = "tr-" + internal::uuid4_hex();
  const json orphan = {span_dict(orphan_trace, kT0,
                                 {1, std::nullopt, "orphan", "CHAIN", 0, 10, SpanStatusCode::kOk})};
  json calls = json::parse(R"([
    {"label": "get t1", "op": "get_trace", "trace": "t1"},
    {"label": "get t2", "op": "get_trace", "trace": "t2"},
    {"label": "get unknown", "op": "get_trace", "trace": "UNKNOWN"},
    {"label": "info unknown", "op": "get_trace_info", "trace": "UNKNOWN"},
    {"label": "tag unknown", "op": "set_trace_tag", "trace": "UNKNOWN", "key": "k", "value": "v"},
    {"label": "untag t3", "op": "delete_trace_tag", "trace": "t3", "key": "reviewed"},
    {"label": "untag t3 again", "op": "delete_trace_tag", "trace": "t3", "key": "reviewed"},
    {"label": "info t3", "op": "get_trace_info", "trace": "t3"},
    {"label": "assessment a1", "op": "get_assessment", "trace": "t1", "id": "a1"},
    {"label": "overridden a2", "op": "get_assessment", "trace": "t2", "id": "a2"},
    {"label": "assessment unknown", "op": "get_assessment", "trace": "t1", "id": "UNKNOWN_A"},
    {"label": "assessment of unknown trace", "op": "get_assessment", "trace": "UNKNOWN",
     "id": "UNKNOWN_A"},
    {"label": "update a1", "op": "update_feedback", "trace": "t1", "id": "a1", "value": 0.95,
     "rationale": "better", "metadata": {"k": "v2"}},
    {"label": "feedback into expectation", "op": "update_expectation", "trace": "t1", "id": "a1"},
    {"label": "delete override a5", "op": "delete_assessment", "trace": "t2", "id": "a5"},
    {"label": "restored a2", "op": "get_assessment", "trace": "t2", "id": "a2"},
    {"label": "delete unknown assessment", "op": "delete_assessment", "trace": "t2",
     "id": "UNKNOWN_A"},
    {"label": "link 101", "op": "link_many", "trace": "t1", "count": 101},
    {"label": "spans of unknown experiment", "op": "log_spans_unknown_experiment"},
    {"label": "search unknown experiment", "op": "search_experiment", "experiment": "UNKNOWN_E"},
    {"label": "delete t4", "op": "delete_traces", "trace_ids": ["t4"]},
    {"label": "delete unknown", "op": "delete_traces", "trace_ids": ["UNKNOWN"]},
    {"label": "delete oldest", "op": "delete_traces", "max_timestamp_millis": 0,
     "max_traces": 1},
    {"label": "remaining", "op": "search_all"},
    {"label": "info t1 deleted", "op": "get_trace_info", "trace": "t1"}
  ])");
  // Placeholders (UNKNOWN..., the timestamp of "delete oldest") replaced with the values.
  for (json& c : calls) {
    for (const char* key : {"trace", "id", "experiment"}) {
      if (!c.contains(key)) continue;
      if (c[key] == "UNKNOWN") c[key] = kUnknownTrace;
      if (c[key] == "UNKNOWN_A") c[key] = kUnknownAssessment;
      if (c[key] == "UNKNOWN_E") c[key] = kUnknownExperiment;
    }
    if (c.contains("trace_ids")) {
      for (json& id : c["trace_ids"]) {
        if (id == "UNKNOWN") id = kUnknownTrace;
      }
    }
    if (c["op"] == "delete_traces" && c.contains("max_traces")) {
      c["max_timestamp_millis"] = kT0 + 1000;
    }
    if (c["op"] == "log_spans_unknown_experiment") c["spans"] = orphan;
  }
  return {{"experiment_name", experiment_name},
          {"trace_ids", ids},
          {"traces", traces},
          {"assessments", assessments},
          {"tags", json::parse(R"([{"trace": "t3", "key": "reviewed", "value": "yes"},
                                   {"trace": "t1", "key": "env", "value": "staging"}])")},
          {"run_links", {"t1"}},
          {"run_id", kRunId},
          {"prompt_links", json::array()},
          {"queries", queries},
          {"calls", calls}};
}

// ---- The C++ execution: the same steps and lines as trace_conformance.py ----

std::string py_str(const std::optional<std::string>& s) { return s ? *s : "None"; }
std::string py_bool(const std::optional<bool>& b) { return b ? (*b ? "True" : "False") : "None"; }
std::string py_dumps(const JsonValue& v) { return v.dump(); }

class Execution {
 public:
  Execution(const internal::Backend& backend, json scenario)
      : tracking_(*backend.tracking), traces_(*backend.traces), s_(std::move(scenario)) {
    for (const auto& [label, id] : s_["trace_ids"].items()) {
      ids_[label] = id.get<std::string>();
      labels_[id.get<std::string>()] = label;
    }
  }

  std::vector<std::string> run() {
    experiment_ = tracking_.create_experiment(s_["experiment_name"], "", {});
    write();
    for (const auto& [label, id] : ids_) add(describe(traces_.get_trace_info(id)));
    for (const json& q : s_["queries"]) search(q);
    for (const json& c : s_["calls"]) call(c);
    return lines_;
  }

 private:
  void add(const std::string& line) { lines_.push_back(line); }
  std::string label(const std::string& trace_id) const {
    auto it = labels_.find(trace_id);
    return it == labels_.end() ? "?" + trace_id : it->second;
  }
  std::string id_of(const std::string& label_or_id) const {
    auto it = ids_.find(label_or_id);
    return it == ids_.end() ? label_or_id : it->second;
  }
  std::string assessment_id_of(const std::string& label_or_id) const {
    auto it = assessment_ids_.find(label_or_id);
    return it == assessment_ids_.end() ? label_or_id : it->second;
  }

  std::string describe(const TraceInfo& info) const {
    std::string tags;
    for (const auto& [k, v] : info.tags) {
      tags += (tags.empty() ? "" : ";") + k + "=" + (k == "mlflow.artifactLocation" ? "<set>" : v);
    }
    std::string metadata;
    for (const auto& [k, v] : info.trace_metadata) {
      metadata += (metadata.empty() ? "" : ";") + k + "=" + v;
    }
    std::vector<std::string> parts;
    for (const Assessment& a : info.assessments) {
      parts.push_back(a.name + ":" + (a.is_feedback() ? "feedback" : "expectation") + ":" +
                      py_dumps(a.value) + ":" + (a.is_feedback() ? py_bool(a.valid) : "-") + ":" +
                      py_str(a.rationale) + ":" + (a.error ? a.error->error_code : "None") + ":" +
                      (a.metadata.empty() ? "None" : JsonValue(a.metadata).dump()));
    }
    std::sort(parts.begin(), parts.end());
    std::string assessments;
    for (const auto& p : parts) assessments += (assessments.empty() ? "" : ";") + p;
    return "info " + label(info.trace_id) + ": state=" + to_string(info.state) +
           " time=" + std::to_string(info.request_time) +
           " dur=" + (info.execution_duration ? std::to_string(*info.execution_duration) : "None") +
           " client=" + py_str(info.client_request_id) + " req=" + py_str(info.request_preview) +
           " resp=" + py_str(info.response_preview) + " tags={" + tags + "} metadata={" + metadata +
           "} assessments=[" + assessments + "]";
  }

  std::vector<SpanData> spans_of(const json& contents, const std::string& trace_id) const {
    std::vector<SpanData> spans;
    for (const json& c : contents) {
      spans.push_back(internal::sqlite::span_from_content(c.get<std::string>(), trace_id));
    }
    return spans;
  }

  void write() {
    for (const json& t : s_["traces"]) {
      const std::string trace_id = ids_.at(t["label"]);
      if (!t["spans"].empty()) traces_.log_spans(experiment_, spans_of(t["spans"], trace_id));
      const json& i = t["info"];
      TraceInfo info;
      info.trace_id = trace_id;
      info.trace_location.experiment_id = experiment_;
      info.request_time = i["request_time"];
      info.execution_duration = i["execution_duration"].get<std::int64_t>();
      info.state = trace_state_from_string(i["state"]);
      if (i.contains("request_preview")) info.request_preview = i["request_preview"];
      if (i.contains("response_preview")) info.response_preview = i["response_preview"];
      if (i.contains("client_request_id")) info.client_request_id = i["client_request_id"];
      info.trace_metadata = i["metadata"].get<std::map<std::string, std::string>>();
      info.tags = i["tags"].get<std::map<std::string, std::string>>();
      traces_.start_trace(info);
    }
    for (const json& a : s_["assessments"]) {
      Assessment entity =
          a["kind"] == "feedback"
              ? Assessment(Feedback(JsonValue(), a["name"].get<std::string>()))
              : Assessment(Expectation(a["name"], JsonValue::parse(a["value"].dump())));
      if (a["kind"] == "feedback") {
        if (a.contains("value")) entity.value = JsonValue::parse(a["value"].dump());
        if (a.contains("error"))
          entity.error = AssessmentError{a["error"], std::nullopt, std::nullopt};
        if (a.contains("rationale")) entity.rationale = a["rationale"].get<std::string>();
      }
      entity.source = {assessment_source_type_from_string(a["source_type"]),
                       a["source_id"].get<std::string>()};
      if (a.contains("metadata")) {
        entity.metadata = a["metadata"].get<std::map<std::string, std::string>>();
      }
      entity.trace_id = ids_.at(a["trace"]);
      if (a.contains("overrides")) entity.overrides = assessment_ids_.at(a["overrides"]);
      assessment_ids_[a["label"]] = *traces_.create_assessment(entity).assessment_id;
    }
    for (const json& tag : s_["tags"]) {
      traces_.set_trace_tag(ids_.at(tag["trace"]), tag["key"], tag["value"]);
    }
    std::vector<std::string> linked;
    for (const json& l : s_["run_links"]) linked.push_back(ids_.at(l));
    traces_.link_traces_to_run(linked, s_["run_id"]);
  }

  std::string fill(std::string text) const {
    for (const auto& [label, id] : ids_) {
      const std::string key = "{" + label + "}";
      for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key)) {
        text.replace(pos, key.size(), id);
      }
    }
    return text;
  }

  void search(const json& q) {
    std::string token = q.value("page_token", "");
    const int pages = q["pages"];
    for (int page = 0; page < pages; ++page) {
      PagedList<TraceInfo> result;
      try {
        result = traces_.search_traces({experiment_}, fill(q["filter"]), q["max_results"],
                                       q["order_by"].get<std::vector<std::string>>(), token);
      } catch (const MlflowException& e) {
        add("search " + q["label"].get<std::string>() + ": " + error_code_name(e.error_code()));
        break;
      }
      std::string found;
      for (const TraceInfo& i : result.items)
        found += (found.empty() ? "" : ",") + label(i.trace_id);
      token = result.token;
      add("search " + q["label"].get<std::string>() + " page " + std::to_string(page) + ": [" +
          found + "] next=" + (token.empty() ? "None" : token));
      if (token.empty()) break;
    }
  }

  void call(const json& c) {
    const std::string op = c["op"];
    const std::string name = "call " + c["label"].get<std::string>();
    const std::string trace_id = c.contains("trace") ? id_of(c["trace"]) : "";
    try {
      if (op == "get_trace") {
        const Trace trace = traces_.get_trace(trace_id, c.value("allow_partial", false));
        std::string spans;
        for (const SpanData& s : trace.data.spans) {
          const std::string type = s.span_type();
          spans += (spans.empty() ? "" : ",") + s.name + "/" + (type.empty() ? "None" : type) +
                   "/" + to_string(s.status.status_code);
        }
        add(name + ": [" + spans + "]");
        return;
      }
      if (op == "get_trace_info") {
        add(name + ": " + describe(traces_.get_trace_info(trace_id)));
        return;
      }
      if (op == "set_trace_tag") {
        traces_.set_trace_tag(trace_id, c["key"], c["value"]);
      } else if (op == "delete_trace_tag") {
        traces_.delete_trace_tag(trace_id, c["key"]);
      } else if (op == "get_assessment") {
        const Assessment a = traces_.get_assessment(trace_id, assessment_id_of(c["id"]));
        add(name + ": " + a.name + " " + py_dumps(a.value) + " valid=" + py_bool(a.valid));
        return;
      } else if (op == "delete_assessment") {
        traces_.delete_assessment(trace_id, assessment_id_of(c["id"]));
      } else if (op == "update_feedback") {
        internal::AssessmentUpdate update;
        update.feedback = JsonValue::parse(c["value"].dump());
        update.rationale = c["rationale"].get<std::string>();
        update.metadata = c["metadata"].get<std::map<std::string, std::string>>();
        const Assessment a =
            traces_.update_assessment(trace_id, assessment_ids_.at(c["id"]), update);
        std::string metadata;
        for (const auto& [k, v] : a.metadata) {
          metadata += (metadata.empty() ? "" : ", ") + ("'" + k + "': '" + v + "'");
        }
        add(name + ": " + a.name + " " + py_dumps(a.value) + " " + py_str(a.rationale) + " " +
            (a.metadata.empty() ? "None" : "{" + metadata + "}"));
        return;
      } else if (op == "update_expectation") {
        internal::AssessmentUpdate update;
        update.expectation = JsonValue(1);
        traces_.update_assessment(trace_id, assessment_ids_.at(c["id"]), update);
      } else if (op == "delete_traces") {
        std::vector<std::string> ids;
        for (const json& id : c.value("trace_ids", json::array())) ids.push_back(id_of(id));
        std::optional<std::int64_t> max_ts;
        std::optional<int> max_traces;
        if (c.contains("max_timestamp_millis")) max_ts = c["max_timestamp_millis"];
        if (c.contains("max_traces")) max_traces = c["max_traces"].get<int>();
        add(name + ": deleted " +
            std::to_string(traces_.delete_traces(experiment_, max_ts, max_traces, ids)));
        return;
      } else if (op == "link_many") {
        traces_.link_traces_to_run(std::vector<std::string>(c["count"].get<int>(), trace_id), "r");
      } else if (op == "log_spans_unknown_experiment") {
        const std::string orphan = internal::sqlite::span_from_content(c["spans"][0], "").trace_id;
        traces_.log_spans(kUnknownExperiment, spans_of(c["spans"], orphan));
      } else if (op == "search_experiment") {
        traces_.search_traces({c["experiment"]}, "", 5, {}, "");
      } else if (op == "search_all") {
        std::string found;
        for (const TraceInfo& i : traces_.search_traces({experiment_}, "", 50, {}, "").items) {
          found += (found.empty() ? "" : ",") + label(i.trace_id);
        }
        add(name + ": [" + found + "]");
        return;
      }
      add(name + ": ok");
    } catch (const MlflowException& e) {
      add(name + ": " + error_code_name(e.error_code()));
    }
  }

  internal::TrackingStore& tracking_;
  TraceStore& traces_;
  json s_;
  std::string experiment_;
  std::map<std::string, std::string> ids_;
  std::map<std::string, std::string> labels_;
  std::map<std::string, std::string> assessment_ids_;
  std::vector<std::string> lines_;
};

std::vector<std::string> run_cpp(const std::string& uri, const json& scenario) {
  ClientOptions options;
  options.tracking_uri = uri;
  const internal::Backend backend = internal::make_backend(options);
  return Execution(backend, scenario).run();
}

std::vector<std::string> run_python(const std::string& dir, const json& scenario) {
  const std::string path = dir + "/scenario.json";
  std::ofstream(path) << scenario.dump();
  const json out = testing::run_python_peer_json(
      dir, "../conformance/trace_conformance.py",
      testing::shell_quote(testing::server_uri()) + " " + testing::shell_quote(path));
  if (!out.contains("lines")) return {};
  return out["lines"].get<std::vector<std::string>>();
}

bool has_line(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST(TraceConformance, EmbeddedStoreCppRestAndPythonGiveTheSameAnswers) {
  const std::string dir = testing::make_temp_dir("mlflow-trace-conformance");
  const auto embedded =
      run_cpp("sqlite:///" + dir + "/mlflow.db", make_scenario(testing::unique_name("tc")));
  const auto cpp_rest = run_cpp(testing::server_uri(), make_scenario(testing::unique_name("tc")));
  const auto python = run_python(dir, make_scenario(testing::unique_name("tc")));
  expect_same_lines(embedded, cpp_rest, "embedded store", "server via C++ REST");
  expect_same_lines(embedded, python, "embedded store", "server via Python");

  // The answers themselves (a few of each kind; the equality above covers the rest).
  for (const char* line : {
           "search all paged page 0: [t5,t4] next=eyJvZmZzZXQiOiAyfQ==",
           "search all paged page 2: [t1] next=None",
           "search tag page 0: [t3] next=None",
           "search session page 0: [t2,t1] next=None",
           "search slow page 0: [t3,t1,t5] next=None",
           "search span type page 0: [t2] next=None",
           "search span attribute page 0: [t3,t1] next=None",
           "search feedback page 0: [t2,t1] next=None",
           "search bad grammar: INVALID_PARAMETER_VALUE",
           "call get t1: [chat/CHAIN/OK,llm/LLM/OK]",
           "call get unknown: RESOURCE_DOES_NOT_EXIST",
           "call tag unknown: BAD_REQUEST",
           "call restored a2: quality 0.3 valid=True",
           "call spans of unknown experiment: RESOURCE_DOES_NOT_EXIST",
           "call delete oldest: deleted 1",
           "call remaining: [t5,t3,t2]",
       }) {
    EXPECT_TRUE(has_line(embedded, line)) << "no line \"" << line << "\"";
  }
}

}  // namespace
}  // namespace mlflow::conformance
