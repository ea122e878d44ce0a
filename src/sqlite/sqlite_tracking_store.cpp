// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/sqlite_tracking_store.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/db.hpp"
#include "sqlite/schema.hpp"
#include "sqlite/search_sql.hpp"
#include "sqlite/sqlite_logged_model_store.hpp"

namespace mlflow::internal {

namespace fs = std::filesystem;
using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr const char* kRunNameTag = "mlflow.runName";
constexpr const char* kActive = "active";
constexpr const char* kDeleted = "deleted";

// ---- value encodings (reference §9.5) ----

struct StoredMetric {
  std::string key;
  double value = 0;  // sanitised: NaN -> 0, +-inf -> +-DBL_MAX
  std::int64_t timestamp = 0;
  std::int64_t step = 0;
  bool is_nan = false;
};

StoredMetric sanitise(const Metric& m) {
  StoredMetric s{m.key, m.value, m.timestamp, m.step, false};
  if (std::isnan(m.value)) {
    s.value = 0;
    s.is_nan = true;
  } else if (std::isinf(m.value)) {
    s.value =
        m.value > 0 ? std::numeric_limits<double>::max() : std::numeric_limits<double>::lowest();
  }
  return s;
}

double read_metric_value(double value, bool is_nan) {
  return is_nan ? std::numeric_limits<double>::quiet_NaN() : value;
}

std::int64_t parse_experiment_id(const std::string& id) {
  // Python's int(): optional sign, digits, surrounding whitespace allowed.
  std::size_t b = id.find_first_not_of(" \t\n\r");
  std::size_t e = id.find_last_not_of(" \t\n\r");
  const std::string s = b == std::string::npos ? std::string() : id.substr(b, e - b + 1);
  bool ok = !s.empty();
  std::size_t digits_from = (ok && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (digits_from >= s.size()) ok = false;
  for (std::size_t i = digits_from; ok && i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') ok = false;
  }
  if (ok) {
    try {
      return std::stoll(s);
    } catch (const std::exception&) {
      ok = false;
    }
  }
  throw_error(ErrorCode::kInvalidParameterValue,
              "Invalid experiment ID '" + id + "'. Experiment ID must be a valid integer.");
}

[[noreturn]] void throw_no_experiment(std::int64_t id) {
  throw_error(ErrorCode::kResourceDoesNotExist,
              "No Experiment with id=" + std::to_string(id) + " exists");
}

[[noreturn]] void throw_no_run(const std::string& run_id) {
  throw_error(ErrorCode::kResourceDoesNotExist, "Run with id=" + run_id + " not found");
}

// ---- row readers ----

constexpr const char* kExperimentColumns =
    "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

Experiment read_experiment_row(const Statement& s) {
  Experiment e;
  e.experiment_id = std::to_string(s.int64(0));
  e.name = s.text(1);
  e.artifact_location = s.text(2);
  e.lifecycle_stage = s.text(3);
  e.creation_time = s.opt_int64(4);
  e.last_update_time = s.opt_int64(5);
  return e;
}

constexpr const char* kRunColumns =
    "run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, "
    "lifecycle_stage";

RunInfo read_run_row(const Statement& s) {
  RunInfo r;
  r.run_id = s.text(0);
  r.experiment_id = s.is_null(1) ? std::string() : std::to_string(s.int64(1));
  r.run_name = s.text(2);
  r.user_id = s.text(3);
  r.status = run_status_from_string(s.text(4));
  r.start_time = s.is_null(5) ? 0 : s.int64(5);
  r.end_time = s.opt_int64(6);
  r.artifact_uri = s.text(7);
  r.lifecycle_stage = s.text(8);
  return r;
}

}  // namespace

// ---- store internals (free functions over a locked connection) ----

namespace {

struct ExperimentRow {
  std::int64_t id = 0;
  std::string lifecycle_stage;
  std::string artifact_location;
};

std::optional<ExperimentRow> find_experiment(Connection& c, std::int64_t id) {
  auto s = c.prepare(
      "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = ?");
  s->bind(1, id);
  if (!s->step()) return std::nullopt;
  return ExperimentRow{id, s->text(0), s->text(1)};
}

// The experiment must exist and be in one of the stages of `view`.
ExperimentRow require_experiment(Connection& c, std::int64_t id, ViewType view) {
  auto e = find_experiment(c, id);
  if (!e) throw_no_experiment(id);
  const bool active = e->lifecycle_stage == kActive;
  if ((view == ViewType::kActiveOnly && !active) || (view == ViewType::kDeletedOnly && active)) {
    throw_no_experiment(id);
  }
  return *e;
}

void require_experiment_active(const ExperimentRow& e) {
  if (e.lifecycle_stage != kActive) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "The experiment " + std::to_string(e.id) +
                    " must be in the 'active' state. Current state is " + e.lifecycle_stage + ".");
  }
}

