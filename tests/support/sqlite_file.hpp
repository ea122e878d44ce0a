// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Looking at a SQLite file without SQLite, so that looking changes nothing: its bytes, the
// journal mode its header records, and the journal files SQLite keeps beside it.

#include <string>
#include <vector>

#include "support/files.hpp"  // file_bytes, which the SQLite checks build on

namespace mlflow::testing {

/// "wal" or "rollback" as header bytes 18 and 19 record it; "other" for anything else.
std::string recorded_journal_mode(const std::string& path);
/// Which of `<db>-wal`, `<db>-shm` and `<db>-journal` exist (their suffixes).
std::vector<std::string> sqlite_sidecar_files(const std::string& db);

}  // namespace mlflow::testing
