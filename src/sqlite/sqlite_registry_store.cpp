// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The embedded model registry, with the semantics of MLflow 3.18's SqlAlchemyStore for the
// model registry (store/model_registry/sqlalchemy_store.py): the same rows, the same soft
// delete and redaction of versions, the same messages and codes.
#include "sqlite/sqlite_registry_store.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

#include "core/clock.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/db.hpp"
#include "sqlite/registry_search_sql.hpp"
#include "sqlite/sqlite_tracking_store.hpp"
#include "store/models_uri.hpp"

namespace mlflow::internal {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

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

[[noreturn]] void throw_no_model(const std::string& name) {
  throw_error(ErrorCode::kResourceDoesNotExist,
              "Registered Model with name=" + name + " not found");
}

[[noreturn]] void throw_no_version(const std::string& name, std::int64_t version) {
  throw_error(ErrorCode::kResourceDoesNotExist, "Model Version (name=" + name + ", version=" +
                                                    std::to_string(version) + ") not found");
}

bool model_exists(Connection& c, const std::string& name) {
  auto s = c.prepare("SELECT 1 FROM registered_models WHERE workspace = 'default' AND name = ?");
  s->bind(1, name);
  return s->step();
}

void require_model(Connection& c, const std::string& name) {
  if (!model_exists(c, name)) throw_no_model(name);
}

// A live (not deleted) version must exist.
void require_version(Connection& c, const std::string& name, std::int64_t version) {
  auto s = c.prepare(
      "SELECT 1 FROM model_versions WHERE workspace = 'default' AND name = ? AND version = ? AND "
      "current_stage != 'Deleted_Internal'");
  s->bind(1, name).bind(2, version);
  if (!s->step()) throw_no_version(name, version);
}

void touch_model(Connection& c, const std::string& name, std::int64_t now) {
  c.prepare(
       "UPDATE registered_models SET last_updated_time = ? WHERE workspace = 'default' AND "
       "name = ?")
      ->bind(1, now)
      .bind(2, name)
      .run();
}

constexpr const char* kVersionColumns =
    "name, version, creation_time, last_updated_time, description, user_id, current_stage, "
    "source, run_id, status, status_message, run_link";

ModelVersion read_version_row(const Statement& s) {
  ModelVersion mv;
  mv.name = s.text(0);
  mv.version = std::to_string(s.int64(1));
  mv.creation_timestamp = s.is_null(2) ? 0 : s.int64(2);
  mv.last_updated_timestamp = s.is_null(3) ? 0 : s.int64(3);
  mv.description = s.opt_text(4);
  mv.user_id = s.opt_text(5).value_or("");
  mv.current_stage = model_version_stage_from_string(s.opt_text(6).value_or("None"));
  mv.source = s.opt_text(7).value_or("");
  mv.run_id = s.opt_text(8).value_or("");
  mv.status = model_version_status_from_string(s.opt_text(9).value_or("READY"));
  mv.status_message = s.opt_text(10).value_or("");
  mv.run_link = s.opt_text(11).value_or("");
  return mv;
}

void read_version_tags(Connection& c, ModelVersion& mv) {
  auto s = c.prepare(
      "SELECT key, value FROM model_version_tags WHERE workspace = 'default' AND name = ? AND "
      "version = ?");
  s->bind(1, mv.name).bind(2, static_cast<std::int64_t>(std::stoll(mv.version)));
  while (s->step()) mv.tags[s->text(0)] = s->opt_text(1).value_or("");
}

void read_version_aliases(Connection& c, ModelVersion& mv) {
  auto s = c.prepare(
      "SELECT alias FROM registered_model_aliases WHERE workspace = 'default' AND name = ? AND "
      "version = ? ORDER BY alias");
  s->bind(1, mv.name).bind(2, static_cast<std::int64_t>(std::stoll(mv.version)));
  while (s->step()) mv.aliases.push_back(s->text(0));
}

// A live version with its tags (and aliases when asked: Python's search leaves them out).
ModelVersion load_version(Connection& c, const std::string& name, std::int64_t version,
                          bool with_aliases) {
  ModelVersion mv;
  {
    auto s = c.prepare(std::string("SELECT ") + kVersionColumns +
                       " FROM model_versions WHERE workspace = 'default' AND name = ? AND "
                       "version = ? AND current_stage != 'Deleted_Internal'");
    s->bind(1, name).bind(2, version);
    if (!s->step()) throw_no_version(name, version);
    mv = read_version_row(*s);
  }
  read_version_tags(c, mv);
  if (with_aliases) read_version_aliases(c, mv);
  return mv;
}

// The newest live version of each stage, stages in the order their first version appears
// (what iterating Python's model_versions relationship gives).
std::vector<ModelVersion> latest_versions(Connection& c, const std::string& name) {
  std::vector<ModelVersion> all;
  {
    auto s = c.prepare(std::string("SELECT ") + kVersionColumns +
                       " FROM model_versions WHERE workspace = 'default' AND name = ? AND "
                       "current_stage != 'Deleted_Internal' ORDER BY version");
    s->bind(1, name);
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
    auto s = c.prepare(
        "SELECT name, creation_time, last_updated_time, description FROM registered_models "
        "WHERE workspace = 'default' AND name = ?");
    s->bind(1, name);
    if (!s->step()) throw_no_model(name);
    rm.name = s->text(0);
    rm.creation_timestamp = s->is_null(1) ? 0 : s->int64(1);
    rm.last_updated_timestamp = s->is_null(2) ? 0 : s->int64(2);
    rm.description = s->opt_text(3);
  }
  {
    auto s = c.prepare(
        "SELECT key, value FROM registered_model_tags WHERE workspace = 'default' AND name = ?");
    s->bind(1, name);
    while (s->step()) rm.tags[s->text(0)] = s->opt_text(1).value_or("");
  }
  {
    auto s = c.prepare(
        "SELECT alias, version FROM registered_model_aliases WHERE workspace = 'default' AND "
        "name = ?");
    s->bind(1, name);
    while (s->step()) rm.aliases[s->text(0)] = std::to_string(s->int64(1));
  }
  rm.latest_versions = latest_versions(c, name);
  return rm;
}

std::optional<std::string> tag_value(Connection& c, const std::string& name,
                                     const std::string& key) {
  auto s = c.prepare(
      "SELECT value FROM registered_model_tags WHERE workspace = 'default' AND name = ? AND "
      "key = ?");
  s->bind(1, name).bind(2, key);
  if (!s->step()) return std::nullopt;
  return s->opt_text(0).value_or("");
}

// Python's has_prompt_tag: the tag is present with value "true" (case-insensitive).
bool is_prompt_value(const std::optional<std::string>& v) {
  if (!v) return false;
  std::string lower = *v;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower == "true";
}

void bind_all(Statement& s, const std::vector<sqlite_search::Bind>& binds) {
  int i = 1;
  for (const auto& b : binds) {
    if (b.kind == sqlite_search::Bind::kInt) {
      s.bind(i++, b.i);
    } else if (b.kind == sqlite_search::Bind::kReal) {
      s.bind(i++, b.r);
    } else {
      s.bind(i++, b.text);
    }
  }
}

}  // namespace

