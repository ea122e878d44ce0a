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
#include "core/python_chars.hpp"
#include "core/utf8.hpp"
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

// MLflow's `re.fullmatch(r"^[/\w.\- :]*$", name)`, with Python's Unicode-aware `\w`
// (accented letters, Cyrillic, CJK are word characters; emoji, combining marks and U+00A0
// are not). The text is valid UTF-8 by now.
bool has_only_allowed_characters(const std::string& name) {
  for (std::size_t i = 0; i < name.size();) {
    const utf8::Decoded d = utf8::decode(name, i);
    const char32_t c = d.code_point;
    if (d.length == 0) return false;
    if (!is_python_word_char(c) && c != '/' && c != '.' && c != '-' && c != ' ' && c != ':') {
      return false;
    }
    i += d.length;
  }
  return true;
}

const char* kBadCharacters =
    "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), "
    "colon(:) and slashes (/).";

void validate_name(const std::string& name, const std::string& path) {
  utf8::require_valid(name, path);
  if (!has_only_allowed_characters(name)) invalid(invalid_value(path, name, kBadCharacters));
  if (resolves_to_other_name(name)) {
    invalid(invalid_value(path, name,
                          "Names may be treated as files in certain cases, and must not resolve "
                          "to other names when treated as such. This name would resolve to '" +
                              posix_normpath(name) + "'"));
  }
}

bool truncate_long_values() {
  const char* v = std::getenv("MLFLOW_TRUNCATE_LONG_VALUES");
  if (v == nullptr) return true;
  std::string s(v);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s == "true" || s == "1";
}

// Python's _validate_length_limit(..., truncate=True): value[:limit] in code points, so a
// character is never cut in half.
std::string truncated(const std::string& entity, std::size_t limit, const std::string& value) {
  const std::size_t length = utf8::length(value);
  if (length <= limit) return value;
  if (!truncate_long_values()) validate_length_limit(entity, limit, value);
  log(LogLevel::kWarning, entity + " '" + utf8::truncate(value, 100) + "...' (" +
                              std::to_string(length) + " characters) is truncated to " +
                              std::to_string(limit) + " characters to meet the length limit.");
  return utf8::truncate(value, limit);
}

// The name of a field in "not valid UTF-8" messages: the JSON path inside a batch
// ("params[3].value"), else what it is ("param value").
std::string text_field(const std::string& path, const std::string& field,
                       const std::string& entity) {
  return path.empty() ? entity + " " + field : json_path(path, field);
}

}  // namespace

void validate_length_limit(const std::string& entity, std::size_t limit, const std::string& value) {
  if (utf8::length(value) > limit) {
    invalid("'" + entity + "' exceeds the maximum length of " + std::to_string(limit) +
            " characters");
  }
}

void validate_metric_key(const std::string& key, const std::string& path) {
  validate_name(key, path);
  validate_length_limit("Metric name", kMaxEntityKeyLength, key);
}

void validate_param_key(const std::string& key, const std::string& path) {
  validate_name(key, path);
  validate_length_limit("Param key", kMaxEntityKeyLength, key);
}

void validate_tag_key(const std::string& key, const std::string& path) {
  validate_name(key, path);
  validate_length_limit(path, kMaxEntityKeyLength, key);
}

Param validate_param(const Param& param, const std::string& path) {
  utf8::require_valid(param.key, text_field(path, "key", "param"));
  utf8::require_valid(param.value, text_field(path, "value", "param"));
  validate_param_key(param.key, json_path(path, "key"));
  return Param{param.key, truncated("Param value", kMaxParamValueLength, param.value)};
}

RunTag validate_tag(const RunTag& tag, const std::string& path) {
  utf8::require_valid(tag.key, text_field(path, "key", "tag"));
  utf8::require_valid(tag.value, text_field(path, "value", "tag"));
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
  utf8::require_valid(metric.key, text_field(path, "key", "metric"));
  if (metric.model_id)
    utf8::require_valid(*metric.model_id, text_field(path, "model_id", "metric"));
  if (metric.dataset_name) {
    utf8::require_valid(*metric.dataset_name, text_field(path, "dataset_name", "metric"));
  }
  if (metric.dataset_digest) {
    utf8::require_valid(*metric.dataset_digest, text_field(path, "dataset_digest", "metric"));
  }
  // Python's Metric entity: a dataset is named by both or neither.
  if (metric.dataset_name.has_value() != metric.dataset_digest.has_value()) {
    invalid("Both dataset_name and dataset_digest must be provided if one is provided");
  }
  validate_name(metric.key, json_path(path, "name"));
  validate_metric_value_fields(metric, path);
  validate_length_limit("Metric name", kMaxEntityKeyLength, metric.key);
}

void validate_experiment_tag(const ExperimentTag& tag) {
  utf8::require_valid(tag.key, "experiment tag key");
  utf8::require_valid(tag.value, "experiment tag value");
  validate_name(tag.key, "key");
  validate_length_limit("key", kMaxExperimentTagKeyLength, tag.key);
  validate_length_limit("value", kMaxExperimentTagValueLength, tag.value);
}

void validate_experiment_name(const std::string& name) {
  utf8::require_valid(name, "experiment name");
  // Python's `not experiment_name.strip()`: Unicode whitespace (U+00A0, U+3000...) is blank.
  if (is_python_blank(name)) invalid("Invalid experiment name: '" + name + "'");
  validate_length_limit("name", kMaxExperimentNameLength, name);
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
  const std::string field = path + ".dataset.";
  utf8::require_valid(d.name, field + "name");
  utf8::require_valid(d.digest, field + "digest");
  utf8::require_valid(d.source_type, field + "source_type");
  utf8::require_valid(d.source, field + "source");
  if (d.schema) utf8::require_valid(*d.schema, field + "schema");
  if (d.profile) utf8::require_valid(*d.profile, field + "profile");
  for (std::size_t i = 0; i < input.tags.size(); ++i) {
    const std::string tag = path + ".tags[" + std::to_string(i) + "].";
    utf8::require_valid(input.tags[i].key, tag + "key");
    utf8::require_valid(input.tags[i].value, tag + "value");
  }
  auto required = [&](const std::string& field, const std::string& value) {
    if (value.empty()) {
      invalid("Missing value for required parameter '" + path + ".dataset." + field + "'.");
    }
  };
  required("name", d.name);
  required("digest", d.digest);
  required("source_type", d.source_type);
  required("source", d.source);
  validate_length_limit("name", 500, d.name);
  validate_length_limit("digest", 36, d.digest);
  validate_length_limit("source", 65535, d.source);
  if (d.schema) validate_length_limit("schema", 1048575, *d.schema);
  if (d.profile) validate_length_limit("profile", 16777215, *d.profile);
  for (const auto& tag : input.tags) {
    if (tag.key.empty()) invalid("Missing value for required parameter '" + path + ".tags.key'.");
    validate_length_limit("key", 255, tag.key);
    validate_length_limit("value", 500, tag.value);
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