struct RunRow {
  std::string lifecycle_stage;
  std::int64_t experiment_id = 0;
};

RunRow require_run(Connection& c, const std::string& run_id) {
  auto s = c.prepare("SELECT lifecycle_stage, experiment_id FROM runs WHERE run_uuid = ?");
  s->bind(1, run_id);
  if (!s->step()) throw_no_run(run_id);
  return RunRow{s->text(0), s->int64(1)};
}

RunRow require_active_run(Connection& c, const std::string& run_id) {
  RunRow r = require_run(c, run_id);
  if (r.lifecycle_stage != kActive) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "The run " + run_id + " must be in the 'active' state. Current state is " +
                    r.lifecycle_stage + ".");
  }
  return r;
}

Experiment load_experiment(Connection& c, std::int64_t id) {
  Experiment e;
  {
    auto s = c.prepare(std::string("SELECT ") + kExperimentColumns +
                       " FROM experiments WHERE experiment_id = ?");
    s->bind(1, id);
    if (!s->step()) throw_no_experiment(id);
    e = read_experiment_row(*s);
  }
  auto t = c.prepare("SELECT key, value FROM experiment_tags WHERE experiment_id = ?");
  t->bind(1, id);
  while (t->step()) e.tags[t->text(0)] = t->text(1);
  return e;
}

Run load_run(Connection& c, const std::string& run_id) {
  Run run;
  {
    auto s = c.prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE run_uuid = ?");
    s->bind(1, run_id);
    if (!s->step()) throw_no_run(run_id);
    run.info = read_run_row(*s);
  }
  {
    auto s = c.prepare(
        "SELECT key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid = ? "
        "ORDER BY key");
    s->bind(1, run_id);
    while (s->step()) {
      Metric m;
      m.key = s->text(0);
      m.value = read_metric_value(s->real(1), s->int64(4) != 0);
      m.timestamp = s->is_null(2) ? 0 : s->int64(2);
      m.step = s->int64(3);
      run.data.metrics[m.key] = m.value;
      run.data.latest_metrics.push_back(std::move(m));
    }
  }
  {
    auto s = c.prepare("SELECT key, value FROM params WHERE run_uuid = ?");
    s->bind(1, run_id);
    while (s->step()) run.data.params[s->text(0)] = s->text(1);
  }
  {
    auto s = c.prepare("SELECT key, value FROM tags WHERE run_uuid = ?");
    s->bind(1, run_id);
    while (s->step()) run.data.tags[s->text(0)] = s->text(1);
  }
  {
    auto s = c.prepare(
        "SELECT i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, "
        "d.dataset_schema, d.dataset_profile FROM inputs i JOIN datasets d ON "
        "d.dataset_uuid = i.source_id WHERE i.source_type = 'DATASET' AND "
        "i.destination_type = 'RUN' AND i.destination_id = ? ORDER BY i.rowid");
    s->bind(1, run_id);
    std::vector<std::string> input_ids;
    while (s->step()) {
      DatasetInput in;
      input_ids.push_back(s->text(0));
      in.dataset.name = s->text(1);
      in.dataset.digest = s->text(2);
      in.dataset.source_type = s->text(3);
      in.dataset.source = s->text(4);
      in.dataset.schema = s->opt_text(5);
      in.dataset.profile = s->opt_text(6);
      run.inputs.dataset_inputs.push_back(std::move(in));
    }
    for (std::size_t i = 0; i < input_ids.size(); ++i) {
      auto t = c.prepare("SELECT name, value FROM input_tags WHERE input_uuid = ? ORDER BY rowid");
      t->bind(1, input_ids[i]);
      while (t->step()) run.inputs.dataset_inputs[i].tags.push_back({t->text(0), t->text(1)});
    }
  }
  {
    auto s = c.prepare(
        "SELECT destination_id FROM inputs WHERE source_type = 'RUN_INPUT' AND source_id = ? "
        "AND destination_type = 'MODEL_INPUT' ORDER BY rowid");
    s->bind(1, run_id);
    while (s->step()) run.inputs.model_inputs.push_back({s->text(0)});
  }
  {
    auto s = c.prepare(
        "SELECT destination_id, step FROM inputs WHERE source_type = 'RUN_OUTPUT' AND "
        "source_id = ? AND destination_type = 'MODEL_OUTPUT' ORDER BY rowid");
    s->bind(1, run_id);
    while (s->step()) run.outputs.model_outputs.push_back({s->text(0), s->int64(1)});
  }
  return run;
}

