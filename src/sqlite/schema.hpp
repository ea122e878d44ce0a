// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// MLflow 3.18's SQL schema and the policy for opening a database file (ADR 0005): create it
// when new, open it at 3.18's head revision, refuse everything else without touching it.

#include <memory>
#include <string>
#include <vector>

#include "sqlite/db.hpp"

namespace mlflow::internal::sqlite {

/// The alembic head revision of MLflow 3.18 (what `alembic_version` holds).
const char* schema_head_revision();
/// The MLflow version the embedded schema comes from ("3.18.0").
const char* schema_mlflow_version();
/// The CREATE statements of the full schema, in the order MLflow's database lists them.
std::vector<std::string> schema_statements();

/// Opens `path` (a file path or ":memory:") following the opening policy, creating the
/// schema, the `default` workspace row and the Default experiment (artifact location
/// `<artifact_root>/0`) when the database is new. Sets the per-connection pragmas.
/// Throws InvalidArgument for a file that is not an MLflow database (left unmodified) and
/// MlflowException(INVALID_STATE) for another schema revision (also left unmodified).
std::unique_ptr<Connection> open_mlflow_database(const std::string& path,
                                                 const std::string& artifact_root);

}  // namespace mlflow::internal::sqlite
