// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/registry_validation.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

#include "client/validation.hpp"
#include "core/posix_path.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw_error(ErrorCode::kInvalidParameterValue, message);
}

void check_length(const std::string& entity, std::size_t limit, const std::string& value) {
  if (value.size() > limit) {
    invalid("'" + entity + "' exceeds the maximum length of " + std::to_string(limit) +
            " characters");
  }
}

bool is_blank(const std::string& s) {
  for (unsigned char c : s) {
    if (!std::isspace(c)) return false;
  }
  return true;
}

}  // namespace

void validate_model_name(const std::string& name, const std::string& field) {
  if (is_blank(name)) invalid("Missing value for required parameter '" + field + "'.");
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
  check_length("key", kMaxRegistryTagKeyLength, key);
}

void validate_registry_tag(const std::string& key, const std::string& value) {
  validate_registry_tag_key(key);
  check_length("value", kMaxRegistryTagValueLength, value);
}

void validate_alias_name(const std::string& alias) {
  if (alias.empty()) invalid("Registered model alias name cannot be empty.");
  for (unsigned char c : alias) {
    // Python's \w also takes non-ASCII letters; any non-ASCII byte is let through likewise.
    if (c >= 0x80 || std::isalnum(c) || c == '_' || c == '-') continue;
    invalid("Invalid alias name: '" + alias +
            "'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
  }
  check_length("Registered model alias name", kMaxAliasLength, alias);
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