void upsert_tag(Connection& c, const std::string& run_id, const RunTag& tag) {
  c.prepare(
       "INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?) "
       "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value")
      ->bind(1, tag.key)
      .bind(2, tag.value)
      .bind(3, run_id)
      .run();
  // The run name lives both in the tag and in runs.name; MLflow keeps them in step.
  if (tag.key == kRunNameTag) {
    c.prepare("UPDATE runs SET name = ? WHERE run_uuid = ?")
        ->bind(1, tag.value)
        .bind(2, run_id)
        .run();
  }
}

void insert_params(Connection& c, const std::string& run_id, Span<Param> params) {
  if (params.empty()) return;
  std::map<std::string, std::string> existing;
  {
    auto s = c.prepare("SELECT key, value FROM params WHERE run_uuid = ?");
    s->bind(1, run_id);
    while (s->step()) existing[s->text(0)] = s->text(1);
  }
  if (params.size() == 1) {
    const Param& p = params[0];
    auto it = existing.find(p.key);
    if (it != existing.end() && it->second != p.value) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Changing param values is not allowed. Param with key='" + p.key +
                      "' was already logged with value='" + it->second + "' for run ID='" + run_id +
                      "'. Attempted logging new value '" + p.value + "'.");
    }
  } else {
    // Same text as Python's str() of a list of dicts.
    std::string conflicts;
    for (const Param& p : params) {
      auto it = existing.find(p.key);
      if (it == existing.end() || it->second == p.value) continue;
      if (!conflicts.empty()) conflicts += ", ";
      conflicts += "{'key': '" + p.key + "', 'old_value': '" + it->second + "', 'new_value': '" +
                   p.value + "'}";
    }
    if (!conflicts.empty()) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Changing param values is not allowed. Params were already logged='[" +
                      conflicts + "]' for run ID='" + run_id + "'.");
    }
  }
  auto ins = c.prepare("INSERT OR IGNORE INTO params (key, value, run_uuid) VALUES (?, ?, ?)");
  for (const Param& p : params) {
    if (existing.count(p.key) != 0) continue;
    ins->bind(1, p.key).bind(2, p.value).bind(3, run_id).run();
    ins->reset();
  }
}

void insert_metrics(Connection& c, const std::string& run_id, Span<Metric> metrics) {
  if (metrics.empty()) return;
  auto ins = c.prepare(
      "INSERT OR IGNORE INTO metrics (key, value, timestamp, run_uuid, step, is_nan) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  // Greatest (step, timestamp, value) per key within the request, keys in the order of their
  // first appearance: Python's store inserts new latest_metrics rows in that order, and the
  // server and the UI list a run's metrics in row order.
  std::vector<StoredMetric> best;
  std::unordered_map<std::string, std::size_t> best_of_key;
  for (const Metric& m : metrics) {
    const StoredMetric s = sanitise(m);
    // Exact duplicates hit the primary key and are ignored, as MLflow's store does.
    ins->bind(1, s.key)
        .bind(2, s.value)
        .bind(3, s.timestamp)
        .bind(4, run_id)
        .bind(5, s.step)
        .bind(6, static_cast<std::int64_t>(s.is_nan))
        .run();
    ins->reset();
    const auto [it, first] = best_of_key.emplace(s.key, best.size());
    if (first) {
      best.push_back(s);
    } else if (StoredMetric& held = best[it->second];
               std::make_tuple(s.step, s.timestamp, s.value) >
               std::make_tuple(held.step, held.timestamp, held.value)) {
      held = s;
    }
  }
  auto up = c.prepare(
      "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET "
      "value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, "
      "is_nan = excluded.is_nan WHERE (excluded.step, excluded.timestamp, excluded.value) > "
      "(latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)");
  for (const StoredMetric& s : best) {
    up->bind(1, s.key)
        .bind(2, s.value)
        .bind(3, s.timestamp)
        .bind(4, s.step)
        .bind(5, static_cast<std::int64_t>(s.is_nan))
        .bind(6, run_id)
        .run();
    up->reset();
  }
}

// Runs a search query (first column: an id) with its binds. Not cached: the SQL text varies
// with the filter, so caching would grow without bound.
std::vector<std::string> run_id_query(Connection& c, const sqlite_search::SqlQuery& q) {
  Statement stmt(c.handle(), q.sql);
  int index = 1;
  for (const sqlite_search::Bind& b : q.binds) {
    switch (b.kind) {
      case sqlite_search::Bind::kText:
        stmt.bind(index, b.text);
        break;
      case sqlite_search::Bind::kInt:
        stmt.bind(index, b.i);
        break;
      case sqlite_search::Bind::kReal:
        stmt.bind(index, b.r);
        break;
    }
    ++index;
  }
  std::vector<std::string> ids;
  while (stmt.step()) {
    ids.push_back(stmt.is_null(0) ? std::string() : stmt.text(0));
  }
  return ids;
}

bool is_unique_violation(const MlflowException& e) {
  return e.error_code() == ErrorCode::kBadRequest &&
         std::string(e.what()).find("UNIQUE constraint failed") != std::string::npos;
}

}  // namespace

