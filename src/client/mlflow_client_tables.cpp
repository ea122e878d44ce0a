// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// log_table / load_table with the behaviour of Python's MlflowClient in 3.18
// (mlflow/tracking/client.py): a table is a JSON artifact in pandas' "split" orientation
// ({"columns": [...], "data": [[...], ...]}, written as DataFrame.to_json(orient="split",
// index=False)), logging to an existing file appends rows (columns united, missing cells
// null), and the run's "mlflow.loggedArtifacts" tag lists {"path": ..., "type": "table"} so
// load_table can find the runs with a LIKE filter.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "artifacts/artifact_path.hpp"
#include "client/client_impl.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "prompts/python_json.hpp"

namespace mlflow {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr const char* kLoggedArtifactsTag = "mlflow.loggedArtifacts";

void check_table_file(const std::string& artifact_file) {
  for (char c : std::string("\"',:[]{}")) {
    if (artifact_file.find(c) != std::string::npos) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  std::string("The artifact_file contains forbidden character: ") + c);
    }
  }
}

// A table held as pandas' split layout.
struct SplitTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Json>> rows;
};

// {"col": [v, ...], ...} -> one row per element; {"col": scalar, ...} -> one row; scalars next
// to lists are repeated down the column (pandas.DataFrame(dict) broadcasting).
SplitTable table_from_dict(const std::string& data_json) {
  Json data;
  try {
    data = Json::parse(data_json);
  } catch (const nlohmann::json::exception& e) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "log_table needs a JSON object of columns (UTF-8): " + std::string(e.what()));
  }
  if (!data.is_object() || data.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "log_table needs a non-empty JSON object mapping column names to lists of values "
                "(or to single values, for a one-row table), e.g. {\"inputs\": [\"a\", \"b\"], "
                "\"score\": [0.1, 0.2]}.");
  }
  std::size_t length = 0;
  bool any_list = false;
  for (const auto& [name, value] : data.items()) {
    if (!value.is_array()) continue;
    if (any_list && value.size() != length) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "All columns of a table must have the same length; column '" + name + "' has " +
                      std::to_string(value.size()) + " values, another has " +
                      std::to_string(length) + ".");
    }
    any_list = true;
    length = value.size();
  }
  if (!any_list) length = 1;
  SplitTable table;
  table.rows.assign(length, {});
  for (const auto& [name, value] : data.items()) {
    table.columns.push_back(name);
    for (std::size_t r = 0; r < length; ++r) {
      table.rows[r].push_back(value.is_array() ? value[r] : value);
    }
  }
  return table;
}

SplitTable table_from_split(const std::string& text, const std::string& what) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("columns") || !doc["columns"].is_array() ||
      (doc.contains("data") && !doc["data"].is_array())) {
    throw_error(ErrorCode::kInvalidParameterValue,
                what +
                    " is not a table in pandas' split JSON layout "
                    "({\"columns\": [...], \"data\": [[...], ...]}).");
  }
  SplitTable table;
  for (const auto& c : doc["columns"])
    table.columns.push_back(c.is_string() ? c.get<std::string>() : c.dump());
  if (doc.contains("data")) {
    for (const auto& row : doc["data"]) {
      std::vector<Json> cells(table.columns.size());
      for (std::size_t i = 0; i < cells.size() && row.is_array() && i < row.size(); ++i) {
        cells[i] = row[i];
      }
      table.rows.push_back(std::move(cells));
    }
  }
  return table;
}

// pandas.concat([a, b], ignore_index=True): columns of `a`, then b's new ones; cells a table
// lacks are null.
void append_table(SplitTable& into, const SplitTable& more) {
  std::vector<std::size_t> where;
  for (const auto& c : more.columns) {
    std::size_t i = 0;
    while (i < into.columns.size() && into.columns[i] != c) ++i;
    if (i == into.columns.size()) {
      into.columns.push_back(c);
      for (auto& row : into.rows) row.emplace_back(nullptr);
    }
    where.push_back(i);
  }
  for (const auto& row : more.rows) {
    std::vector<Json> cells(into.columns.size());
    for (std::size_t i = 0; i < row.size(); ++i) cells[where[i]] = row[i];
    into.rows.push_back(std::move(cells));
  }
}

