// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// MLflow 3.18's SQL schema (ADR 0005): what a file must hold to be opened, and how a new
// database gets it. The opening policy itself is sqlite::Database::open.

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

/// What an existing file holds, decided without writing to it (ADR 0005).
enum class SchemaState {
  kEmpty,    // a SQLite database without any table: the schema is created in it
  kCurrent,  // MLflow 3.18's schema at its head revision
};

/// Inspects `path` through `reader` (a read-only connection): the header must be SQLite's, the
/// tables MLflow's and the revision 3.18's head. Throws InvalidArgument for a file that is not
/// an MLflow database and MlflowException(INVALID_STATE) for another schema revision; neither
/// touches the file. `uri_hint` is the URI to name in messages.
SchemaState inspect_schema(Connection& reader, const std::string& path,
                           const std::string& uri_hint);

/// Throws InvalidArgument (naming `uri_hint`) unless `path` starts with SQLite's 16-byte
/// header. Reads the bytes only; the file is not opened as a database.
void require_sqlite_header(const std::string& path, const std::string& uri_hint);

/// Creates the whole schema, the `default` workspace row and the Default experiment
/// (artifact location `<artifact_root>/0`) in one write transaction, unless another
/// connection created it first.
void create_schema(Connection& conn, const std::string& artifact_root);

}  // namespace mlflow::internal::sqlite