// ---- factory ----

std::string sqlite_path_from_uri(const std::string& tracking_uri) {
  const std::string scheme = "sqlite://";
  if (tracking_uri.compare(0, scheme.size(), scheme) != 0) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "'" + tracking_uri +
                    "' is not a SQLite tracking URI. Use sqlite:///relative/path.db, "
                    "sqlite:////absolute/path.db or sqlite:///:memory:.");
  }
  std::string rest = tracking_uri.substr(scheme.size());
  const auto q = rest.find('?');
  if (q != std::string::npos) rest.erase(q);
  // SQLAlchemy: "sqlite://" alone is an in-memory database; otherwise one '/' separates the
  // (empty) host from the path, so "sqlite:////abs" is absolute and "sqlite:///rel" relative.
  if (rest.empty() || rest == "/" || rest == "/:memory:") return ":memory:";
  if (rest[0] != '/') {
    throw_error(ErrorCode::kInvalidParameterValue,
                "'" + tracking_uri +
                    "' has a host part; SQLite URIs need three slashes: sqlite:///file.db "
                    "(relative) or sqlite:////abs/file.db (absolute).");
  }
  return fs::absolute(fs::path(rest.substr(1))).lexically_normal().string();
}

std::shared_ptr<TrackingStore> make_sqlite_tracking_store(const std::string& tracking_uri) {
  const std::string path = sqlite_path_from_uri(tracking_uri);
  if (path != ":memory:") {
    const fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Cannot create the directory '" + parent.string() +
                      "' for the SQLite database '" + path + "': " + ec.message() + ".");
    }
  }
  // MLflow's default artifact root for a local database: ./mlruns of the working directory.
  const std::string artifact_root = (fs::current_path() / "mlruns").string();
  return std::make_shared<SqliteTrackingStore>(path, artifact_root);
}

SqliteTrackingStore::SqliteTrackingStore(const std::string& db_path, std::string artifact_root)
    : conn_(sqlite::open_mlflow_database(db_path, artifact_root)),
      artifact_root_(std::move(artifact_root)) {}

SqliteTrackingStore::~SqliteTrackingStore() = default;

// ---- experiments ----

std::string SqliteTrackingStore::create_experiment(
    const std::string& name, const std::optional<std::string>& artifact_location,
    const std::vector<ExperimentTag>& tags) {
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  const std::int64_t now = now_millis();
  try {
    c.prepare(
         "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, "
         "last_update_time, workspace) VALUES (?, ?, 'active', ?, ?, 'default')")
        ->bind(1, name)
        .bind(2, artifact_location && !artifact_location->empty()
                     ? std::optional<std::string>(*artifact_location)
                     : std::nullopt)
        .bind(3, now)
        .bind(4, now)
        .run();
  } catch (const MlflowException& e) {
    if (is_unique_violation(e)) {
      throw_error(ErrorCode::kResourceAlreadyExists,
                  "Experiment(name=" + name + ") already exists. Error: " + e.what());
    }
    throw;
  }
  const std::int64_t id = c.last_insert_rowid();
  if (!artifact_location || artifact_location->empty()) {
    c.prepare("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?")
        ->bind(1, artifact_root_ + "/" + std::to_string(id))
        .bind(2, id)
        .run();
  }
  auto t = c.prepare(
      "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?) "
      "ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value");
  for (const ExperimentTag& tag : tags) {
    t->bind(1, tag.key).bind(2, tag.value).bind(3, id).run();
    t->reset();
  }
  tx.commit();
  return std::to_string(id);
}

