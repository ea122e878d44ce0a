// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/json_codec.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

#include "core/json_text.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal::json_codec {
[[noreturn]] void bad_field(const std::string& field, const std::string& expected,
                            const Json& got) {
  std::string shown = got.dump();
  if (shown.size() > 80) shown = shown.substr(0, 80) + "...";
  throw_error(ErrorCode::kUnparseableHttpError,
              "Unexpected JSON from the MLflow server: field '" + field + "' should be " +
                  expected + " but is " + shown +
                  ". Is the tracking URI pointing at an MLflow server of a supported version?");
}

void require_object(const Json& j, const std::string& what) {
  if (!j.is_object()) bad_field(what, "an object", j);
}

// MLflow omits unset fields; null is treated the same way so that hand-written or proxied
// JSON with explicit nulls still reads.
const Json* find(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string str_or_empty(const Json& obj, const char* key) {
  const Json* v = find(obj, key);
  return v ? decode_string(*v, key) : std::string();
}

std::optional<std::string> opt_str(const Json& obj, const char* key) {
  const Json* v = find(obj, key);
  if (!v) return std::nullopt;
  return decode_string(*v, key);
}

std::int64_t int_or_zero(const Json& obj, const char* key) {
  const Json* v = find(obj, key);
  return v ? decode_int64(*v, key) : 0;
}

std::optional<std::int64_t> opt_int(const Json& obj, const char* key) {
  const Json* v = find(obj, key);
  if (!v) return std::nullopt;
  return decode_int64(*v, key);
}

const Json& required_object(const Json& response, const char* key, const std::string& what) {
  const Json* v = find(response, key);
  if (v == nullptr || !v->is_object()) {
    throw_error(ErrorCode::kUnparseableHttpError,
                "The MLflow server's answer to " + what + " has no '" + key +
                    "' object. Is the tracking (or registry) URI pointing at an MLflow server?");
  }
  return *v;
}

void read_key_values(const Json& obj, const char* key, std::map<std::string, std::string>& out) {
  for (const Json& kv : array_field(obj, key)) {
    require_object(kv, key);
    out[str_or_empty(kv, "key")] = str_or_empty(kv, "value");
  }
}

namespace {

Json key_value(const std::string& key, const std::string& value) {
  return Json{{"key", key}, {"value", value}};
}

}  // namespace

Json encode_double(double value) {
  if (std::isfinite(value)) return value;
  std::string text;
  json_text::append_double(text, value);
  return Json::parse(text);
}

double decode_double(const Json& value, const std::string& field) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    // Protobuf JSON also accepts numbers in quotes. strtod alone would take "nan", "inf" and
    // hex floats, which protobuf rejects, so only decimal characters are let through.
    if (!s.empty() && s.find_first_not_of("0123456789+-.eE") == std::string::npos) {
      char* end = nullptr;
      const double d = std::strtod(s.c_str(), &end);
      if (end == s.c_str() + s.size()) return d;
    }
  }
  bad_field(field, "a number, \"NaN\", \"Infinity\" or \"-Infinity\"", value);
}

std::int64_t decode_int64(const Json& value, const std::string& field) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      bad_field(field, "a 64-bit signed integer", value);
    }
    return value.get<std::int64_t>();
  }
  if (value.is_number_float()) {
    // e.g. 1e3 or 5.0: integral values written as floats are still integers.
    const double d = value.get<double>();
    if (std::isfinite(d) && std::trunc(d) == d && d >= -9.223372036854775808e18 &&
        d < 9.223372036854775808e18) {
      return static_cast<std::int64_t>(d);
    }
    bad_field(field, "an integer", value);
  }
  if (value.is_string()) {
    // Standard protobuf JSON quotes int64; MLflow unquotes it, but proxies and other servers
    // may not.
    const auto& s = value.get_ref<const std::string&>();
    const std::size_t digits_from = (!s.empty() && s[0] == '-') ? 1 : 0;
    if (s.size() > digits_from &&
        s.find_first_not_of("0123456789", digits_from) == std::string::npos) {
      errno = 0;
      char* end = nullptr;
      const long long n = std::strtoll(s.c_str(), &end, 10);
      if (errno != ERANGE && end == s.c_str() + s.size()) return n;
    }
  }
  bad_field(field, "an integer (a JSON number or a decimal string)", value);
}