// ---- factory ----

std::shared_ptr<RegistryStore> make_sqlite_registry_store(std::shared_ptr<TrackingStore> tracking) {
  auto sqlite_store = std::dynamic_pointer_cast<SqliteTrackingStore>(tracking);
  if (!sqlite_store) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "The embedded model registry needs the embedded tracking store of the same "
                "sqlite:/// URI.");
  }
  return std::make_shared<SqliteRegistryStore>(std::move(sqlite_store));
}

SqliteRegistryStore::SqliteRegistryStore(std::shared_ptr<SqliteTrackingStore> tracking)
    : tracking_(std::move(tracking)) {}

// ---- registered models ----

RegisteredModel SqliteRegistryStore::create_registered_model(
    const std::string& name, const std::vector<RegisteredModelTag>& tags,
    const std::optional<std::string>& description) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  if (model_exists(c, name)) {
    // handle_resource_already_exist_error: models and prompts may not share a name.
    const bool old_prompt = is_prompt_value(tag_value(c, name, kIsPromptTag));
    bool new_prompt = false;
    for (const auto& t : tags) {
      if (t.key == kIsPromptTag) new_prompt = is_prompt_value(t.value);
    }
    const char* old_entity = old_prompt ? "Prompt" : "Registered Model";
    const char* new_entity = new_prompt ? "Prompt" : "Registered Model";
    if (old_prompt != new_prompt) {
      throw_error(ErrorCode::kResourceAlreadyExists,
                  std::string("Tried to create a ") + (new_prompt ? "prompt" : "registered model") +
                      " with name '" + name + "', but the name is already taken by a " +
                      (old_prompt ? "prompt" : "registered model") +
                      ". MLflow does not allow creating a model and a prompt with the same name.");
    }
    (void)old_entity;
    throw_error(ErrorCode::kResourceAlreadyExists,
                std::string(new_entity) + " (name=" + name + ") already exists.");
  }
  const std::int64_t now = now_millis();
  c.prepare(
       "INSERT INTO registered_models (name, creation_time, last_updated_time, description, "
       "workspace) VALUES (?, ?, ?, ?, 'default')")
      ->bind(1, name)
      .bind(2, now)
      .bind(3, now)
      .bind(4, description)
      .run();
  {
    auto s = c.prepare(
        "INSERT OR REPLACE INTO registered_model_tags (key, value, name, workspace) VALUES "
        "(?, ?, ?, 'default')");
    for (const auto& t : tags) {
      s->bind(1, t.key).bind(2, t.value).bind(3, name).run();
      s->reset();
    }
  }
  RegisteredModel rm = load_model(c, name);
  tx.commit();
  return rm;
}