Experiment SqliteTrackingStore::get_experiment(const std::string& experiment_id) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  std::lock_guard<std::mutex> lock(mutex_);
  return load_experiment(*conn_, id);
}

std::optional<Experiment> SqliteTrackingStore::get_experiment_by_name(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::int64_t id = 0;
  {
    auto s = conn_->prepare(
        "SELECT experiment_id FROM experiments WHERE name = ? AND workspace = 'default'");
    s->bind(1, name);
    if (!s->step()) return std::nullopt;
    id = s->int64(0);
  }
  return load_experiment(*conn_, id);
}

PagedList<Experiment> SqliteTrackingStore::search_experiments(
    const SearchExperimentsOptions& options) {
  const std::int64_t offset = sqlite_search::decode_page_token(options.page_token);
  const sqlite_search::SqlQuery q = sqlite_search::build_search_experiments_query(
      options.view_type, options.filter_string, options.order_by, offset, options.max_results + 1);
  std::lock_guard<std::mutex> lock(mutex_);
  PagedList<Experiment> page;
  for (const std::string& id : run_id_query(*conn_, q)) {
    page.items.push_back(load_experiment(*conn_, std::stoll(id)));
  }
  if (static_cast<std::int64_t>(page.items.size()) > options.max_results) {
    page.items.resize(static_cast<std::size_t>(options.max_results));
    page.token = sqlite_search::encode_page_token(offset + options.max_results);
  }
  return page;
}

void SqliteTrackingStore::rename_experiment(const std::string& experiment_id,
                                            const std::string& new_name) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  const ExperimentRow e = require_experiment(c, id, ViewType::kAll);
  if (e.lifecycle_stage != kActive) {
    throw_error(ErrorCode::kInvalidState, "Cannot rename a non-active experiment.");
  }
  try {
    c.prepare("UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?")
        ->bind(1, new_name)
        .bind(2, now_millis())
        .bind(3, id)
        .run();
  } catch (const MlflowException& ex) {
    if (is_unique_violation(ex)) {
      throw_error(ErrorCode::kResourceAlreadyExists,
                  "Experiment(name=" + new_name + ") already exists. Error: " + ex.what());
    }
    throw;
  }
  tx.commit();
}

void SqliteTrackingStore::delete_experiment(const std::string& experiment_id) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  require_experiment(c, id, ViewType::kActiveOnly);
  const std::int64_t now = now_millis();
  c.prepare(
       "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? "
       "WHERE experiment_id = ?")
      ->bind(1, now)
      .bind(2, id)
      .run();
  std::vector<std::string> run_ids;
  {
    auto s = c.prepare("SELECT run_uuid FROM runs WHERE experiment_id = ?");
    s->bind(1, id);
    while (s->step()) run_ids.push_back(s->text(0));
  }
  // Deleting a run also drops the assessments it produced (MLflow's _mark_run_deleted).
  for (const std::string& run_id : run_ids) {
    c.prepare(
         "DELETE FROM assessments WHERE instr(assessment_metadata, "
         "'\"mlflow.assessment.sourceRunId\": \"' || ? || '\"') > 0")
        ->bind(1, run_id)
        .run();
  }
  c.prepare("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ?")
      ->bind(1, now)
      .bind(2, id)
      .run();
  tx.commit();
}

void SqliteTrackingStore::restore_experiment(const std::string& experiment_id) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  require_experiment(c, id, ViewType::kDeletedOnly);
  c.prepare(
       "UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? "
       "WHERE experiment_id = ?")
      ->bind(1, now_millis())
      .bind(2, id)
      .run();
  c.prepare(
       "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ?")
      ->bind(1, id)
      .run();
  tx.commit();
}

void SqliteTrackingStore::set_experiment_tag(const std::string& experiment_id,
                                             const ExperimentTag& tag) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  require_experiment_active(require_experiment(c, id, ViewType::kAll));
  c.prepare(
       "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?) "
       "ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value")
      ->bind(1, tag.key)
      .bind(2, tag.value)
      .bind(3, id)
      .run();
  tx.commit();
}

