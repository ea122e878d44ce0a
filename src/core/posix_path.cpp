// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/posix_path.hpp"

#include <vector>

namespace mlflow::internal {

std::string posix_normpath(const std::string& path) {
  if (path.empty()) return ".";
  const bool absolute = path.front() == '/';
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string::npos) end = path.size();
    const std::string segment = path.substr(begin, end - begin);
    begin = end + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(segment);
      }
      continue;
    }
    parts.push_back(segment);
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

bool resolves_to_other_name(const std::string& name) {
  const std::string norm = posix_normpath(name);
  return norm != name || norm == "." || norm.rfind("..", 0) == 0 || norm.front() == '/';
}

}  // namespace mlflow::internal
