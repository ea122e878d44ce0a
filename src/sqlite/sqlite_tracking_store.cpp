// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/sqlite_tracking_store.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/metric_value.hpp"
#include "sqlite/search_sql.hpp"
#include "sqlite/sqlite_logged_model_store.hpp"

namespace mlflow::internal {

using sqlite::Connection;
using sqlite::Statement;

namespace {

constexpr const char* kRunNameTag = "mlflow.runName";
constexpr const char* kActive = "active";
constexpr const char* kDeleted = "deleted";

struct StoredMetric {
  std::string key;
  sqlite::StoredValue stored;
  std::int64_t timestamp = 0;
  std::int64_t step = 0;
};

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

// A metric point of `key` from the columns value, timestamp, step, is_nan starting at `from`.
Metric read_metric_columns(const Statement& s, const std::string& key, int from) {
  Metric m;
  m.key = key;
  m.value = sqlite::from_stored(s.real(from), s.int64(from + 3) != 0);
  m.timestamp = s.is_null(from + 1) ? 0 : s.int64(from + 1);
  m.step = s.int64(from + 2);
  return m;
}

// ---- store internals (free functions over the connection of a read or write call) ----

struct ExperimentRow {
  std::int64_t id = 0;
  std::string lifecycle_stage;
  std::string artifact_location;
};

std::optional<ExperimentRow> find_experiment(Connection& c, std::int64_t id) {
  auto s = c.query(
      "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = ?", id);
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
  auto s = c.query("SELECT lifecycle_stage, experiment_id FROM runs WHERE run_uuid = ?", run_id);
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
    auto s = c.query(
        std::string("SELECT ") + kExperimentColumns + " FROM experiments WHERE experiment_id = ?",
        id);
    if (!s->step()) throw_no_experiment(id);
    e = read_experiment_row(*s);
  }
  e.tags = c.key_values("SELECT key, value FROM experiment_tags WHERE experiment_id = ?", id);
  return e;
}

void load_run_inputs(Connection& c, const std::string& run_id, Run& run) {
  std::vector<std::string> input_ids;
  {
    auto s = c.query(
        "SELECT i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, "
        "d.dataset_schema, d.dataset_profile FROM inputs i JOIN datasets d ON "
        "d.dataset_uuid = i.source_id WHERE i.source_type = 'DATASET' AND "
        "i.destination_type = 'RUN' AND i.destination_id = ? ORDER BY i.rowid",
        run_id);
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
  }
  for (std::size_t i = 0; i < input_ids.size(); ++i) {
    auto t = c.query("SELECT name, value FROM input_tags WHERE input_uuid = ? ORDER BY rowid",
                     input_ids[i]);
    while (t->step()) run.inputs.dataset_inputs[i].tags.push_back({t->text(0), t->text(1)});
  }
  {
    auto s = c.query(
        "SELECT destination_id FROM inputs WHERE source_type = 'RUN_INPUT' AND source_id = ? "
        "AND destination_type = 'MODEL_INPUT' ORDER BY rowid",
        run_id);
    while (s->step()) run.inputs.model_inputs.push_back({s->text(0)});
  }
  auto s = c.query(
      "SELECT destination_id, step FROM inputs WHERE source_type = 'RUN_OUTPUT' AND "
      "source_id = ? AND destination_type = 'MODEL_OUTPUT' ORDER BY rowid",
      run_id);
  while (s->step()) run.outputs.model_outputs.push_back({s->text(0), s->int64(1)});
}

Run load_run(Connection& c, const std::string& run_id) {
  Run run;
  {
    auto s =
        c.query(std::string("SELECT ") + kRunColumns + " FROM runs WHERE run_uuid = ?", run_id);
    if (!s->step()) throw_no_run(run_id);
    run.info = read_run_row(*s);
  }
  {
    auto s = c.query(
        "SELECT key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid = ? "
        "ORDER BY key",
        run_id);
    while (s->step()) {
      Metric m = read_metric_columns(*s, s->text(0), 1);
      run.data.metrics[m.key] = m.value;
      run.data.latest_metrics.push_back(std::move(m));
    }
  }
  run.data.params = c.key_values("SELECT key, value FROM params WHERE run_uuid = ?", run_id);
  run.data.tags = c.key_values("SELECT key, value FROM tags WHERE run_uuid = ?", run_id);
  load_run_inputs(c, run_id, run);
  return run;
}

void upsert_tag(Connection& c, const std::string& run_id, const RunTag& tag) {
  c.run(
      "INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?) "
      "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value",
      tag.key, tag.value, run_id);
  // The run name lives both in the tag and in runs.name; MLflow keeps them in step.
  if (tag.key == kRunNameTag) {
    c.run("UPDATE runs SET name = ? WHERE run_uuid = ?", tag.value, run_id);
  }
}

void insert_params(Connection& c, const std::string& run_id, Span<Param> params) {
  if (params.empty()) return;
  const std::map<std::string, std::string> existing =
      c.key_values("SELECT key, value FROM params WHERE run_uuid = ?", run_id);
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
  for (const Param& p : params) {
    if (existing.count(p.key) != 0) continue;
    c.run("INSERT OR IGNORE INTO params (key, value, run_uuid) VALUES (?, ?, ?)", p.key, p.value,
          run_id);
  }
}

void insert_metrics(Connection& c, const std::string& run_id, Span<Metric> metrics) {
  if (metrics.empty()) return;
  // Exact duplicates hit the primary key and are ignored, as MLflow's store does. (One
  // statement for the whole batch: this loop is the ingest hot path.)
  auto insert = c.prepare(
      "INSERT OR IGNORE INTO metrics (key, value, timestamp, run_uuid, step, is_nan) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  // Greatest (step, timestamp, value) per key within the request, keys in the order of their
  // first appearance: Python's store inserts new latest_metrics rows in that order, and the
  // server and the UI list a run's metrics in row order.
  std::vector<StoredMetric> best;
  std::unordered_map<std::string, std::size_t> best_of_key;
  for (const Metric& m : metrics) {
    const StoredMetric s{m.key, sqlite::to_stored(m.value), m.timestamp, m.step};
    insert->bind_all(s.key, s.stored.value, s.timestamp, run_id, s.step, s.stored.is_nan).run();
    insert->reset();
    const auto [it, first] = best_of_key.emplace(s.key, best.size());
    if (first) {
      best.push_back(s);
    } else if (StoredMetric& held = best[it->second];
               std::make_tuple(s.step, s.timestamp, s.stored.value) >
               std::make_tuple(held.step, held.timestamp, held.stored.value)) {
      held = s;
    }
  }
  for (const StoredMetric& s : best) {
    c.run(
        "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET "
        "value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, "
        "is_nan = excluded.is_nan WHERE (excluded.step, excluded.timestamp, excluded.value) > "
        "(latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)",
        s.key, s.stored.value, s.timestamp, s.step, s.stored.is_nan, run_id);
  }
}

bool is_unique_violation(const MlflowException& e) {
  return e.error_code() == ErrorCode::kBadRequest &&
         std::string(e.what()).find("UNIQUE constraint failed") != std::string::npos;
}

// Deleting a run also drops the assessments it produced (MLflow's _mark_run_deleted).
void delete_run_assessments(Connection& c, const std::string& run_id) {
  c.run(
      "DELETE FROM assessments WHERE instr(assessment_metadata, "
      "'\"mlflow.assessment.sourceRunId\": \"' || ? || '\"') > 0",
      run_id);
}

}  // namespace

SqliteTrackingStore::SqliteTrackingStore(std::shared_ptr<sqlite::Database> db)
    : db_(std::move(db)) {}

SqliteTrackingStore::SqliteTrackingStore(const std::string& db_path, std::string artifact_root)
    : SqliteTrackingStore(sqlite::Database::open(db_path, std::move(artifact_root))) {}

SqliteTrackingStore::~SqliteTrackingStore() = default;

// ---- experiments ----

std::string SqliteTrackingStore::create_experiment(
    const std::string& name, const std::optional<std::string>& artifact_location,
    const std::vector<ExperimentTag>& tags) {
  const bool own_location = !artifact_location || artifact_location->empty();
  return db_->write([&](Connection& c) {
    const std::int64_t now = now_millis();
    try {
      c.run(
          "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, "
          "last_update_time, workspace) VALUES (?, ?, 'active', ?, ?, 'default')",
          name, own_location ? std::nullopt : artifact_location, now, now);
    } catch (const MlflowException& e) {
      if (is_unique_violation(e)) {
        throw_error(ErrorCode::kResourceAlreadyExists,
                    "Experiment(name=" + name + ") already exists. Error: " + e.what());
      }
      throw;
    }
    const std::int64_t id = c.last_insert_rowid();
    if (own_location) {
      c.run("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?",
            db_->artifact_root() + "/" + std::to_string(id), id);
    }
    for (const ExperimentTag& tag : tags) {
      c.run(
          "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?) "
          "ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value",
          tag.key, tag.value, id);
    }
    return std::to_string(id);
  });
}

Experiment SqliteTrackingStore::get_experiment(const std::string& experiment_id) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  return db_->read([&](Connection& c) { return load_experiment(c, id); });
}