void SqliteTrackingStore::delete_experiment_tag(const std::string& experiment_id,
                                                const std::string& key) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  require_experiment_active(require_experiment(c, id, ViewType::kAll));
  c.prepare("DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?")
      ->bind(1, id)
      .bind(2, key)
      .run();
  if (c.changes() == 0) {
    throw_error(ErrorCode::kResourceDoesNotExist,
                "No tag with name: " + key + " in experiment with id " + std::to_string(id));
  }
  tx.commit();
}

// ---- runs ----

Run SqliteTrackingStore::create_run(const CreateRunRequest& request) {
  const std::int64_t exp_id = parse_experiment_id(request.experiment_id);
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  const ExperimentRow e = require_experiment(c, exp_id, ViewType::kAll);
  require_experiment_active(e);

  std::vector<RunTag> tags = request.tags;
  std::optional<std::string> name_tag;
  for (const RunTag& t : tags) {
    if (t.key == kRunNameTag) name_tag = t.value;
  }
  const std::string given = request.run_name.value_or("");
  if (!given.empty() && name_tag && !name_tag->empty() && given != *name_tag) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with "
                "different values (run_name='" +
                    given + "', mlflow.runName='" + *name_tag + "').");
  }
  std::string run_name = !given.empty()                     ? given
                         : (name_tag && !name_tag->empty()) ? *name_tag
                                                            : random_run_name();
  if (!name_tag || name_tag->empty()) tags.push_back({kRunNameTag, run_name});

  const std::string run_id = uuid4_hex();
  const std::string artifact_uri = e.artifact_location + "/" + run_id + "/artifacts";
  c.prepare(
       "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, "
       "status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, "
       "experiment_id, deleted_time) VALUES (?, ?, 'UNKNOWN', '', '', ?, 'RUNNING', ?, NULL, "
       "'', 'active', ?, ?, NULL)")
      ->bind(1, run_id)
      .bind(2, run_name)
      .bind(3, request.user_id)
      .bind(4, request.start_time)
      .bind(5, artifact_uri)
      .bind(6, exp_id)
      .run();
  for (const RunTag& t : tags) upsert_tag(c, run_id, t);
  Run run = load_run(c, run_id);
  tx.commit();
  return run;
}

Run SqliteTrackingStore::get_run(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return load_run(*conn_, run_id);
}

RunInfo SqliteTrackingStore::update_run_info(const std::string& run_id,
                                             std::optional<RunStatus> status,
                                             std::optional<std::int64_t> end_time,
                                             const std::optional<std::string>& run_name) {
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  require_active_run(c, run_id);
  if (status) {
    c.prepare("UPDATE runs SET status = ? WHERE run_uuid = ?")
        ->bind(1, to_string(*status))
        .bind(2, run_id)
        .run();
  }
  if (end_time) {
    c.prepare("UPDATE runs SET end_time = ? WHERE run_uuid = ?")
        ->bind(1, *end_time)
        .bind(2, run_id)
        .run();
  }
  if (run_name && !run_name->empty()) upsert_tag(c, run_id, {kRunNameTag, *run_name});
  RunInfo info = load_run(c, run_id).info;
  tx.commit();
  return info;
}

void SqliteTrackingStore::delete_run(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  require_run(c, run_id);
  c.prepare(
       "DELETE FROM assessments WHERE instr(assessment_metadata, "
       "'\"mlflow.assessment.sourceRunId\": \"' || ? || '\"') > 0")
      ->bind(1, run_id)
      .run();
  c.prepare("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?")
      ->bind(1, now_millis())
      .bind(2, run_id)
      .run();
  tx.commit();
}

void SqliteTrackingStore::restore_run(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  require_run(c, run_id);
  c.prepare("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?")
      ->bind(1, run_id)
      .run();
  tx.commit();
}

PagedList<Run> SqliteTrackingStore::search_runs(const std::vector<std::string>& experiment_ids,
                                                const SearchRunsOptions& options) {
  const std::int64_t offset = sqlite_search::decode_page_token(options.page_token);
  const std::int64_t max_results = options.max_results;
  const sqlite_search::SqlQuery q = sqlite_search::build_search_runs_query(
      experiment_ids, options.run_view_type, options.filter_string, options.order_by, offset,
      max_results + 1);
  std::lock_guard<std::mutex> lock(mutex_);
  PagedList<Run> page;
  for (const std::string& id : run_id_query(*conn_, q)) page.items.push_back(load_run(*conn_, id));
  if (static_cast<std::int64_t>(page.items.size()) > max_results) {
    page.items.resize(static_cast<std::size_t>(max_results));
    page.token = sqlite_search::encode_page_token(offset + max_results);
  }
  return page;
}

