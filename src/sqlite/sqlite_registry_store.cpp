// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The embedded model registry, with the semantics of MLflow 3.18's SqlAlchemyStore for the
// model registry (store/model_registry/sqlalchemy_store.py): the same rows, the same soft
// delete and redaction of versions, the same messages and codes.
#include "sqlite/sqlite_registry_store.hpp"

#include <algorithm>
#include <utility>

#include "core/clock.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/registry_rows.hpp"
#include "sqlite/registry_search_sql.hpp"
#include "store/models_uri.hpp"

namespace mlflow::internal {

using sqlite::Connection;
using namespace registry_rows;

namespace {

constexpr const char* kDeletedInternal = "Deleted_Internal";
constexpr const char* kIsPromptTag = "mlflow.prompt.is_prompt";

// Python's int() of a version, with _validate_model_version's message.
std::int64_t parse_version(const std::string& version) {
  const std::size_t b = version.find_first_not_of(" \t\n\r");
  const std::size_t e = version.find_last_not_of(" \t\n\r");
  const std::string s = b == std::string::npos ? std::string() : version.substr(b, e - b + 1);
  bool ok = !s.empty();
  const std::size_t from = (ok && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (from >= s.size() || s.size() - from > 18) ok = false;
  for (std::size_t i = from; ok && i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') ok = false;
  }
  if (!ok) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Parameter 'version' must be an integer, got '" + version + "'.");
  }
  return std::stoll(s);
}

// Python's has_prompt_tag: the tag is present with value "true" (case-insensitive).
bool is_prompt_value(const std::optional<std::string>& v) {
  if (!v) return false;
  std::string lower = *v;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower == "true";
}

// handle_resource_already_exist_error: models and prompts may not share a name.
[[noreturn]] void throw_name_taken(Connection& c, const std::string& name,
                                   const std::vector<RegisteredModelTag>& tags) {
  const bool old_prompt = is_prompt_value(model_tag(c, name, kIsPromptTag));
  bool new_prompt = false;
  for (const auto& t : tags) {
    if (t.key == kIsPromptTag) new_prompt = is_prompt_value(t.value);
  }
  if (old_prompt != new_prompt) {
    throw_error(ErrorCode::kResourceAlreadyExists,
                std::string("Tried to create a ") + (new_prompt ? "prompt" : "registered model") +
                    " with name '" + name + "', but the name is already taken by a " +
                    (old_prompt ? "prompt" : "registered model") +
                    ". MLflow does not allow creating a model and a prompt with the same name.");
  }
  throw_error(ErrorCode::kResourceAlreadyExists,
              std::string(new_prompt ? "Prompt" : "Registered Model") + " (name=" + name +
                  ") already exists.");
}

void set_model_tag(Connection& c, const std::string& name, const RegisteredModelTag& tag) {
  c.run(
      "INSERT OR REPLACE INTO registered_model_tags (key, value, name, workspace) VALUES "
      "(?, ?, ?, 'default')",
      tag.key, tag.value, name);
}

void set_version_tag(Connection& c, const std::string& name, std::int64_t version,
                     const ModelVersionTag& tag) {
  c.run(
      "INSERT OR REPLACE INTO model_version_tags (key, value, name, version, workspace) "
      "VALUES (?, ?, ?, ?, 'default')",
      tag.key, tag.value, name, version);
}

// The storage location and run of a new version: a models:/<model_id> source is stored at the
// logged model's artifact location, and the version takes the model's source run when given
// none (Python's SqlAlchemyStore).
std::pair<std::string, std::optional<std::string>> version_source(
    Connection& c, const CreateModelVersionRequest& request) {
  std::optional<std::string> run_id = request.run_id;
  const auto logged_id = logged_model_id_of_uri(request.source);
  if (!logged_id) return {request.source, run_id};
  auto s = c.query(
      "SELECT artifact_location, source_run_id FROM logged_models WHERE model_id = ? AND "
      "lifecycle_stage != 'deleted'",
      *logged_id);
  if (!s->step()) {
    throw_error(ErrorCode::kInternalError,
                "Unable to fetch model from model URI source artifact location '" + request.source +
                    "'.Error: Logged model with ID '" + *logged_id + "' not found.");
  }
  if (!run_id || run_id->empty()) run_id = s->opt_text(1);
  return {s->text(0), run_id};
}

// Runs `write(c, v)` in one write transaction once version `version` of `name` exists; v is
// the version as a number. Returns what `write` returns.
template <typename Write>
decltype(auto) write_to_version(sqlite::Database& db, const std::string& name,
                                const std::string& version, Write write) {
  const std::int64_t v = parse_version(version);
  return db.write([&](Connection& c) -> decltype(auto) {
    require_version(c, name, v);
    return write(c, v);
  });
}

}  // namespace

SqliteRegistryStore::SqliteRegistryStore(std::shared_ptr<sqlite::Database> db)
    : db_(std::move(db)) {}

// ---- registered models ----

RegisteredModel SqliteRegistryStore::create_registered_model(
    const std::string& name, const std::vector<RegisteredModelTag>& tags,
    const std::optional<std::string>& description) {
  return db_->write([&](Connection& c) {
    if (model_exists(c, name)) throw_name_taken(c, name, tags);
    const std::int64_t now = now_millis();
    c.run(
        "INSERT INTO registered_models (name, creation_time, last_updated_time, description, "
        "workspace) VALUES (?, ?, ?, ?, 'default')",
        name, now, now, description);
    for (const auto& t : tags) set_model_tag(c, name, t);
    return load_model(c, name);
  });
}

RegisteredModel SqliteRegistryStore::get_registered_model(const std::string& name) {
  return db_->read([&](Connection& c) { return load_model(c, name); });
}

RegisteredModel SqliteRegistryStore::rename_registered_model(const std::string& name,
                                                             const std::string& new_name) {
  return db_->write([&](Connection& c) {
    require_model(c, name);
    if (new_name != name && model_exists(c, new_name)) {
      throw_error(ErrorCode::kResourceAlreadyExists,
                  "Registered Model (name=" + new_name + ") already exists.");
    }
    const std::int64_t now = now_millis();
    // ON UPDATE CASCADE carries the name to versions, tags and aliases.
    update_model(c, name, "name = ?, last_updated_time = ?", new_name, now);
    c.run(
        "UPDATE model_versions SET last_updated_time = ? WHERE workspace = 'default' AND "
        "name = ?",
        now, new_name);
    return load_model(c, new_name);
  });
}

RegisteredModel SqliteRegistryStore::update_registered_model(
    const std::string& name, const std::optional<std::string>& description) {
  return db_->write([&](Connection& c) {
    require_model(c, name);
    update_model(c, name, "description = ?, last_updated_time = ?", description, now_millis());
    return load_model(c, name);
  });
}

void SqliteRegistryStore::delete_registered_model(const std::string& name) {
  db_->write([&](Connection& c) {
    require_model(c, name);
    for (const char* table : {"model_version_tags", "registered_model_aliases", "model_versions",
                              "registered_model_tags", "registered_models"}) {
      c.run(std::string("DELETE FROM ") + table + " WHERE workspace = 'default' AND name = ?",
            name);
    }
  });
}

PagedList<RegisteredModel> SqliteRegistryStore::search_registered_models(
    const SearchRegisteredModelsOptions& options) {
  const std::int64_t offset =
      options.page_token.empty() ? 0 : sqlite_search::decode_page_token(options.page_token);
  const auto query = sqlite_search::build_search_registered_models_query(
      options.filter_string, options.order_by, offset, options.max_results + 1);
  return db_->read([&](Connection& c) {
    std::vector<std::string> names = c.first_column(query);
    PagedList<RegisteredModel> page;
    if (names.size() > static_cast<std::size_t>(options.max_results)) {
      names.resize(static_cast<std::size_t>(options.max_results));
      page.token = sqlite_search::encode_page_token(offset + options.max_results);
    }
    for (const auto& n : names) page.items.push_back(load_model(c, n));
    return page;
  });
}

std::vector<ModelVersion> SqliteRegistryStore::get_latest_versions(
    const std::string& name, const std::vector<std::string>& stages) {
  return db_->read([&](Connection& c) {
    require_model(c, name);
    std::vector<ModelVersion> out;
    for (auto& mv : latest_versions(c, name)) {
      bool wanted = stages.empty();
      for (const auto& s : stages) {
        if (model_version_stage_from_string(s) == mv.current_stage) wanted = true;
      }
      if (!wanted) continue;
      read_version_aliases(c, mv);
      out.push_back(std::move(mv));
    }
    return out;
  });
}

void SqliteRegistryStore::set_registered_model_tag(const std::string& name,
                                                   const RegisteredModelTag& tag) {
  db_->write([&](Connection& c) {
    require_model(c, name);
    set_model_tag(c, name, tag);
  });
}

void SqliteRegistryStore::delete_registered_model_tag(const std::string& name,
                                                      const std::string& key) {
  db_->write([&](Connection& c) {
    require_model(c, name);
    c.run("DELETE FROM registered_model_tags WHERE workspace = 'default' AND name = ? AND key = ?",
          name, key);
  });
}

void SqliteRegistryStore::set_registered_model_alias(const std::string& name,
                                                     const std::string& alias,
                                                     const std::string& version) {
  write_to_version(*db_, name, version, [&](Connection& c, std::int64_t v) {
    c.run(
        "INSERT OR REPLACE INTO registered_model_aliases (alias, version, name, workspace) "
        "VALUES (?, ?, ?, 'default')",
        alias, v, name);
  });
}

void SqliteRegistryStore::delete_registered_model_alias(const std::string& name,
                                                        const std::string& alias) {
  db_->write([&](Connection& c) {
    require_model(c, name);
    c.run(
        "DELETE FROM registered_model_aliases WHERE workspace = 'default' AND name = ? AND "
        "alias = ?",
        name, alias);
  });
}

ModelVersion SqliteRegistryStore::get_model_version_by_alias(const std::string& name,
                                                             const std::string& alias) {
  std::string lower = alias;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return db_->read([&](Connection& c) {
    require_model(c, name);
    if (lower == "latest") {
      // 3.18: the highest version among the latest of each stage.
      std::vector<ModelVersion> latest = latest_versions(c, name);
      if (latest.empty()) {
        throw_error(ErrorCode::kResourceDoesNotExist,
                    "Latest version not found for model " + name + ".");
      }
      ModelVersion mv = *std::max_element(latest.begin(), latest.end(),
                                          [](const ModelVersion& a, const ModelVersion& b) {
                                            return std::stoll(a.version) < std::stoll(b.version);
                                          });
      read_version_aliases(c, mv);
      return mv;
    }
    std::optional<std::int64_t> version;
    {
      auto s = c.query(
          "SELECT version FROM registered_model_aliases WHERE workspace = 'default' AND "
          "name = ? AND alias = ?",
          name, alias);
      if (s->step()) version = s->int64(0);
    }
    if (!version) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Registered model alias " + alias + " not found.");
    }
    return load_version(c, name, *version, true);
  });
}