// DataFrame.to_json's text: compact, non-ASCII as \uXXXX, and '/' escaped as "\/" (pandas'
// ujson does; '/' can only occur inside strings, so a plain replacement is exact).
std::string to_split_json(const SplitTable& table) {
  Json doc = Json::object();
  doc["columns"] = table.columns;
  doc["data"] = Json::array();
  for (const auto& row : table.rows) doc["data"].push_back(row);
  const std::string compact = doc.dump(-1, ' ', /*ensure_ascii=*/true);
  std::string out;
  out.reserve(compact.size());
  for (char c : compact) {
    if (c == '/') out += '\\';
    out += c;
  }
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_error(ErrorCode::kIoError, "Cannot read '" + path.string() + "'.");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The file's text when `artifact_file` is a file of the run, else std::nullopt.
std::optional<std::string> read_artifact_if_present(MlflowClient& client, const std::string& run_id,
                                                    const std::string& artifact_file) {
  const std::string dir = internal::posix_dirname(internal::posix_normpath(artifact_file));
  for (const auto& info : client.list_artifacts(run_id, dir)) {
    if (!info.is_dir && info.path == artifact_file) {
      internal::ScopedTempDir tmp("mlflow-table-");
      return read_file(client.download_artifacts(run_id, artifact_file, tmp.path().string()));
    }
  }
  return std::nullopt;
}

// The value of one of Python's search_runs(...) DataFrame columns for `run`.
Json run_column(const Run& run, const std::string& column) {
  const auto lookup = [&](const auto& map, std::size_t prefix) -> Json {
    const auto it = map.find(column.substr(prefix));
    if (it == map.end()) return nullptr;
    return Json(it->second);
  };
  if (column == "run_id") return run.info.run_id;
  if (column == "experiment_id") return run.info.experiment_id;
  if (column == "status") return to_string(run.info.status);
  if (column == "artifact_uri") return run.info.artifact_uri;
  if (column.rfind("tags.", 0) == 0) return lookup(run.data.tags, 5);
  if (column.rfind("params.", 0) == 0) return lookup(run.data.params, 7);
  if (column.rfind("metrics.", 0) == 0) return lookup(run.data.metrics, 8);
  throw_error(ErrorCode::kInvalidParameterValue,
              "Unsupported extra column '" + column +
                  "': use run_id, experiment_id, status, artifact_uri, tags.<key>, params.<key> "
                  "or metrics.<key>.");
}

}  // namespace

void MlflowClient::log_table(const std::string& run_id, const std::string& data_json,
                             const std::string& artifact_file) {
  // Its uploads and reads are reported as nested operations, with their bytes.
  const auto describe = [&](Operation& op) {
    op.target.run_id = run_id;
    op.target.artifact_path = artifact_file;
  };
  impl_->hooks().run("log_table", OperationKind::kArtifactUpload, describe, [&] {
    check_table_file(artifact_file);
    const bool json = artifact_file.size() > 5 &&
                      artifact_file.compare(artifact_file.size() - 5, 5, ".json") == 0;
    if (!json) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Invalid artifact file path '" + artifact_file +
                      "'. Please ensure the file you are trying to log as a table has a file name "
                      "with a '.json' extension (mlflow-cpp does not write '.parquet').");
    }
    SplitTable table = table_from_dict(data_json);
    if (auto existing = read_artifact_if_present(*this, run_id, artifact_file)) {
      SplitTable merged =
          table_from_split(*existing, "The existing artifact '" + artifact_file + "'");
      append_table(merged, table);
      table = std::move(merged);
    }
    log_text(run_id, to_split_json(table), artifact_file);

    const Run run = get_run(run_id);
    Json tag = Json::array();
    const auto it = run.data.tags.find(kLoggedArtifactsTag);
    if (it != run.data.tags.end()) {
      tag = Json::parse(it->second, nullptr, /*allow_exceptions=*/false);
      if (!tag.is_array()) tag = Json::array();
    }
    const Json entry = Json{{"path", artifact_file}, {"type", "table"}};
    for (const auto& item : tag) {
      if (item == entry) return;
    }
    tag.push_back(entry);
    set_tag(run_id, kLoggedArtifactsTag, internal::pyjson::dumps(nlohmann::ordered_json(tag)));
  });
}

std::string MlflowClient::load_table(const std::string& experiment_id,
                                     const std::string& artifact_file,
                                     const std::vector<std::string>& run_ids,
                                     const std::vector<std::string>& extra_columns) {
  // Its uploads and reads are reported as nested operations, with their bytes.
  const auto describe = [&](Operation& op) {
    op.target.experiment_id = experiment_id;
    op.target.artifact_path = artifact_file;
  };
  return impl_->hooks().run("load_table", OperationKind::kArtifactDownload, describe, [&] {
    check_table_file(artifact_file);
    // The same LIKE pattern Python builds (quotes inside the tag's JSON included).
    std::string filter = std::string("tags.") + kLoggedArtifactsTag + " LIKE '%\"path\"%:%\"" +
                         artifact_file + "\",%\"type\"%:%\"table\"%'";
    if (!run_ids.empty()) {
      filter += " and attributes.run_id IN (";
      for (std::size_t i = 0; i < run_ids.size(); ++i) {
        if (run_ids[i].find('\'') != std::string::npos) {
          throw_error(ErrorCode::kInvalidParameterValue, "Invalid run id '" + run_ids[i] + "'.");
        }
        filter += (i > 0 ? "," : "") + std::string("'") + run_ids[i] + "'";
      }
      filter += ")";
    }
    SearchRunsOptions options;
    options.filter_string = filter;
    SplitTable all;
    bool any = false;
    for (const Run& run : search_runs_all({experiment_id}, options)) {
      any = true;
      const auto text = read_artifact_if_present(*this, run.info.run_id, artifact_file);
      if (!text) {
        throw_error(ErrorCode::kResourceDoesNotExist,
                    "Artifact " + artifact_file + " not found for run " + run.info.run_id + ".");
      }
      SplitTable table = table_from_split(*text, "Artifact '" + artifact_file + "'");
      for (const auto& column : extra_columns) {
        bool taken = false;
        for (const auto& c : table.columns) taken |= c == column;
        table.columns.push_back(taken ? column + "_" : column);
        const Json value = run_column(run, column);
        for (auto& row : table.rows) row.push_back(value);
      }
      append_table(all, table);
    }
    if (!any) {
      throw_error(ErrorCode::kResourceDoesNotExist,
                  "No runs found with the corresponding table artifact.");
    }
    return to_split_json(all);
  });
}

}  // namespace mlflow