// ---- logging ----

void SqliteTrackingStore::log_metric(const std::string& run_id, const Metric& metric) {
  log_batch(run_id, {metric}, {}, {});
}

void SqliteTrackingStore::log_param(const std::string& run_id, const Param& param) {
  log_batch(run_id, {}, {param}, {});
}

void SqliteTrackingStore::set_tag(const std::string& run_id, const RunTag& tag) {
  log_batch(run_id, {}, {}, {tag});
}

void SqliteTrackingStore::delete_tag(const std::string& run_id, const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  require_active_run(c, run_id);
  c.prepare("DELETE FROM tags WHERE run_uuid = ? AND key = ?")->bind(1, run_id).bind(2, key).run();
  if (c.changes() == 0) {
    throw_error(ErrorCode::kResourceDoesNotExist,
                "No tag with name: " + key + " in run with id " + run_id);
  }
  tx.commit();
}

void SqliteTrackingStore::log_batch(const std::string& run_id, Span<Metric> metrics,
                                    Span<Param> params, Span<RunTag> tags) {
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  const RunRow run = require_active_run(c, run_id);
  // MLflow's order: params, then metrics, then logged-model metrics, then tags.
  insert_params(c, run_id, params);
  insert_metrics(c, run_id, metrics);
  insert_logged_model_metrics(c, run_id, run.experiment_id, metrics);
  for (const RunTag& t : tags) upsert_tag(c, run_id, t);
  tx.commit();
}

