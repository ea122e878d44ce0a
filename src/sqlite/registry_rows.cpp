// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/registry_rows.hpp"

#include <algorithm>
#include <utility>

#include "mlflow/errors.hpp"

namespace mlflow::internal::registry_rows {
namespace {

constexpr const char* kVersionColumns =
    "name, version, creation_time, last_updated_time, description, user_id, current_stage, "
    "source, run_id, status, status_message, run_link";

ModelVersion read_version_row(const sqlite::Statement& s) {
  ModelVersion mv;
  mv.name = s.text(0);
  mv.version = std::to_string(s.int64(1));
  mv.creation_timestamp = s.is_null(2) ? 0 : s.int64(2);
  mv.last_updated_timestamp = s.is_null(3) ? 0 : s.int64(3);
  mv.description = s.opt_text(4);
  mv.user_id = s.text(5);
  mv.current_stage = model_version_stage_from_string(s.opt_text(6).value_or("None"));
  mv.source = s.text(7);
  mv.run_id = s.text(8);
  mv.status = model_version_status_from_string(s.opt_text(9).value_or("READY"));
  mv.status_message = s.text(10);
  mv.run_link = s.text(11);
  return mv;
}

std::int64_t version_number(const ModelVersion& mv) { return std::stoll(mv.version); }

void read_version_tags(Connection& c, ModelVersion& mv) {
  mv.tags = c.key_values(
      "SELECT key, value FROM model_version_tags WHERE workspace = 'default' AND name = ? AND "
      "version = ?",
      mv.name, version_number(mv));
}

}  // namespace

void throw_no_model(const std::string& name) {
  throw_error(ErrorCode::kResourceDoesNotExist,
              "Registered Model with name=" + name + " not found");
}

void throw_no_version(const std::string& name, std::int64_t version) {
  throw_error(ErrorCode::kResourceDoesNotExist, "Model Version (name=" + name + ", version=" +
                                                    std::to_string(version) + ") not found");
}

bool model_exists(Connection& c, const std::string& name) {
  return c.query("SELECT 1 FROM registered_models WHERE workspace = 'default' AND name = ?", name)
      ->step();
}

void require_model(Connection& c, const std::string& name) {
  if (!model_exists(c, name)) throw_no_model(name);
}

void require_version(Connection& c, const std::string& name, std::int64_t version) {
  if (!c.query("SELECT 1 FROM model_versions WHERE workspace = 'default' AND name = ? AND "
               "version = ? AND current_stage != 'Deleted_Internal'",
               name, version)
           ->step()) {
    throw_no_version(name, version);
  }
}

void read_version_aliases(Connection& c, ModelVersion& mv) {
  auto s = c.query(
      "SELECT alias FROM registered_model_aliases WHERE workspace = 'default' AND name = ? AND "
      "version = ? ORDER BY alias",
      mv.name, version_number(mv));
  while (s->step()) mv.aliases.push_back(s->text(0));
}

ModelVersion load_version(Connection& c, const std::string& name, std::int64_t version,
                          bool with_aliases) {
  ModelVersion mv;
  {
    auto s = c.query(std::string("SELECT ") + kVersionColumns +
                         " FROM model_versions WHERE workspace = 'default' AND name = ? AND "
                         "version = ? AND current_stage != 'Deleted_Internal'",
                     name, version);
    if (!s->step()) throw_no_version(name, version);
    mv = read_version_row(*s);
  }
  read_version_tags(c, mv);
  if (with_aliases) read_version_aliases(c, mv);
  return mv;
}

std::vector<ModelVersion> latest_versions(Connection& c, const std::string& name) {
  std::vector<ModelVersion> all;
  {
    auto s = c.query(std::string("SELECT ") + kVersionColumns +
                         " FROM model_versions WHERE workspace = 'default' AND name = ? AND "
                         "current_stage != 'Deleted_Internal' ORDER BY version",
                     name);
    while (s->step()) all.push_back(read_version_row(*s));
  }
  std::vector<ModelVersion> latest;
  for (auto& mv : all) {
    auto it = std::find_if(latest.begin(), latest.end(), [&](const ModelVersion& m) {
      return m.current_stage == mv.current_stage;
    });
    if (it == latest.end()) {
      latest.push_back(std::move(mv));
    } else {
      *it = std::move(mv);  // ascending order: a later one is newer
    }
  }
  for (auto& mv : latest) read_version_tags(c, mv);
  return latest;
}

RegisteredModel load_model(Connection& c, const std::string& name) {
  RegisteredModel rm;
  {
    auto s = c.query(
        "SELECT name, creation_time, last_updated_time, description FROM registered_models "
        "WHERE workspace = 'default' AND name = ?",
        name);
    if (!s->step()) throw_no_model(name);
    rm.name = s->text(0);
    rm.creation_timestamp = s->is_null(1) ? 0 : s->int64(1);
    rm.last_updated_timestamp = s->is_null(2) ? 0 : s->int64(2);
    rm.description = s->opt_text(3);
  }
  rm.tags = c.key_values(
      "SELECT key, value FROM registered_model_tags WHERE workspace = 'default' AND name = ?",
      name);
  rm.aliases = c.key_values(
      "SELECT alias, version FROM registered_model_aliases WHERE workspace = 'default' AND "
      "name = ?",
      name);
  rm.latest_versions = latest_versions(c, name);
  return rm;
}

std::optional<std::string> model_tag(Connection& c, const std::string& name,
                                     const std::string& key) {
  auto s = c.query(
      "SELECT value FROM registered_model_tags WHERE workspace = 'default' AND name = ? AND "
      "key = ?",
      name, key);
  if (!s->step()) return std::nullopt;
  return s->text(0);
}

void touch_model(Connection& c, const std::string& name, std::int64_t now) {
  update_model(c, name, "last_updated_time = ?", now);
}

}  // namespace mlflow::internal::registry_rows
