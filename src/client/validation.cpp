// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/validation.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/log.hpp"
#include "core/posix_path.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw_error(ErrorCode::kInvalidParameterValue, message);
}

// MLflow's invalid_value(): the value rendered as JSON.
std::string invalid_value(const std::string& path, const std::string& value,
                          const std::string& detail) {
  std::string rendered =
      nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string msg = "Invalid value " + rendered + " for parameter '" + path + "' supplied";
  return detail.empty() ? msg + "." : msg + ": " + detail;
}

std::string json_path(const std::string& base, const std::string& field) {
  return base.empty() ? field : base + "." + field;
}

// Unicode-aware enough for MLflow's `[/\w.\- :]`: ASCII word characters, the listed
// punctuation, and any non-ASCII byte (Python's \w accepts most non-ASCII letters).
bool has_only_allowed_characters(const std::string& name) {
  for (unsigned char c : name) {
    if (c >= 0x80) continue;
    if (std::isalnum(c) || c == '_' || c == '/' || c == '.' || c == '-' || c == ' ' || c == ':')
      continue;
    return false;
  }
  return true;
}

const char* kBadCharacters =
    "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), "
    "colon(:) and slashes (/).";

void validate_name(const std::string& name, const std::string& path) {
  if (!has_only_allowed_characters(name)) invalid(invalid_value(path, name, kBadCharacters));
  if (resolves_to_other_name(name)) {
    invalid(invalid_value(path, name,
                          "Names may be treated as files in certain cases, and must not resolve "
                          "to other names when treated as such. This name would resolve to '" +
                              posix_normpath(name) + "'"));
  }
}

void check_length(const std::string& entity, std::size_t limit, const std::string& value) {
  if (value.size() > limit) {
    invalid("'" + entity + "' exceeds the maximum length of " + std::to_string(limit) +
            " characters");
  }
}

bool truncate_long_values() {
  const char* v = std::getenv("MLFLOW_TRUNCATE_LONG_VALUES");
  if (v == nullptr) return true;
  std::string s(v);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s == "true" || s == "1";
}

std::string truncated(const std::string& entity, std::size_t limit, const std::string& value) {
  if (value.size() <= limit) return value;
  if (!truncate_long_values()) check_length(entity, limit, value);
  log(LogLevel::kWarning, entity + " '" + value.substr(0, 100) + "...' (" +
                              std::to_string(value.size()) + " characters) is truncated to " +
                              std::to_string(limit) + " characters to meet the length limit.");
  return value.substr(0, limit);
}

}  // namespace

void validate_metric_key(const std::string& key, const std::string& path) {
  validate_name(key, path);
  check_length("Metric name", kMaxEntityKeyLength, key);
}

void validate_param_key(const std::string& key, const std::string& path) {
  validate_name(key, path);
  check_length("Param key", kMaxEntityKeyLength, key);
}

void validate_tag_key(const std::string& key, const std::string& path) {
  validate_name(key, path);
  check_length(path, kMaxEntityKeyLength, key);
}

Param validate_param(const Param& param, const std::string& path) {
  validate_param_key(param.key, json_path(path, "key"));
  return Param{param.key, truncated("Param value", kMaxParamValueLength, param.value)};
}

RunTag validate_tag(const RunTag& tag, const std::string& path) {
  validate_tag_key(tag.key, json_path(path, "key"));
  return RunTag{tag.key, truncated(json_path(path, "value"), kMaxTagValueLength, tag.value)};
}

namespace {
void validate_metric_value_fields(const Metric& metric, const std::string& path) {
  if (metric.timestamp < 0) {
    std::ostringstream detail;
    detail << "metric '" << metric.key << "' (value=" << metric.value
           << "). Timestamp must be a nonnegative long (64-bit integer) ";
    invalid(invalid_value(json_path(path, "timestamp"), std::to_string(metric.timestamp),
                          detail.str()));
  }
}
}  // namespace

void validate_metric(const Metric& metric, const std::string& path) {
  // Python's Metric entity: a dataset is named by both or neither.
  if (metric.dataset_name.has_value() != metric.dataset_digest.has_value()) {
    invalid("Both dataset_name and dataset_digest must be provided if one is provided");
  }
  validate_name(metric.key, json_path(path, "name"));
  validate_metric_value_fields(metric, path);
  check_length("Metric name", kMaxEntityKeyLength, metric.key);
}

void validate_experiment_tag(const ExperimentTag& tag) {
  validate_name(tag.key, "key");
  check_length("key", kMaxExperimentTagKeyLength, tag.key);
  check_length("value", kMaxExperimentTagValueLength, tag.value);
}

void validate_experiment_name(const std::string& name) {
  bool blank = true;
  for (unsigned char c : name) blank = blank && std::isspace(c);
  if (blank) invalid("Invalid experiment name: '" + name + "'");
  check_length("name", kMaxExperimentNameLength, name);
}

void validate_experiment_id(const std::string& experiment_id) {
  const bool digits =
      !experiment_id.empty() && experiment_id.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    invalid("Invalid experiment ID: '" + experiment_id +
            "'. Experiment ids are decimal integers such as '0' or '12'.");
  }
}

void validate_run_id(const std::string& run_id, const std::string& path) {
  bool ok = !run_id.empty() && run_id.size() <= 256 &&
            std::isalnum(static_cast<unsigned char>(run_id[0]));
  for (unsigned char c : run_id) ok = ok && (std::isalnum(c) || c == '_' || c == '-');
  if (!ok) invalid(invalid_value(path, run_id, ""));
}

void validate_max_results(std::int64_t max_results, std::int64_t limit) {
  if (max_results < 1 || max_results > limit) {
    invalid("Invalid value " + std::to_string(max_results) +
            " for parameter 'max_results' supplied. It must be at most " + std::to_string(limit) +
            " and a positive integer.");
  }
}

void validate_dataset_input(const DatasetInput& input, const std::string& path) {
  const Dataset& d = input.dataset;
  auto required = [&](const std::string& field, const std::string& value) {
    if (value.empty()) {
      invalid("Missing value for required parameter '" + path + ".dataset." + field + "'.");
    }
  };
  required("name", d.name);
  required("digest", d.digest);
  required("source_type", d.source_type);
  required("source", d.source);
  check_length("name", 500, d.name);
  check_length("digest", 36, d.digest);
  check_length("source", 65535, d.source);
  if (d.schema) check_length("schema", 1048575, *d.schema);
  if (d.profile) check_length("profile", 16777215, *d.profile);
  for (const auto& tag : input.tags) {
    if (tag.key.empty()) invalid("Missing value for required parameter '" + path + ".tags.key'.");
    check_length("key", 255, tag.key);
    check_length("value", 500, tag.value);
  }
}

void validate_param_keys_unique(const std::vector<Param>& params) {
  std::set<std::string> seen;
  std::vector<std::string> dupes;
  for (const auto& p : params) {
    if (!seen.insert(p.key).second) dupes.push_back(p.key);
  }
  if (dupes.empty()) return;
  std::string list = "[";
  for (size_t i = 0; i < dupes.size(); ++i) list += (i ? ", '" : "'") + dupes[i] + "'";
  invalid("Duplicate parameter keys have been submitted: " + list +
          "]. Please ensure the request contains only one param value per param key.");
}

}  // namespace mlflow::internal