std::optional<Experiment> SqliteTrackingStore::get_experiment_by_name(const std::string& name) {
  return db_->read([&](Connection& c) -> std::optional<Experiment> {
    std::int64_t id = 0;
    {
      auto s = c.query(
          "SELECT experiment_id FROM experiments WHERE name = ? AND workspace = 'default'", name);
      if (!s->step()) return std::nullopt;
      id = s->int64(0);
    }
    return load_experiment(c, id);
  });
}

PagedList<Experiment> SqliteTrackingStore::search_experiments(
    const SearchExperimentsOptions& options) {
  const std::int64_t offset = sqlite_search::decode_page_token(options.page_token);
  const sqlite::SqlQuery q = sqlite_search::build_search_experiments_query(
      options.view_type, options.filter_string, options.order_by, offset, options.max_results + 1);
  PagedList<Experiment> page = db_->read([&](Connection& c) {
    PagedList<Experiment> found;
    for (const std::string& id : c.first_column(q)) {
      found.items.push_back(load_experiment(c, std::stoll(id)));
    }
    return found;
  });
  if (static_cast<std::int64_t>(page.items.size()) > options.max_results) {
    page.items.resize(static_cast<std::size_t>(options.max_results));
    page.token = sqlite_search::encode_page_token(offset + options.max_results);
  }
  return page;
}

