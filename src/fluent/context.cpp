// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Python's run context providers (mlflow/tracking/context): default (user, source name and
// type), git (HEAD commit, read from .git without libgit) and MLFLOW_RUN_CONTEXT.

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "core/log.hpp"
#include "core/strings.hpp"
#include "fluent/state.hpp"

namespace mlflow::internal {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> non_empty_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::optional<std::string> read_first_line(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);
  return trim(line);
}

bool is_sha(const std::string& s) {
  if (s.size() != 40 && s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The git directory of the checkout whose work tree contains `dir`: `.git` itself, or the
// directory a `.git` file points to (worktrees, submodules).
std::optional<fs::path> find_git_dir(fs::path dir) {
  std::error_code ec;
  while (true) {
    const fs::path dot_git = dir / ".git";
    if (fs::is_directory(dot_git, ec)) return dot_git;
    if (fs::is_regular_file(dot_git, ec)) {
      auto line = read_first_line(dot_git);
      const std::string prefix = "gitdir:";
      if (line && line->compare(0, prefix.size(), prefix) == 0) {
        fs::path target = trim(line->substr(prefix.size()));
        if (target.is_relative()) target = dir / target;
        return target;
      }
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

std::optional<std::string> resolve_ref(const fs::path& git_dir, const std::string& ref) {
  // Shared refs of a linked worktree live in the main git directory ("commondir").
  fs::path common = git_dir;
  if (auto rel = read_first_line(git_dir / "commondir")) {
    common = fs::path(*rel).is_relative() ? git_dir / *rel : fs::path(*rel);
  }
  for (const auto& base : {git_dir, common}) {
    if (auto sha = read_first_line(base / ref); sha && is_sha(*sha)) return sha;
  }
  for (const auto& base : {git_dir, common}) {
    std::ifstream packed(base / "packed-refs");
    std::string line;
    while (std::getline(packed, line)) {
      if (line.empty() || line[0] == '#' || line[0] == '^') continue;
      auto space = line.find(' ');
      if (space == std::string::npos) continue;
      if (trim(line.substr(space + 1)) == ref && is_sha(line.substr(0, space))) {
        return line.substr(0, space);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string program_path() {
  std::error_code ec;
  auto path = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return path.string();
}

std::optional<std::string> git_commit_for(const std::string& path) {
  if (path.empty()) return std::nullopt;
  std::error_code ec;
  fs::path start = fs::absolute(path, ec);
  if (ec) return std::nullopt;
  if (!fs::is_directory(start, ec)) start = start.parent_path();
  auto git_dir = find_git_dir(start);
  if (!git_dir) return std::nullopt;
  auto head = read_first_line(*git_dir / "HEAD");
  if (!head) return std::nullopt;
  const std::string prefix = "ref:";
  if (head->compare(0, prefix.size(), prefix) == 0) {
    return resolve_ref(*git_dir, trim(head->substr(prefix.size())));
  }
  if (is_sha(*head)) return head;
  return std::nullopt;
}

std::string context_user() {
  if (auto user = non_empty_env("MLFLOW_TRACKING_USERNAME")) return *user;
  for (const char* name : {"LOGNAME", "USER", "LNAME", "USERNAME"}) {
    if (auto user = non_empty_env(name)) return *user;
  }
  struct passwd pw {};
  struct passwd* result = nullptr;
  std::vector<char> buffer(16384);
  if (getpwuid_r(getuid(), &pw, buffer.data(), buffer.size(), &result) == 0 && result != nullptr &&
      pw.pw_name != nullptr) {
    return pw.pw_name;
  }
  return "unknown";
}

std::map<std::string, std::string> context_tags() {
  std::map<std::string, std::string> tags;
  const std::string program = program_path();
  tags["mlflow.user"] = context_user();
  tags["mlflow.source.name"] = program.empty() ? "<console>" : program;
  tags["mlflow.source.type"] = "LOCAL";
  if (auto commit = git_commit_for(program)) tags["mlflow.source.git.commit"] = *commit;
  if (const char* extra = std::getenv("MLFLOW_RUN_CONTEXT")) {
    // Python logs and skips a provider that fails; a bad MLFLOW_RUN_CONTEXT does the same.
    try {
      auto json = nlohmann::json::parse(extra);
      if (!json.is_object()) throw std::runtime_error("not a JSON object");
      for (const auto& [key, value] : json.items()) {
        tags[key] = value.is_string() ? value.get<std::string>() : value.dump();
      }
    } catch (const std::exception& e) {
      log(LogLevel::kWarning,
          std::string("mlflow: ignoring MLFLOW_RUN_CONTEXT, not a JSON object: ") + e.what());
    }
  }
  return tags;
}

}  // namespace mlflow::internal
