// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.

#include "sync/sync_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "mlflow/errors.hpp"

namespace mlflow::internal::sync {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

[[noreturn]] void state_error(const std::string& what, const std::string& path) {
  throw_error(ErrorCode::kIoError, "Sync state file '" + path + "': " + what +
                                       " (remove it to start over: sync then compares with "
                                       "the destination)");
}

void write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) state_error(std::error_code(errno, std::generic_category()).message(), path);
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

SyncState::SyncState(std::string path) : path_(std::move(path)) {
  std::ifstream in(path_);
  if (!in) return;
  std::stringstream text;
  text << in.rdbuf();
  try {
    const json doc = json::parse(text.str());
    for (const auto& [source, entry] : doc.at("runs").items()) {
      RunMarks& marks = runs_[source];
      marks.destination_run_id = entry.at("destination_run_id").get<std::string>();
      for (const auto& [key, mark] : entry.at("metrics").items()) {
        marks.metrics[key] =
            KeyMark{mark.at(0).get<std::int64_t>(), mark.at(1).get<std::int64_t>()};
      }
    }
  } catch (const json::exception& e) {
    state_error(std::string("not a sync state (") + e.what() + ")", path_);
  }
}

const RunMarks* SyncState::find(const std::string& source_run_id,
                                const std::string& destination_run_id) const {
  const auto it = runs_.find(source_run_id);
  if (it == runs_.end() || it->second.destination_run_id != destination_run_id) return nullptr;
  return &it->second;
}

void SyncState::set_mark(const std::string& source_run_id, const std::string& destination_run_id,
                         const std::string& key, const KeyMark& mark) {
  RunMarks& marks = runs_[source_run_id];
  if (marks.destination_run_id != destination_run_id) {
    marks = RunMarks{destination_run_id, {}};
  }
  marks.metrics[key] = mark;
}

void SyncState::save() const {
  json runs = json::object();
  for (const auto& [source, marks] : runs_) {
    json metrics = json::object();
    for (const auto& [key, mark] : marks.metrics) metrics[key] = {mark.high_water, mark.count};
    runs[source] = {{"destination_run_id", marks.destination_run_id}, {"metrics", metrics}};
  }
  const std::string text = json{{"version", 1}, {"runs", runs}}.dump();
  const fs::path target(path_);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  const std::string temp = path_ + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) state_error(std::error_code(errno, std::generic_category()).message(), temp);
  try {
    write_all(fd, text, temp);
  } catch (...) {
    ::close(fd);
    throw;
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) state_error("fsync failed", temp);
  fs::rename(temp, target, ec);
  if (ec) state_error(ec.message(), path_);
}

std::string default_state_path(const std::string& source_uri, const std::string& destination_uri) {
  // FNV-1a over both URIs: a stable file name per pair.
  std::uint64_t hash = 1469598103934665603ULL;
  for (const char c : source_uri + '\n' + destination_uri) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.json", static_cast<unsigned long long>(hash));
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const fs::path root = (xdg != nullptr && *xdg != '\0')     ? fs::path(xdg)
                        : (home != nullptr && *home != '\0') ? fs::path(home) / ".cache"
                                                             : fs::temp_directory_path();
  return (root / "mlflow-cpp" / "sync" / name).string();
}

}  // namespace mlflow::internal::sync