// ---- model versions ----

ModelVersion SqliteRegistryStore::create_model_version(const CreateModelVersionRequest& request) {
  return db_->write([&](Connection& c) {
    require_model(c, request.name);
    const auto [storage_location, run_id] = version_source(c, request);
    const std::int64_t now = now_millis();
    touch_model(c, request.name, now);
    std::int64_t version = 1;
    {
      // Deleted versions count: numbers are never reused.
      auto s = c.query(
          "SELECT MAX(version) FROM model_versions WHERE workspace = 'default' AND name = ?",
          request.name);
      if (s->step() && !s->is_null(0)) version = s->int64(0) + 1;
    }
    c.run(
        "INSERT INTO model_versions (name, version, creation_time, last_updated_time, "
        "description, user_id, current_stage, source, run_id, status, status_message, "
        "run_link, storage_location, workspace) VALUES (?, ?, ?, ?, ?, NULL, 'None', ?, ?, "
        "'READY', NULL, ?, ?, 'default')",
        request.name, version, now, now, request.description, request.source, run_id,
        request.run_link, storage_location);
    for (const auto& t : request.tags) set_version_tag(c, request.name, version, t);
    return load_version(c, request.name, version, true);
  });
}

ModelVersion SqliteRegistryStore::get_model_version(const std::string& name,
                                                    const std::string& version) {
  const std::int64_t v = parse_version(version);
  return db_->read([&](Connection& c) { return load_version(c, name, v, true); });
}