void SqliteTrackingStore::rename_experiment(const std::string& experiment_id,
                                            const std::string& new_name) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  db_->write([&](Connection& c) {
    const ExperimentRow e = require_experiment(c, id, ViewType::kAll);
    if (e.lifecycle_stage != kActive) {
      throw_error(ErrorCode::kInvalidState, "Cannot rename a non-active experiment.");
    }
    try {
      c.run("UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
            new_name, now_millis(), id);
    } catch (const MlflowException& ex) {
      if (is_unique_violation(ex)) {
        throw_error(ErrorCode::kResourceAlreadyExists,
                    "Experiment(name=" + new_name + ") already exists. Error: " + ex.what());
      }
      throw;
    }
  });
}

void SqliteTrackingStore::delete_experiment(const std::string& experiment_id) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  db_->write([&](Connection& c) {
    require_experiment(c, id, ViewType::kActiveOnly);
    const std::int64_t now = now_millis();
    c.run(
        "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? "
        "WHERE experiment_id = ?",
        now, id);
    std::vector<std::string> run_ids;
    {
      auto s = c.query("SELECT run_uuid FROM runs WHERE experiment_id = ?", id);
      while (s->step()) run_ids.push_back(s->text(0));
    }
    for (const std::string& run_id : run_ids) delete_run_assessments(c, run_id);
    c.run("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ?",
          now, id);
  });
}

