// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/sync_dump.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "mlflow/sync.hpp"

namespace mlflow::testing {
namespace {

using nlohmann::json;

json point_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

void files(MlflowClient& client, const std::string& run_id, const std::string& path, json& out) {
  for (const auto& f : client.list_artifacts(run_id, path)) {
    if (f.is_dir) {
      files(client, run_id, f.path, out);
    } else {
      out.push_back(json::array({f.path, f.file_size.value_or(0)}));
    }
  }
}

json dump_run(MlflowClient& client, const Run& run,
              const std::map<std::string, std::string>& key_of) {
  auto tags = run.data.tags;
  tags.erase(kSyncSourceRunIdTag);
  const auto parent = tags.find("mlflow.parentRunId");
  if (parent != tags.end()) {
    const auto key = key_of.find(parent->second);
    parent->second = key != key_of.end() ? key->second : "unknown:" + parent->second;
  }
  json metrics = json::object();
  for (const auto& [key, latest] : run.data.metrics) {
    (void)latest;
    std::vector<std::tuple<std::int64_t, std::int64_t, std::string>> points;
    for (const auto& p : client.get_metric_history(run.info.run_id, key)) {
      points.emplace_back(p.step, p.timestamp, point_value(p.value).dump());
    }
    std::sort(points.begin(), points.end());
    json list = json::array();
    for (const auto& [step, ts, value] : points) list.push_back(json::array({step, ts, value}));
    metrics[key] = list;
  }
  std::vector<std::string> inputs;
  for (const auto& d : run.inputs.dataset_inputs) {
    json tags_json = json::array();
    for (const auto& t : d.tags) tags_json.push_back(json::array({t.key, t.value}));
    inputs.push_back(json{
        {"name", d.dataset.name},
        {"digest", d.dataset.digest},
        {"source_type", d.dataset.source_type},
        {"source", d.dataset.source},
        {"tags",
         tags_json}}.dump());
  }
  std::sort(inputs.begin(), inputs.end());
  json artifacts = json::array();
  files(client, run.info.run_id, "", artifacts);
  std::sort(artifacts.begin(), artifacts.end());
  return json{{"run_name", run.info.run_name},
              {"user_id", run.info.user_id},
              {"status", static_cast<int>(run.info.status)},
              {"start_time", run.info.start_time},
              {"end_time", run.info.end_time ? json(*run.info.end_time) : json()},
              {"params", run.data.params},
              {"tags", tags},
              {"metrics", metrics},
              {"inputs", inputs},
              {"artifacts", artifacts}};
}

}  // namespace

json sync_dump(MlflowClient& client, const std::string& experiment_name, bool copy) {
  const auto experiment = client.get_experiment_by_name(experiment_name);
  if (!experiment) return nullptr;
  SearchRunsOptions all;
  all.run_view_type = ViewType::kAll;
  const auto runs = client.search_runs_all({experiment->experiment_id}, all).to_vector();
  json out{{"runs", json::object()},
           {"untagged", json::array()},
           {"duplicates", json::array()},
           {"tags", experiment->tags}};
  std::map<std::string, std::string> key_of;
  std::set<std::string> keys;
  for (const auto& run : runs) {
    std::string key = run.info.run_id;
    if (copy) {
      const auto tag = run.data.tags.find(kSyncSourceRunIdTag);
      if (tag == run.data.tags.end()) {
        out["untagged"].push_back(run.info.run_id);
        continue;
      }
      key = tag->second;
    }
    if (!keys.insert(key).second) out["duplicates"].push_back(key);
    key_of[run.info.run_id] = key;
  }
  for (const auto& run : runs) {
    const auto key = key_of.find(run.info.run_id);
    if (key != key_of.end()) out["runs"][key->second] = dump_run(client, run, key_of);
  }
  return out;
}

}  // namespace mlflow::testing