RegisteredModel SqliteRegistryStore::get_registered_model(const std::string& name) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  return load_model(tracking_->connection(), name);
}

RegisteredModel SqliteRegistryStore::rename_registered_model(const std::string& name,
                                                             const std::string& new_name) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_model(c, name);
  if (new_name != name && model_exists(c, new_name)) {
    throw_error(ErrorCode::kResourceAlreadyExists,
                "Registered Model (name=" + new_name + ") already exists.");
  }
  const std::int64_t now = now_millis();
  // ON UPDATE CASCADE carries the name to versions, tags and aliases.
  c.prepare(
       "UPDATE registered_models SET name = ?, last_updated_time = ? WHERE workspace = "
       "'default' AND name = ?")
      ->bind(1, new_name)
      .bind(2, now)
      .bind(3, name)
      .run();
  c.prepare(
       "UPDATE model_versions SET last_updated_time = ? WHERE workspace = 'default' AND "
       "name = ?")
      ->bind(1, now)
      .bind(2, new_name)
      .run();
  RegisteredModel rm = load_model(c, new_name);
  tx.commit();
  return rm;
}

RegisteredModel SqliteRegistryStore::update_registered_model(
    const std::string& name, const std::optional<std::string>& description) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_model(c, name);
  c.prepare(
       "UPDATE registered_models SET description = ?, last_updated_time = ? WHERE workspace = "
       "'default' AND name = ?")
      ->bind(1, description)
      .bind(2, now_millis())
      .bind(3, name)
      .run();
  RegisteredModel rm = load_model(c, name);
  tx.commit();
  return rm;
}

void SqliteRegistryStore::delete_registered_model(const std::string& name) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_model(c, name);
  for (const char* table : {"model_version_tags", "registered_model_aliases", "model_versions",
                            "registered_model_tags", "registered_models"}) {
    c.prepare(std::string("DELETE FROM ") + table + " WHERE workspace = 'default' AND name = ?")
        ->bind(1, name)
        .run();
  }
  tx.commit();
}