void SqliteTrackingStore::restore_experiment(const std::string& experiment_id) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  db_->write([&](Connection& c) {
    require_experiment(c, id, ViewType::kDeletedOnly);
    c.run(
        "UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? "
        "WHERE experiment_id = ?",
        now_millis(), id);
    c.run("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ?",
          id);
  });
}

void SqliteTrackingStore::set_experiment_tag(const std::string& experiment_id,
                                             const ExperimentTag& tag) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  db_->write([&](Connection& c) {
    require_experiment_active(require_experiment(c, id, ViewType::kAll));
    c.run(
        "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?) "
        "ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value",
        tag.key, tag.value, id);
  });
}

void SqliteTrackingStore::delete_experiment_tag(const std::string& experiment_id,
                                                const std::string& key) {
  const std::int64_t id = parse_experiment_id(experiment_id);
  db_->write([&](Connection& c) {
    require_experiment_active(require_experiment(c, id, ViewType::kAll));
    c.run("DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?", id, key);
    if (c.changes() == 0) {
      throw_error(ErrorCode::kResourceDoesNotExist,
                  "No tag with name: " + key + " in experiment with id " + std::to_string(id));
    }
  });
}

// ---- runs ----

Run SqliteTrackingStore::create_run(const CreateRunRequest& request) {
  const std::int64_t exp_id = parse_experiment_id(request.experiment_id);
  return db_->write([&](Connection& c) {
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
    c.run(
        "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, "
        "status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, "
        "experiment_id, deleted_time) VALUES (?, ?, 'UNKNOWN', '', '', ?, 'RUNNING', ?, NULL, "
        "'', 'active', ?, ?, NULL)",
        run_id, run_name, request.user_id, request.start_time, artifact_uri, exp_id);
    for (const RunTag& t : tags) upsert_tag(c, run_id, t);
    return load_run(c, run_id);
  });
}

Run SqliteTrackingStore::get_run(const std::string& run_id) {
  return db_->read([&](Connection& c) { return load_run(c, run_id); });
}

RunInfo SqliteTrackingStore::update_run_info(const std::string& run_id,
                                             std::optional<RunStatus> status,
                                             std::optional<std::int64_t> end_time,
                                             const std::optional<std::string>& run_name) {
  return db_->write([&](Connection& c) {
    require_active_run(c, run_id);
    if (status) {
      c.run("UPDATE runs SET status = ? WHERE run_uuid = ?", to_string(*status), run_id);
    }
    if (end_time) c.run("UPDATE runs SET end_time = ? WHERE run_uuid = ?", *end_time, run_id);
    if (run_name && !run_name->empty()) upsert_tag(c, run_id, {kRunNameTag, *run_name});
    return load_run(c, run_id).info;
  });
}

void SqliteTrackingStore::delete_run(const std::string& run_id) {
  db_->write([&](Connection& c) {
    require_run(c, run_id);
    delete_run_assessments(c, run_id);
    c.run("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?",
          now_millis(), run_id);
  });
}

void SqliteTrackingStore::restore_run(const std::string& run_id) {
  db_->write([&](Connection& c) {
    require_run(c, run_id);
    c.run("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?",
          run_id);
  });
}

PagedList<Run> SqliteTrackingStore::search_runs(const std::vector<std::string>& experiment_ids,
                                                const SearchRunsOptions& options) {
  const std::int64_t offset = sqlite_search::decode_page_token(options.page_token);
  const std::int64_t max_results = options.max_results;
  const sqlite::SqlQuery q = sqlite_search::build_search_runs_query(
      experiment_ids, options.run_view_type, options.filter_string, options.order_by, offset,
      max_results + 1);
  PagedList<Run> page = db_->read([&](Connection& c) {
    PagedList<Run> found;
    for (const std::string& id : c.first_column(q)) found.items.push_back(load_run(c, id));
    return found;
  });
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
  db_->write([&](Connection& c) {
    require_active_run(c, run_id);
    c.run("DELETE FROM tags WHERE run_uuid = ? AND key = ?", run_id, key);
    if (c.changes() == 0) {
      throw_error(ErrorCode::kResourceDoesNotExist,
                  "No tag with name: " + key + " in run with id " + run_id);
    }
  });
}

