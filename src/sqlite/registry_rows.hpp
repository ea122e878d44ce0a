// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The model registry's rows on the embedded store (workspace 'default'): reading registered
// models and model versions with their tags and aliases, the existence checks with MLflow's
// messages, and the keyed UPDATEs, in one place for every registry operation.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/model_version.hpp"
#include "mlflow/registered_model.hpp"
#include "sqlite/db.hpp"

namespace mlflow::internal::registry_rows {

using sqlite::Connection;

[[noreturn]] void throw_no_model(const std::string& name);
[[noreturn]] void throw_no_version(const std::string& name, std::int64_t version);

bool model_exists(Connection& c, const std::string& name);
void require_model(Connection& c, const std::string& name);
/// A live (not deleted) version must exist.
void require_version(Connection& c, const std::string& name, std::int64_t version);

/// The model with its tags, aliases and latest versions.
RegisteredModel load_model(Connection& c, const std::string& name);
/// A live version with its tags (and aliases when asked: Python's search leaves them out).
ModelVersion load_version(Connection& c, const std::string& name, std::int64_t version,
                          bool with_aliases);
/// The newest live version of each stage, stages in the order their first version appears
/// (what iterating Python's model_versions relationship gives), with tags.
std::vector<ModelVersion> latest_versions(Connection& c, const std::string& name);
void read_version_aliases(Connection& c, ModelVersion& version);
/// A registered model tag's value; nullopt when the model has no such tag.
std::optional<std::string> model_tag(Connection& c, const std::string& name,
                                     const std::string& key);

/// UPDATE registered_models SET <assignments> for one model; `values` bind the assignments'
/// placeholders. `assignments` is the store's own SQL text.
template <typename... Values>
void update_model(Connection& c, const std::string& name, const std::string& assignments,
                  const Values&... values) {
  c.run("UPDATE registered_models SET " + assignments + " WHERE workspace = 'default' AND name = ?",
        values..., name);
}

/// UPDATE model_versions SET <assignments> for one version (deleted or not).
template <typename... Values>
void update_version(Connection& c, const std::string& name, std::int64_t version,
                    const std::string& assignments, const Values&... values) {
  c.run("UPDATE model_versions SET " + assignments +
            " WHERE workspace = 'default' AND name = ? AND version = ?",
        values..., name, version);
}

/// Sets the model's last_updated_time.
void touch_model(Connection& c, const std::string& name, std::int64_t now);

}  // namespace mlflow::internal::registry_rows