PagedList<RegisteredModel> SqliteRegistryStore::search_registered_models(
    const SearchRegisteredModelsOptions& options) {
  const std::int64_t offset =
      options.page_token.empty() ? 0 : sqlite_search::decode_page_token(options.page_token);
  const auto query = sqlite_search::build_search_registered_models_query(
      options.filter_string, options.order_by, offset, options.max_results + 1);
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  std::vector<std::string> names;
  {
    Statement s(c.handle(), query.sql);
    bind_all(s, query.binds);
    while (s.step()) names.push_back(s.text(0));
  }
  PagedList<RegisteredModel> page;
  if (names.size() > static_cast<std::size_t>(options.max_results)) {
    names.resize(static_cast<std::size_t>(options.max_results));
    page.token = sqlite_search::encode_page_token(offset + options.max_results);
  }
  for (const auto& n : names) page.items.push_back(load_model(c, n));
  return page;
}

std::vector<ModelVersion> SqliteRegistryStore::get_latest_versions(
    const std::string& name, const std::vector<std::string>& stages) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
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
}

void SqliteRegistryStore::set_registered_model_tag(const std::string& name,
                                                   const RegisteredModelTag& tag) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_model(c, name);
  c.prepare(
       "INSERT OR REPLACE INTO registered_model_tags (key, value, name, workspace) VALUES "
       "(?, ?, ?, 'default')")
      ->bind(1, tag.key)
      .bind(2, tag.value)
      .bind(3, name)
      .run();
  tx.commit();
}

void SqliteRegistryStore::delete_registered_model_tag(const std::string& name,
                                                      const std::string& key) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_model(c, name);
  c.prepare(
       "DELETE FROM registered_model_tags WHERE workspace = 'default' AND name = ? AND key = ?")
      ->bind(1, name)
      .bind(2, key)
      .run();
  tx.commit();
}

void SqliteRegistryStore::set_registered_model_alias(const std::string& name,
                                                     const std::string& alias,
                                                     const std::string& version) {
  const std::int64_t v = parse_version(version);
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_version(c, name, v);
  c.prepare(
       "INSERT OR REPLACE INTO registered_model_aliases (alias, version, name, workspace) "
       "VALUES (?, ?, ?, 'default')")
      ->bind(1, alias)
      .bind(2, v)
      .bind(3, name)
      .run();
  tx.commit();
}

void SqliteRegistryStore::delete_registered_model_alias(const std::string& name,
                                                        const std::string& alias) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_model(c, name);
  c.prepare(
       "DELETE FROM registered_model_aliases WHERE workspace = 'default' AND name = ? AND "
       "alias = ?")
      ->bind(1, name)
      .bind(2, alias)
      .run();
  tx.commit();
}

ModelVersion SqliteRegistryStore::get_model_version_by_alias(const std::string& name,
                                                             const std::string& alias) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  std::string lower = alias;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower == "latest") {
    // 3.18: the highest version among the latest of each stage.
    require_model(c, name);
    std::vector<ModelVersion> latest = latest_versions(c, name);
    if (latest.empty()) {
      throw_error(ErrorCode::kResourceDoesNotExist,
                  "Latest version not found for model " + name + ".");
    }
    auto best = std::max_element(latest.begin(), latest.end(),
                                 [](const ModelVersion& a, const ModelVersion& b) {
                                   return std::stoll(a.version) < std::stoll(b.version);
                                 });
    ModelVersion mv = *best;
    read_version_aliases(c, mv);
    return mv;
  }
  require_model(c, name);
  std::optional<std::int64_t> version;
  {
    auto s = c.prepare(
        "SELECT version FROM registered_model_aliases WHERE workspace = 'default' AND name = ? "
        "AND alias = ?");
    s->bind(1, name).bind(2, alias);
    if (s->step()) version = s->int64(0);
  }
  if (!version) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Registered model alias " + alias + " not found.");
  }
  return load_version(c, name, *version, true);
}