void SqliteTrackingStore::log_batch(const std::string& run_id, Span<Metric> metrics,
                                    Span<Param> params, Span<RunTag> tags) {
  db_->write([&](Connection& c) {
    const RunRow run = require_active_run(c, run_id);
    // MLflow's order: params, then metrics, then logged-model metrics, then tags.
    insert_params(c, run_id, params);
    insert_metrics(c, run_id, metrics);
    insert_logged_model_metrics(c, run_id, run.experiment_id, metrics);
    for (const RunTag& t : tags) upsert_tag(c, run_id, t);
  });
}

namespace {

// The dataset's row in the run's experiment, created when new; returns its uuid.
std::string dataset_uuid_for(Connection& c, std::int64_t experiment_id, const Dataset& dataset) {
  {
    auto s = c.query(
        "SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
        experiment_id, dataset.name, dataset.digest);
    if (s->step()) return s->text(0);
  }
  std::string uuid = uuid4_hex();
  c.run(
      "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, "
      "dataset_source, dataset_schema, dataset_profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      uuid, experiment_id, dataset.name, dataset.digest, dataset.source_type, dataset.source,
      dataset.schema, dataset.profile);
  return uuid;
}

}  // namespace

void SqliteTrackingStore::log_inputs(const std::string& run_id,
                                     const std::vector<DatasetInput>& datasets,
                                     const std::vector<ModelInput>& models) {
  db_->write([&](Connection& c) {
    const RunRow run = require_active_run(c, run_id);
    std::set<std::pair<std::string, std::string>> seen;
    for (const DatasetInput& in : datasets) {
      // De-duplicated by (name, digest), the first occurrence wins (reference §9.7).
      if (!seen.insert({in.dataset.name, in.dataset.digest}).second) continue;
      const std::string dataset_uuid = dataset_uuid_for(c, run.experiment_id, in.dataset);
      if (c.query("SELECT 1 FROM inputs WHERE source_type = 'DATASET' AND source_id = ? AND "
                  "destination_type = 'RUN' AND destination_id = ?",
                  dataset_uuid, run_id)
              ->step()) {
        continue;
      }
      const std::string input_uuid = uuid4_hex();
      c.run(
          "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, "
          "destination_id, step) VALUES (?, 'DATASET', ?, 'RUN', ?, 0)",
          input_uuid, dataset_uuid, run_id);
      for (const InputTag& tag : in.tags) {
        c.run("INSERT OR REPLACE INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?)",
              input_uuid, tag.key, tag.value);
      }
    }
    for (const ModelInput& model : models) {
      c.run(
          "INSERT OR IGNORE INTO inputs (input_uuid, source_type, source_id, destination_type, "
          "destination_id, step) VALUES (?, 'RUN_INPUT', ?, 'MODEL_INPUT', ?, 0)",
          uuid4_hex(), run_id, model.model_id);
    }
  });
}

PagedList<Metric> SqliteTrackingStore::get_metric_history_page(const std::string& run_id,
                                                               const std::string& key,
                                                               int max_results,
                                                               const std::string& page_token) {
  const std::int64_t offset = sqlite_search::decode_page_token(page_token);
  // max_results <= 0 means "everything", as Python's max_results=None.
  const std::int64_t limit = max_results > 0 ? static_cast<std::int64_t>(max_results) + 1 : -1;
  // No run check: MLflow's server answers an unknown run with an empty history (verified
  // against 3.18 by the conformance suite), so the embedded store does the same.
  PagedList<Metric> page = db_->read([&](Connection& c) {
    PagedList<Metric> points;
    auto s = c.query(
        "SELECT value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ? AND key = ? "
        "ORDER BY timestamp, step, value LIMIT ? OFFSET ?",
        run_id, key, limit, offset);
    while (s->step()) points.items.push_back(read_metric_columns(*s, key, 0));
    return points;
  });
  if (max_results > 0 && page.items.size() == static_cast<std::size_t>(max_results) + 1) {
    page.items.pop_back();
    page.token = sqlite_search::encode_page_token(offset + max_results);
  }
  return page;
}