std::string decode_string(const Json& value, const std::string& field) {
  if (!value.is_string()) bad_field(field, "a string", value);
  return value.get<std::string>();
}

RunStatus decode_run_status(const Json& value, const std::string& field) {
  if (value.is_string()) {
    try {
      return run_status_from_string(value.get<std::string>());
    } catch (const MlflowException&) {
      bad_field(field, "a run status name", value);
    }
  }
  if (value.is_number_integer()) {
    const auto n = value.get<std::int64_t>();
    if (n >= 1 && n <= 5) return static_cast<RunStatus>(n);
  }
  bad_field(field, "a run status (RUNNING, SCHEDULED, FINISHED, FAILED or KILLED)", value);
}

ViewType decode_view_type(const Json& value, const std::string& field) {
  if (value.is_string()) {
    try {
      return view_type_from_string(value.get<std::string>());
    } catch (const MlflowException&) {
      bad_field(field, "a view type name", value);
    }
  }
  if (value.is_number_integer()) {
    const auto n = value.get<std::int64_t>();
    if (n >= 1 && n <= 3) return static_cast<ViewType>(n);
  }
  bad_field(field, "a view type (ACTIVE_ONLY, DELETED_ONLY or ALL)", value);
}

const Json& array_field(const Json& j, const char* key) {
  static const Json kEmpty = Json::array();
  const Json* v = find(j, key);
  if (!v) return kEmpty;
  if (!v->is_array()) bad_field(key, "an array", *v);
  return *v;
}

// ---- encoding ----

Json encode(const Param& param) { return key_value(param.key, param.value); }
Json encode(const RunTag& tag) { return key_value(tag.key, tag.value); }
Json encode(const ExperimentTag& tag) { return key_value(tag.key, tag.value); }
Json encode(const InputTag& tag) { return key_value(tag.key, tag.value); }
Json encode(const RegisteredModelTag& tag) { return key_value(tag.key, tag.value); }
Json encode(const ModelVersionTag& tag) { return key_value(tag.key, tag.value); }

Json encode(const Dataset& dataset) {
  Json j = {{"name", dataset.name},
            {"digest", dataset.digest},
            {"source_type", dataset.source_type},
            {"source", dataset.source}};
  if (dataset.schema) j["schema"] = *dataset.schema;
  if (dataset.profile) j["profile"] = *dataset.profile;
  return j;
}

Json encode(const DatasetInput& input) {
  Json tags = Json::array();
  for (const auto& t : input.tags) tags.push_back(encode(t));
  Json j = {{"dataset", encode(input.dataset)}};
  if (!tags.empty()) j["tags"] = std::move(tags);
  return j;
}

Json encode(const ModelInput& input) { return Json{{"model_id", input.model_id}}; }

Json encode(const ModelOutput& output) {
  return Json{{"model_id", output.model_id}, {"step", output.step}};
}

// ---- decoding ----

Metric decode_metric(const Json& j) {
  require_object(j, "metric");
  Metric m;
  m.key = str_or_empty(j, "key");
  if (const Json* v = find(j, "value")) m.value = decode_double(*v, "value");
  m.timestamp = int_or_zero(j, "timestamp");
  m.step = int_or_zero(j, "step");
  m.model_id = opt_str(j, "model_id");
  m.dataset_name = opt_str(j, "dataset_name");
  m.dataset_digest = opt_str(j, "dataset_digest");
  m.run_id = opt_str(j, "run_id");
  return m;
}