// ---- model versions ----

ModelVersion SqliteRegistryStore::create_model_version(const CreateModelVersionRequest& request) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_model(c, request.name);
  // Python's SqlAlchemyStore: a models:/<model_id> source is stored at the logged model's
  // artifact location, and the version takes the model's source run when given none.
  std::string storage_location = request.source;
  std::optional<std::string> run_id = request.run_id;
  if (const auto logged_id = logged_model_id_of_uri(request.source)) {
    auto s = c.prepare(
        "SELECT artifact_location, source_run_id FROM logged_models WHERE model_id = ? AND "
        "lifecycle_stage != 'deleted'");
    s->bind(1, *logged_id);
    if (!s->step()) {
      throw_error(ErrorCode::kInternalError,
                  "Unable to fetch model from model URI source artifact location '" +
                      request.source + "'.Error: Logged model with ID '" + *logged_id +
                      "' not found.");
    }
    storage_location = s->text(0);
    if (!run_id || run_id->empty()) run_id = s->opt_text(1);
  }
  const std::int64_t now = now_millis();
  touch_model(c, request.name, now);
  std::int64_t version = 1;
  {
    // Deleted versions count: numbers are never reused.
    auto s = c.prepare(
        "SELECT MAX(version) FROM model_versions WHERE workspace = 'default' AND name = ?");
    s->bind(1, request.name);
    if (s->step() && !s->is_null(0)) version = s->int64(0) + 1;
  }
  c.prepare(
       "INSERT INTO model_versions (name, version, creation_time, last_updated_time, "
       "description, user_id, current_stage, source, run_id, status, status_message, run_link, "
       "storage_location, workspace) VALUES (?, ?, ?, ?, ?, NULL, 'None', ?, ?, 'READY', NULL, "
       "?, ?, 'default')")
      ->bind(1, request.name)
      .bind(2, version)
      .bind(3, now)
      .bind(4, now)
      .bind(5, request.description)
      .bind(6, request.source)
      .bind(7, run_id)
      .bind(8, request.run_link)
      .bind(9, storage_location)
      .run();
  {
    auto s = c.prepare(
        "INSERT OR REPLACE INTO model_version_tags (key, value, name, version, workspace) "
        "VALUES (?, ?, ?, ?, 'default')");
    for (const auto& t : request.tags) {
      s->bind(1, t.key).bind(2, t.value).bind(3, request.name).bind(4, version).run();
      s->reset();
    }
  }
  ModelVersion mv = load_version(c, request.name, version, true);
  tx.commit();
  return mv;
}

ModelVersion SqliteRegistryStore::get_model_version(const std::string& name,
                                                    const std::string& version) {
  const std::int64_t v = parse_version(version);
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  return load_version(tracking_->connection(), name, v, true);
}

ModelVersion SqliteRegistryStore::update_model_version(
    const std::string& name, const std::string& version,
    const std::optional<std::string>& description) {
  const std::int64_t v = parse_version(version);
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_version(c, name, v);
  c.prepare(
       "UPDATE model_versions SET description = ?, last_updated_time = ? WHERE workspace = "
       "'default' AND name = ? AND version = ?")
      ->bind(1, description)
      .bind(2, now_millis())
      .bind(3, name)
      .bind(4, v)
      .run();
  ModelVersion mv = load_version(c, name, v, true);
  tx.commit();
  return mv;
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
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  const std::int64_t now = now_millis();
  if (archive_existing_versions) {
    c.prepare(
         "UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ? WHERE "
         "workspace = 'default' AND name = ? AND version != ? AND current_stage = ?")
        ->bind(1, now)
        .bind(2, name)
        .bind(3, v)
        .bind(4, canonical)
        .run();
  }
  require_version(c, name, v);
  c.prepare(
       "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE workspace = "
       "'default' AND name = ? AND version = ?")
      ->bind(1, canonical)
      .bind(2, now)
      .bind(3, name)
      .bind(4, v)
      .run();
  touch_model(c, name, now);
  ModelVersion mv = load_version(c, name, v, true);
  tx.commit();
  return mv;
}