ModelVersion SqliteRegistryStore::update_model_version(
    const std::string& name, const std::string& version,
    const std::optional<std::string>& description) {
  return write_to_version(*db_, name, version, [&](Connection& c, std::int64_t v) {
    update_version(c, name, v, "description = ?, last_updated_time = ?", description, now_millis());
    return load_version(c, name, v, true);
  });
}

ModelVersion SqliteRegistryStore::transition_model_version_stage(const std::string& name,
                                                                 const std::string& version,
                                                                 const std::string& stage,
                                                                 bool archive_existing_versions) {
  const ModelVersionStage target = model_version_stage_from_string(stage);
  const std::string canonical = to_string(target);
  const bool active =
      target == ModelVersionStage::kStaging || target == ModelVersionStage::kProduction;
  if (archive_existing_versions && !active) {
    throw_error(ErrorCode::kInternalError,
                "Model version transition cannot archive existing model versions because '" +
                    stage + "' is not an Active stage. Valid stages are ['Staging', 'Production']");
  }
  const std::int64_t v = parse_version(version);
  return db_->write([&](Connection& c) {
    const std::int64_t now = now_millis();
    if (archive_existing_versions) {
      c.run(
          "UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ? WHERE "
          "workspace = 'default' AND name = ? AND version != ? AND current_stage = ?",
          now, name, v, canonical);
    }
    require_version(c, name, v);
    update_version(c, name, v, "current_stage = ?, last_updated_time = ?", canonical, now);
    touch_model(c, name, now);
    return load_version(c, name, v, true);
  });
}