Experiment decode_experiment(const Json& j) {
  require_object(j, "experiment");
  Experiment e;
  e.experiment_id = str_or_empty(j, "experiment_id");
  e.name = str_or_empty(j, "name");
  e.artifact_location = str_or_empty(j, "artifact_location");
  e.lifecycle_stage = str_or_empty(j, "lifecycle_stage");
  e.creation_time = opt_int(j, "creation_time");
  e.last_update_time = opt_int(j, "last_update_time");
  read_key_values(j, "tags", e.tags);
  return e;
}

RunInfo decode_run_info(const Json& j) {
  require_object(j, "run info");
  RunInfo info;
  // run_uuid is the deprecated twin of run_id; older servers may send only it.
  info.run_id = str_or_empty(j, "run_id");
  if (info.run_id.empty()) info.run_id = str_or_empty(j, "run_uuid");
  info.experiment_id = str_or_empty(j, "experiment_id");
  info.run_name = str_or_empty(j, "run_name");
  info.user_id = str_or_empty(j, "user_id");
  if (const Json* v = find(j, "status")) info.status = decode_run_status(*v, "status");
  info.start_time = int_or_zero(j, "start_time");
  info.end_time = opt_int(j, "end_time");
  info.artifact_uri = str_or_empty(j, "artifact_uri");
  info.lifecycle_stage = str_or_empty(j, "lifecycle_stage");
  return info;
}

RunData decode_run_data(const Json& j) {
  require_object(j, "run data");
  RunData data;
  for (const Json& m : array_field(j, "metrics")) {
    Metric metric = decode_metric(m);
    data.metrics[metric.key] = metric.value;
    data.latest_metrics.push_back(std::move(metric));
  }
  read_key_values(j, "params", data.params);
  read_key_values(j, "tags", data.tags);
  return data;
}

Dataset decode_dataset(const Json& j) {
  require_object(j, "dataset");
  Dataset d;
  d.name = str_or_empty(j, "name");
  d.digest = str_or_empty(j, "digest");
  d.source_type = str_or_empty(j, "source_type");
  d.source = str_or_empty(j, "source");
  d.schema = opt_str(j, "schema");
  d.profile = opt_str(j, "profile");
  return d;
}

DatasetInput decode_dataset_input(const Json& j) {
  require_object(j, "dataset input");
  DatasetInput in;
  if (const Json* d = find(j, "dataset")) in.dataset = decode_dataset(*d);
  for (const Json& t : array_field(j, "tags")) {
    require_object(t, "tags");
    in.tags.push_back(InputTag{str_or_empty(t, "key"), str_or_empty(t, "value")});
  }
  return in;
}

RunInputs decode_run_inputs(const Json& j) {
  require_object(j, "run inputs");
  RunInputs inputs;
  for (const Json& d : array_field(j, "dataset_inputs")) {
    inputs.dataset_inputs.push_back(decode_dataset_input(d));
  }
  for (const Json& m : array_field(j, "model_inputs")) {
    require_object(m, "model_inputs");
    inputs.model_inputs.push_back(ModelInput{str_or_empty(m, "model_id")});
  }
  return inputs;
}

RunOutputs decode_run_outputs(const Json& j) {
  require_object(j, "run outputs");
  RunOutputs outputs;
  for (const Json& m : array_field(j, "model_outputs")) {
    require_object(m, "model_outputs");
    outputs.model_outputs.push_back(
        ModelOutput{str_or_empty(m, "model_id"), int_or_zero(m, "step")});
  }
  return outputs;
}

Run decode_run(const Json& j) {
  require_object(j, "run");
  Run run;
  if (const Json* v = find(j, "info")) run.info = decode_run_info(*v);
  if (const Json* v = find(j, "data")) run.data = decode_run_data(*v);
  if (const Json* v = find(j, "inputs")) run.inputs = decode_run_inputs(*v);
  if (const Json* v = find(j, "outputs")) run.outputs = decode_run_outputs(*v);
  return run;
}

}  // namespace mlflow::internal::json_codec
