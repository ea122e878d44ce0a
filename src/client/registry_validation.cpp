// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/registry_validation.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

#include "client/validation.hpp"
#include "core/posix_path.hpp"
#include "core/python_chars.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw_error(ErrorCode::kInvalidParameterValue, message);
}

}  // namespace

void validate_model_name(const std::string& name, const std::string& field) {
  utf8::require_valid(name, field);
  // Python's `name.strip() == ""`: Unicode whitespace (U+00A0, U+3000...) is blank too.
  if (is_python_blank(name)) invalid("Missing value for required parameter '" + field + "'.");
  if (name.find_first_of("/:") != std::string::npos) {
    invalid("Invalid model name '" + name + "'. Names cannot contain '/' or ':'.");
  }
  if (resolves_to_other_name(name)) {
    const std::string rendered =
        nlohmann::json(name).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    invalid("Invalid value " + rendered + " for parameter '" + field +
            "' supplied: Names may be treated as files in certain cases, and must not resolve "
            "to other names when treated as such. This name would resolve to '" +
            posix_normpath(name) + "'");
  }
}

void validate_model_version(const std::string& version) {
  // Python's int(): optional surrounding whitespace, optional sign, digits.
  std::size_t i = 0;
  std::size_t end = version.size();
  while (i < end && std::isspace(static_cast<unsigned char>(version[i]))) ++i;
  while (end > i && std::isspace(static_cast<unsigned char>(version[end - 1]))) --end;
  if (i < end && (version[i] == '+' || version[i] == '-')) ++i;
  bool ok = i < end;
  for (std::size_t k = i; k < end; ++k) {
    if (!std::isdigit(static_cast<unsigned char>(version[k]))) ok = false;
  }
  if (!ok) invalid("Parameter 'version' must be an integer, got '" + version + "'.");
}

void validate_registry_tag_key(const std::string& key) {
  validate_tag_key(key, "key");
  validate_length_limit("key", kMaxRegistryTagKeyLength, key);
}

void validate_registry_tag(const std::string& key, const std::string& value) {
  utf8::require_valid(value, "value");
  validate_registry_tag_key(key);
  validate_length_limit("value", kMaxRegistryTagValueLength, value);
}

void validate_alias_name(const std::string& alias) {
  if (alias.empty()) invalid("Registered model alias name cannot be empty.");
  utf8::require_valid(alias, "alias");
  // Python's `^[\w\-]*$`, with its Unicode-aware \w.
  for (std::size_t i = 0; i < alias.size();) {
    const utf8::Decoded d = utf8::decode(alias, i);
    if (is_python_word_char(d.code_point) || d.code_point == '-') {
      i += d.length;
      continue;
    }
    invalid("Invalid alias name: '" + alias +
            "'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
  }
  validate_length_limit("Registered model alias name", kMaxAliasLength, alias);
}

void validate_alias_not_reserved(const std::string& alias) {
  std::string lower = alias;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "latest") invalid("'latest' alias name (case insensitive) is reserved.");
  if (alias.size() >= 2 && (alias[0] == 'v' || alias[0] == 'V')) {
    bool digits = true;
    for (std::size_t i = 1; i < alias.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(alias[i]))) digits = false;
    }
    if (digits) invalid("Version alias name '" + alias + "' is reserved.");
  }
}

void validate_registry_max_results(int max_results, int limit) {
  if (max_results < 1) {
    invalid(
        "Invalid value for request parameter max_results. It must be at least 1, but got "
        "value " +
        std::to_string(max_results));
  }
  validate_max_results_at_most(max_results, limit);
}

void validate_max_results_at_most(int max_results, int limit) {
  if (max_results > limit) {
    invalid("Invalid value for request parameter max_results. It must be at most " +
            std::to_string(limit) + ", but got value " + std::to_string(max_results));
  }
}

void validate_model_versions_max_results(int max_results) {
  if (max_results < 1) {
    invalid("Invalid value for max_results. It must be a positive integer, but got " +
            std::to_string(max_results));
  }
  validate_max_results_at_most(max_results, kMaxSearchModelVersions);
}

}  // namespace mlflow::internal