void SqliteRegistryStore::delete_model_version(const std::string& name,
                                               const std::string& version) {
  const std::int64_t v = parse_version(version);
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_version(c, name, v);
  const std::int64_t now = now_millis();
  touch_model(c, name, now);
  c.prepare(
       "DELETE FROM registered_model_aliases WHERE workspace = 'default' AND name = ? AND "
       "version = ?")
      ->bind(1, name)
      .bind(2, v)
      .run();
  // A soft delete that redacts what pointed at the model, as Python's store does.
  c.prepare(
       "UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL, "
       "user_id = NULL, source = 'REDACTED-SOURCE-PATH', run_id = 'REDACTED-RUN-ID', "
       "run_link = 'REDACTED-RUN-LINK', status_message = NULL WHERE workspace = 'default' AND "
       "name = ? AND version = ?")
      ->bind(1, kDeletedInternal)
      .bind(2, now)
      .bind(3, name)
      .bind(4, v)
      .run();
  tx.commit();
}

PagedList<ModelVersion> SqliteRegistryStore::search_model_versions(
    const SearchModelVersionsOptions& options) {
  const std::int64_t offset =
      options.page_token.empty() ? 0 : sqlite_search::decode_page_token(options.page_token);
  const auto query = sqlite_search::build_search_model_versions_query(
      options.filter_string, options.order_by, offset, options.max_results + 1);
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  std::vector<std::pair<std::string, std::int64_t>> keys;
  {
    Statement s(c.handle(), query.sql);
    bind_all(s, query.binds);
    while (s.step()) keys.emplace_back(s.text(0), s.int64(1));
  }
  PagedList<ModelVersion> page;
  if (keys.size() > static_cast<std::size_t>(options.max_results)) {
    keys.resize(static_cast<std::size_t>(options.max_results));
    page.token = sqlite_search::encode_page_token(offset + options.max_results);
  }
  for (const auto& [n, v] : keys) page.items.push_back(load_version(c, n, v, false));
  return page;
}

std::string SqliteRegistryStore::get_model_version_download_uri(const std::string& name,
                                                                const std::string& version) {
  const std::int64_t v = parse_version(version);
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  auto s = c.prepare(
      "SELECT storage_location, source FROM model_versions WHERE workspace = 'default' AND "
      "name = ? AND version = ? AND current_stage != 'Deleted_Internal'");
  s->bind(1, name).bind(2, v);
  if (!s->step()) throw_no_version(name, v);
  const std::string storage = s->opt_text(0).value_or("");
  return storage.empty() ? s->opt_text(1).value_or("") : storage;
}

void SqliteRegistryStore::set_model_version_tag(const std::string& name, const std::string& version,
                                                const ModelVersionTag& tag) {
  const std::int64_t v = parse_version(version);
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_version(c, name, v);
  c.prepare(
       "INSERT OR REPLACE INTO model_version_tags (key, value, name, version, workspace) VALUES "
       "(?, ?, ?, ?, 'default')")
      ->bind(1, tag.key)
      .bind(2, tag.value)
      .bind(3, name)
      .bind(4, v)
      .run();
  tx.commit();
}

void SqliteRegistryStore::delete_model_version_tag(const std::string& name,
                                                   const std::string& version,
                                                   const std::string& key) {
  const std::int64_t v = parse_version(version);
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require_version(c, name, v);
  c.prepare(
       "DELETE FROM model_version_tags WHERE workspace = 'default' AND name = ? AND version = ? "
       "AND key = ?")
      ->bind(1, name)
      .bind(2, v)
      .bind(3, key)
      .run();
  tx.commit();
}

}  // namespace mlflow::internal
