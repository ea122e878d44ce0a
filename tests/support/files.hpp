// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Whole-file reads and writes for tests that prepare inputs or check what landed on disk.

#include <string>

namespace mlflow::testing {

/// The whole file, byte for byte ("" when it cannot be read).
std::string file_bytes(const std::string& path);
/// Writes `data` as the whole file (binary), creating its parent directories first.
void write_file(const std::string& path, const std::string& data);

/// tests/data/server-3.18/<name>.json: an answer recorded verbatim from a real MLflow 3.18.0
/// server, kept as data so that every test decoding it reads the same bytes. Throws when the
/// file is missing or empty, so a test never passes on an absent recording.
std::string recorded_server_json(const std::string& name);

}  // namespace mlflow::testing