namespace {

struct HistoryRow {
  double value;
  std::int64_t timestamp, step;
  bool is_nan;
};

HistoryRow read_history_row(const Statement& s) {
  return HistoryRow{s.real(0), s.int64(1), s.int64(2), s.int64(3) != 0};
}

// One run's sampled history of `metric_key` (MLflow's get_metric_history_bulk_interval): one
// evenly sized bucket per wanted point over the ordered history, the first row of each bucket,
// then the global last point guaranteed.
std::vector<HistoryRow> sampled_history(Connection& c, const std::string& run_id,
                                        const std::string& metric_key,
                                        const MetricHistoryBulkIntervalOptions& options,
                                        std::int64_t max_results) {
  const bool ranged = options.start_step.has_value();
  const std::string where = std::string(" WHERE run_uuid = ? AND key = ?") +
                            (ranged ? " AND step >= ? AND step <= ?" : "");
  std::vector<HistoryRow> rows;
  {
    auto s = c.prepare(
        "SELECT value, timestamp, step, is_nan FROM (SELECT value, timestamp, step, is_nan, "
        "row_number() OVER (PARTITION BY bucket ORDER BY step, timestamp, value, is_nan) AS "
        "rn FROM (SELECT value, timestamp, step, is_nan, ntile(?) OVER (ORDER BY step, "
        "timestamp, value, is_nan) AS bucket FROM metrics" +
        where + ")) WHERE rn = 1 ORDER BY step, timestamp, value, is_nan");
    s->bind(1, max_results).bind(2, run_id).bind(3, metric_key);
    if (ranged) s->bind(4, *options.start_step).bind(5, *options.end_step);
    while (s->step()) rows.push_back(read_history_row(*s));
  }
  auto s = c.prepare("SELECT value, timestamp, step, is_nan FROM metrics" + where +
                     " ORDER BY step DESC, timestamp DESC, value DESC, is_nan DESC LIMIT 1");
  s->bind(1, run_id).bind(2, metric_key);
  if (ranged) s->bind(3, *options.start_step).bind(4, *options.end_step);
  if (!s->step()) return rows;
  const HistoryRow last = read_history_row(*s);
  auto key = [](const HistoryRow& r) {
    return std::make_tuple(r.step, r.timestamp, r.is_nan ? 0.0 : r.value, r.is_nan);
  };
  if (rows.empty() || key(rows.back()) != key(last)) {
    if (static_cast<std::int64_t>(rows.size()) >= max_results) {
      rows.back() = last;
    } else {
      rows.push_back(last);
    }
  }
  return rows;
}

}  // namespace

std::vector<Metric> SqliteTrackingStore::get_metric_history_bulk_interval(
    const std::vector<std::string>& run_ids, const std::string& metric_key,
    const MetricHistoryBulkIntervalOptions& options) {
  if (options.start_step.has_value() != options.end_step.has_value()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Both start_step and end_step must be specified together, or neither may be "
                "specified.");
  }
  const std::int64_t max_results = std::max(1, options.max_results);
  return db_->read([&](Connection& c) {
    for (const std::string& id : run_ids) require_run(c, id);
    std::vector<Metric> out;
    for (const std::string& run_id : run_ids) {
      for (const HistoryRow& r : sampled_history(c, run_id, metric_key, options, max_results)) {
        Metric m;
        m.key = metric_key;
        m.value = sqlite::from_stored(r.value, r.is_nan);
        m.timestamp = r.timestamp;
        m.step = r.step;
        m.run_id = run_id;
        out.push_back(std::move(m));
      }
    }
    return out;
  });
}

}  // namespace mlflow::internal
