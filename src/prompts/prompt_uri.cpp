// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// prompts:/ URIs, parsed as Python's _parse_model_uri(uri, scheme="prompts") parses them.
#include "mlflow/errors.hpp"
#include "mlflow/prompt.hpp"

namespace mlflow {
namespace {

[[noreturn]] void improper(const std::string& uri) {
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "Not a proper prompts:/ URI: '" + uri +
                            "'. Prompt URIs must be 'prompts:/<name>/<version>' or "
                            "'prompts:/<name>@<alias>'.");
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\n\r\f\v") == std::string::npos; }

}  // namespace

bool PromptUri::is_prompt_uri(const std::string& text) noexcept {
  return text.rfind("prompts:/", 0) == 0;
}

PromptUri PromptUri::parse(const std::string& uri) {
  if (!is_prompt_uri(uri)) improper(uri);
  std::string path = uri.substr(8);  // from the '/' after "prompts:"
  if (path.rfind("//", 0) == 0) {
    // urlparse reads "prompts://x/..." as a network location "x"; only an empty one is a path.
    if (path.size() < 3 || path[2] != '/') improper(uri);
    path = path.substr(2);
  }
  if (path.find('?') != std::string::npos || path.size() <= 1) improper(uri);
  const std::size_t first = path.find_first_not_of('/');
  if (first == std::string::npos) improper(uri);
  const std::string rest = path.substr(first);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = rest.find('/', start);
    parts.push_back(
        rest.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (parts.size() > 2 || blank(parts[0])) improper(uri);
  PromptUri out;
  if (parts.size() == 2) {
    if (!all_digits(parts[1])) {
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "Invalid prompt URI '" + uri +
                                "': only version numbers follow the name (stages and 'latest' "
                                "are not supported for prompts; use prompts:/<name>@latest).");
    }
    if (parts[1].size() > 9) improper(uri);
    out.name = parts[0];
    out.version = std::stoi(parts[1]);
    return out;
  }
  const std::size_t at = parts[0].rfind('@');
  if (at == std::string::npos) improper(uri);
  out.name = parts[0].substr(0, at);
  out.alias = parts[0].substr(at + 1);
  if (blank(*out.alias)) improper(uri);
  return out;
}

PromptUri PromptUri::resolve(const std::string& name_or_uri, std::optional<int> version) {
  if (is_prompt_uri(name_or_uri)) {
    if (version) {
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "The `version` argument should not be specified when loading a "
                            "prompt by URI.");
    }
    return parse(name_or_uri);
  }
  if (name_or_uri.empty()) {
    throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                          "A prompt name or prompts:/ URI is required.");
  }
  if (version) {
    if (*version < 0) improper("prompts:/" + name_or_uri + "/" + std::to_string(*version));
    return parse("prompts:/" + name_or_uri + "/" + std::to_string(*version));
  }
  return parse("prompts:/" + name_or_uri + "@latest");
}

std::string PromptUri::str() const {
  if (version) return "prompts:/" + name + "/" + std::to_string(*version);
  return "prompts:/" + name + "@" + alias.value_or("latest");
}

}  // namespace mlflow