void SqliteRegistryStore::delete_model_version(const std::string& name,
                                               const std::string& version) {
  write_to_version(*db_, name, version, [&](Connection& c, std::int64_t v) {
    const std::int64_t now = now_millis();
    touch_model(c, name, now);
    c.run(
        "DELETE FROM registered_model_aliases WHERE workspace = 'default' AND name = ? AND "
        "version = ?",
        name, v);
    // A soft delete that redacts what pointed at the model, as Python's store does.
    update_version(c, name, v,
                   "current_stage = ?, last_updated_time = ?, description = NULL, user_id = NULL, "
                   "source = 'REDACTED-SOURCE-PATH', run_id = 'REDACTED-RUN-ID', "
                   "run_link = 'REDACTED-RUN-LINK', status_message = NULL",
                   kDeletedInternal, now);
  });
}

PagedList<ModelVersion> SqliteRegistryStore::search_model_versions(
    const SearchModelVersionsOptions& options) {
  const std::int64_t offset =
      options.page_token.empty() ? 0 : sqlite_search::decode_page_token(options.page_token);
  const auto query = sqlite_search::build_search_model_versions_query(
      options.filter_string, options.order_by, offset, options.max_results + 1);
  return db_->read([&](Connection& c) {
    std::vector<std::pair<std::string, std::int64_t>> keys;
    {
      auto s = c.statement(query);
      while (s->step()) keys.emplace_back(s->text(0), s->int64(1));
    }
    PagedList<ModelVersion> page;
    if (keys.size() > static_cast<std::size_t>(options.max_results)) {
      keys.resize(static_cast<std::size_t>(options.max_results));
      page.token = sqlite_search::encode_page_token(offset + options.max_results);
    }
    for (const auto& [n, v] : keys) page.items.push_back(load_version(c, n, v, false));
    return page;
  });
}

std::string SqliteRegistryStore::get_model_version_download_uri(const std::string& name,
                                                                const std::string& version) {
  const std::int64_t v = parse_version(version);
  return db_->read([&](Connection& c) {
    auto s = c.query(
        "SELECT storage_location, source FROM model_versions WHERE workspace = 'default' AND "
        "name = ? AND version = ? AND current_stage != 'Deleted_Internal'",
        name, v);
    if (!s->step()) throw_no_version(name, v);
    const std::string storage = s->text(0);
    return storage.empty() ? s->text(1) : storage;
  });
}

void SqliteRegistryStore::set_model_version_tag(const std::string& name, const std::string& version,
                                                const ModelVersionTag& tag) {
  write_to_version(*db_, name, version,
                   [&](Connection& c, std::int64_t v) { set_version_tag(c, name, v, tag); });
}

void SqliteRegistryStore::delete_model_version_tag(const std::string& name,
                                                   const std::string& version,
                                                   const std::string& key) {
  write_to_version(*db_, name, version, [&](Connection& c, std::int64_t v) {
    c.run(
        "DELETE FROM model_version_tags WHERE workspace = 'default' AND name = ? AND "
        "version = ? AND key = ?",
        name, v, key);
  });
}

}  // namespace mlflow::internal
