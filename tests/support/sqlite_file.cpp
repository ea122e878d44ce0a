// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/sqlite_file.hpp"

#include <filesystem>

#include "support/files.hpp"

namespace mlflow::testing {

std::string recorded_journal_mode(const std::string& path) {
  const std::string header = file_bytes(path).substr(0, 20);
  if (header.size() == 20 && header[18] == 2 && header[19] == 2) return "wal";
  if (header.size() == 20 && header[18] == 1 && header[19] == 1) return "rollback";
  return "other";
}

std::vector<std::string> sqlite_sidecar_files(const std::string& db) {
  std::vector<std::string> found;
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    if (std::filesystem::exists(db + suffix)) found.push_back(suffix);
  }
  return found;
}

}  // namespace mlflow::testing