void SqliteTrackingStore::log_inputs(const std::string& run_id,
                                     const std::vector<DatasetInput>& datasets,
                                     const std::vector<ModelInput>& models) {
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  Transaction tx(c);
  const RunRow run = require_active_run(c, run_id);
  std::set<std::pair<std::string, std::string>> seen;
  for (const DatasetInput& in : datasets) {
    // De-duplicated by (name, digest), the first occurrence wins (reference §9.7).
    if (!seen.insert({in.dataset.name, in.dataset.digest}).second) continue;
    std::string dataset_uuid;
    {
      auto s = c.prepare(
          "SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?");
      s->bind(1, run.experiment_id).bind(2, in.dataset.name).bind(3, in.dataset.digest);
      if (s->step()) dataset_uuid = s->text(0);
    }
    if (dataset_uuid.empty()) {
      dataset_uuid = uuid4_hex();
      c.prepare(
           "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, "
           "dataset_source_type, dataset_source, dataset_schema, dataset_profile) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          ->bind(1, dataset_uuid)
          .bind(2, run.experiment_id)
          .bind(3, in.dataset.name)
          .bind(4, in.dataset.digest)
          .bind(5, in.dataset.source_type)
          .bind(6, in.dataset.source)
          .bind(7, in.dataset.schema)
          .bind(8, in.dataset.profile)
          .run();
    }
    bool exists = false;
    {
      auto s = c.prepare(
          "SELECT 1 FROM inputs WHERE source_type = 'DATASET' AND source_id = ? AND "
          "destination_type = 'RUN' AND destination_id = ?");
      s->bind(1, dataset_uuid).bind(2, run_id);
      exists = s->step();
    }
    if (exists) continue;
    const std::string input_uuid = uuid4_hex();
    c.prepare(
         "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, "
         "destination_id, step) VALUES (?, 'DATASET', ?, 'RUN', ?, 0)")
        ->bind(1, input_uuid)
        .bind(2, dataset_uuid)
        .bind(3, run_id)
        .run();
    auto t =
        c.prepare("INSERT OR REPLACE INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?)");
    for (const InputTag& tag : in.tags) {
      t->bind(1, input_uuid).bind(2, tag.key).bind(3, tag.value).run();
      t->reset();
    }
  }
  auto m = c.prepare(
      "INSERT OR IGNORE INTO inputs (input_uuid, source_type, source_id, destination_type, "
      "destination_id, step) VALUES (?, 'RUN_INPUT', ?, 'MODEL_INPUT', ?, 0)");
  for (const ModelInput& model : models) {
    m->bind(1, uuid4_hex()).bind(2, run_id).bind(3, model.model_id).run();
    m->reset();
  }
  tx.commit();
}

PagedList<Metric> SqliteTrackingStore::get_metric_history_page(const std::string& run_id,
                                                               const std::string& key,
                                                               int max_results,
                                                               const std::string& page_token) {
  const std::int64_t offset = sqlite_search::decode_page_token(page_token);
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  // No run check: MLflow's server answers an unknown run with an empty history (verified
  // against 3.18 by the conformance suite), so the embedded store does the same.
  PagedList<Metric> page;
  auto s = c.prepare(
      "SELECT value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ? AND key = ? "
      "ORDER BY timestamp, step, value LIMIT ? OFFSET ?");
  // max_results <= 0 means "everything", as Python's max_results=None.
  const std::int64_t limit = max_results > 0 ? static_cast<std::int64_t>(max_results) + 1 : -1;
  s->bind(1, run_id).bind(2, key).bind(3, limit).bind(4, offset);
  while (s->step()) {
    Metric m;
    m.key = key;
    m.value = read_metric_value(s->real(0), s->int64(3) != 0);
    m.timestamp = s->int64(1);
    m.step = s->int64(2);
    page.items.push_back(std::move(m));
  }
  if (max_results > 0 && page.items.size() == static_cast<std::size_t>(max_results) + 1) {
    page.items.pop_back();
    page.token = sqlite_search::encode_page_token(offset + max_results);
  }
  return page;
}

std::vector<Metric> SqliteTrackingStore::get_metric_history_bulk_interval(
    const std::vector<std::string>& run_ids, const std::string& metric_key,
    const MetricHistoryBulkIntervalOptions& options) {
  if (options.start_step.has_value() != options.end_step.has_value()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Both start_step and end_step must be specified together, or neither may be "
                "specified.");
  }
  const std::int64_t max_results = std::max(1, options.max_results);
  const bool ranged = options.start_step.has_value();
  std::lock_guard<std::mutex> lock(mutex_);
  Connection& c = *conn_;
  for (const std::string& id : run_ids) require_run(c, id);
  std::vector<Metric> out;
  struct Row {
    double value;
    std::int64_t timestamp, step;
    bool is_nan;
  };
  auto read_row = [](const Statement& s) {
    return Row{s.real(0), s.int64(1), s.int64(2), s.int64(3) != 0};
  };
  const std::string where = std::string(" WHERE run_uuid = ? AND key = ?") +
                            (ranged ? " AND step >= ? AND step <= ?" : "");
  for (const std::string& run_id : run_ids) {
    // One evenly sized bucket per wanted point over the ordered history; the first row of
    // each bucket is kept, then the global last point is guaranteed (MLflow's sampling).
    std::vector<Row> rows;
    {
      auto s = c.prepare(
          "SELECT value, timestamp, step, is_nan FROM (SELECT value, timestamp, step, is_nan, "
          "row_number() OVER (PARTITION BY bucket ORDER BY step, timestamp, value, is_nan) AS "
          "rn FROM (SELECT value, timestamp, step, is_nan, ntile(?) OVER (ORDER BY step, "
          "timestamp, value, is_nan) AS bucket FROM metrics" +
          where + ")) WHERE rn = 1 ORDER BY step, timestamp, value, is_nan");
      s->bind(1, max_results).bind(2, run_id).bind(3, metric_key);
      if (ranged) s->bind(4, *options.start_step).bind(5, *options.end_step);
      while (s->step()) rows.push_back(read_row(*s));
    }
    {
      auto s = c.prepare("SELECT value, timestamp, step, is_nan FROM metrics" + where +
                         " ORDER BY step DESC, timestamp DESC, value DESC, is_nan DESC LIMIT 1");
      s->bind(1, run_id).bind(2, metric_key);
      if (ranged) s->bind(3, *options.start_step).bind(4, *options.end_step);
      if (s->step()) {
        const Row last = read_row(*s);
        auto key = [](const Row& r) {
          return std::make_tuple(r.step, r.timestamp, r.is_nan ? 0.0 : r.value, r.is_nan);
        };
        if (rows.empty() || key(rows.back()) != key(last)) {
          if (static_cast<std::int64_t>(rows.size()) >= max_results) {
            rows.back() = last;
          } else {
            rows.push_back(last);
          }
        }
      }
    }
    for (const Row& r : rows) {
      Metric m;
      m.key = metric_key;
      m.value = read_metric_value(r.value, r.is_nan);
      m.timestamp = r.timestamp;
      m.step = r.step;
      m.run_id = run_id;
      out.push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace mlflow::internal
