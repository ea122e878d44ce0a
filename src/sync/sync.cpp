// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// mlflow::sync (docs/adr/0025-sync.md). Every write is a call of the public MlflowClient on
// the destination; the order inside a run (create with the source-id tag, params and tags,
// metrics, inputs, artifacts, status last) makes each step safe to repeat after a kill.

#include "mlflow/sync.hpp"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include "store/batching.hpp"
#include "sync/sync_state.hpp"

namespace mlflow {
namespace {

namespace fs = std::filesystem;
using internal::sync::KeyMark;
using internal::sync::RunMarks;
using internal::sync::SyncState;

constexpr const char* kParentRunIdTag = "mlflow.parentRunId";

// A directory removed with everything in it when the scope ends.
class StagingDir {
 public:
  StagingDir() {
    std::string templ = (fs::temp_directory_path() / "mlflow-sync-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      throw_error(ErrorCode::kIoError, "Cannot create a temporary directory for artifacts");
    }
    path_ = templ;
  }
  ~StagingDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Every file below `path` of a run's artifacts: path -> size (0 for a size a server omits).
void list_files(MlflowClient& client, const std::string& run_id, const std::string& path,
                std::map<std::string, std::int64_t>& out) {
  for (const auto& f : client.list_artifacts(run_id, path)) {
    if (f.is_dir) {
      list_files(client, run_id, f.path, out);
    } else {
      out[f.path] = f.file_size.value_or(0);
    }
  }
}

// A point as the destination should store it: the logged-model and dataset links name
// entities sync does not copy.
Metric plain_point(const Metric& m) { return Metric{m.key, m.value, m.timestamp, m.step}; }

class Syncer {
 public:
  Syncer(MlflowClient& source, MlflowClient& destination, const SyncOptions& options)
      : src_(source),
        dst_(destination),
        options_(options),
        state_(options.state_path.empty() ? internal::sync::default_state_path(
                                                source.tracking_uri(), destination.tracking_uri())
                                          : options.state_path) {
    summary_.dry_run = options.dry_run;
  }

  SyncSummary run() {
    struct Pair {
      Experiment source;
      std::optional<Experiment> destination;
    };
    std::vector<Pair> pairs;
    for (auto& experiment : source_experiments()) {
      auto destination = destination_experiment(experiment);
      if (!destination && !summary_.dry_run) continue;  // conflict reported
      pairs.push_back({std::move(experiment), std::move(destination)});
    }
    std::vector<std::vector<Run>> runs(pairs.size());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      runs[i] = src_.search_runs_all({pairs[i].source.experiment_id}).to_vector();
      progress_.runs_total += static_cast<std::int64_t>(runs[i].size());
    }
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      sync_experiment_runs(pairs[i].destination, runs[i]);
    }
    progress_.run_id.clear();
    report_progress();
    return summary_;
  }

 private:
  MlflowClient& src_;
  MlflowClient& dst_;
  const SyncOptions& options_;
  SyncState state_;
  SyncSummary summary_;
  SyncProgress progress_;

  // Of the experiment being synced.
  std::map<std::string, const Run*> source_runs_;
  std::map<std::string, Run> destination_by_source_;
  std::map<std::string, std::string> destination_id_of_;
  std::set<std::string> visited_;

  void conflict(std::string kind, std::string name, std::string detail, std::string resolution) {
    summary_.conflicts.push_back(
        {std::move(kind), std::move(name), std::move(detail), std::move(resolution)});
  }

  void report_progress() {
    if (options_.progress) options_.progress(progress_);
  }

  // After each write the destination acknowledged.
  void acknowledged() {
    ++summary_.writes;
    progress_.writes = summary_.writes;
    report_progress();
  }

  std::vector<Experiment> source_experiments() {
    if (options_.experiment_names.empty()) return src_.search_experiments_all().to_vector();
    std::vector<Experiment> found;
    for (const auto& name : options_.experiment_names) {
      auto experiment = src_.get_experiment_by_name(name);
      if (!experiment || experiment->lifecycle_stage != "active") {
        throw_error(
            ErrorCode::kResourceDoesNotExist,
            "Experiment '" + name + "' does not exist at the source " + src_.tracking_uri());
      }
      found.push_back(std::move(*experiment));
    }
    return found;
  }

  // The destination experiment of the same name, created when missing (an empty Experiment in
  // a dry run); std::nullopt when it cannot receive runs.
  std::optional<Experiment> destination_experiment(const Experiment& source) {
    auto destination = dst_.get_experiment_by_name(source.name);
    if (destination && destination->lifecycle_stage != "active") {
      conflict("experiment", source.name, "deleted at the destination",
               "skipped; restore it there (or rename one side) to sync it");
      return std::nullopt;
    }
    if (!destination) {
      ++summary_.experiments_created;
      if (summary_.dry_run) return Experiment{};
      CreateExperimentOptions create;
      create.tags = source.tags;
      const std::string id = dst_.create_experiment(source.name, create);
      acknowledged();
      return dst_.get_experiment(id);
    }
    for (const auto& [key, value] : source.tags) {
      const auto have = destination->tags.find(key);
      if (have == destination->tags.end()) {
        if (!summary_.dry_run) {
          dst_.set_experiment_tag(destination->experiment_id, key, value);
          acknowledged();
        }
      } else if (have->second != value) {
        conflict("experiment", source.name, "tag '" + key + "' differs",
                 "kept the destination's value");
      }
    }
    return destination;
  }

  void sync_experiment_runs(const std::optional<Experiment>& destination,
                            const std::vector<Run>& runs) {
    source_runs_.clear();
    destination_by_source_.clear();
    for (const auto& r : runs) source_runs_[r.info.run_id] = &r;
    if (destination && !destination->experiment_id.empty()) {
      SearchRunsOptions all;
      all.run_view_type = ViewType::kAll;
      for (auto& r : dst_.search_runs_all({destination->experiment_id}, all)) {
        const auto tag = r.data.tags.find(kSyncSourceRunIdTag);
        if (tag == r.data.tags.end()) continue;
        if (destination_by_source_.count(tag->second) != 0) {
          conflict("run", tag->second, "copied to more than one destination run",
                   "synced into " + destination_by_source_[tag->second].info.run_id);
          continue;
        }
        destination_by_source_[tag->second] = std::move(r);
      }
    }
    std::vector<const Run*> order;
    for (const auto& r : runs) order.push_back(&r);
    std::stable_sort(order.begin(), order.end(), [](const Run* a, const Run* b) {
      return a->info.start_time < b->info.start_time;
    });
    for (const Run* r : order) sync_run(destination ? destination->experiment_id : "", *r);
  }

  // The tags the destination run must carry: the source's, with the parent link pointing at
  // the parent's copy and the source-id tag set.
  std::map<std::string, std::string> wanted_tags(const Run& source) {
    auto tags = source.data.tags;
    tags[kSyncSourceRunIdTag] = source.info.run_id;
    const auto parent = tags.find(kParentRunIdTag);
    if (parent != tags.end()) {
      const auto copy = destination_id_of_.find(parent->second);
      if (copy != destination_id_of_.end()) {
        parent->second = copy->second;
      } else if (!summary_.dry_run) {
        conflict("parent", source.info.run_id,
                 "parent run " + parent->second + " is not in the synced experiments",
                 "left out the parent link; sync the parent's experiment too");
        tags.erase(parent);
      }
    }
    return tags;
  }

  void sync_run(const std::string& experiment_id, const Run& source) {
    const std::string& source_id = source.info.run_id;
    if (!visited_.insert(source_id).second) return;
    // A parent first, so that its copy's id is known for the child's link.
    const auto parent = source.data.tags.find(kParentRunIdTag);
    if (parent != source.data.tags.end()) {
      const auto in_experiment = source_runs_.find(parent->second);
      if (in_experiment != source_runs_.end()) sync_run(experiment_id, *in_experiment->second);
    }
    progress_.run_id = source_id;
    ++summary_.runs_seen;
    const std::int64_t writes_before = summary_.writes;

    const auto tags = wanted_tags(source);
    Run destination;
    bool created = false;
    const auto found = destination_by_source_.find(source_id);
    if (found != destination_by_source_.end()) {
      destination = found->second;
      if (destination.info.lifecycle_stage != "active") {
        conflict("run", source_id, "its copy " + destination.info.run_id + " is deleted",
                 "skipped; restore the copy to sync it again");
        ++progress_.runs_done;
        return;
      }
      destination_id_of_[source_id] = destination.info.run_id;
    } else {
      created = true;
      ++summary_.runs_created;
      if (!summary_.dry_run) {
        CreateRunOptions create;
        create.start_time = source.info.start_time;
        create.run_name = source.info.run_name;
        create.tags = tags;
        destination = dst_.create_run(experiment_id, create);
        acknowledged();
        destination_id_of_[source_id] = destination.info.run_id;
      }
    }
    sync_params_and_tags(source, tags, destination);
    sync_metrics(source, destination, created);
    sync_inputs(source, destination);
    sync_artifacts(source, destination, created);
    sync_status(source, destination);

    if (!created && summary_.writes > writes_before) ++summary_.runs_updated;
    ++progress_.runs_done;
  }

  void send(const std::string& run_id, const std::vector<Metric>& metrics,
            const std::vector<Param>& params, const std::vector<RunTag>& tags) {
    if (summary_.dry_run) return;
    for (const auto& chunk : internal::split_batch(metrics, params, tags)) {
      dst_.log_batch(run_id, {chunk.metrics.begin(), chunk.metrics.end()},
                     {chunk.params.begin(), chunk.params.end()},
                     {chunk.tags.begin(), chunk.tags.end()});
      acknowledged();
    }
  }

  void sync_params_and_tags(const Run& source, const std::map<std::string, std::string>& wanted,
                            const Run& destination) {
    std::vector<Param> params;
    for (const auto& [key, value] : source.data.params) {
      const auto have = destination.data.params.find(key);
      if (have == destination.data.params.end()) {
        params.push_back({key, value});
      } else if (have->second != value) {
        conflict("param", source.info.run_id + " " + key,
                 "'" + value + "' at the source, '" + have->second + "' at the destination",
                 "kept the destination's value (MLflow params cannot change)");
      }
    }
    std::vector<RunTag> tags;
    for (const auto& [key, value] : wanted) {
      const auto have = destination.data.tags.find(key);
      if (have == destination.data.tags.end() || have->second != value)
        tags.push_back({key, value});
    }
    summary_.params += static_cast<std::int64_t>(params.size());
    summary_.tags += static_cast<std::int64_t>(tags.size());
    send(destination.info.run_id, {}, params, tags);
  }

  void sync_metrics(const Run& source, const Run& destination, bool created) {
    const std::string& source_id = source.info.run_id;
    const std::string& destination_id = destination.info.run_id;
    const RunMarks* marks = created ? nullptr : state_.find(source_id, destination_id);
    std::vector<Metric> points;
    std::map<std::string, KeyMark> new_marks;
    for (const auto& [key, latest] : source.data.metrics) {
      (void)latest;
      const auto history = src_.get_metric_history(source_id, key);
      const KeyMark mark = internal::sync::mark_of(history);
      std::optional<std::vector<Metric>> missing;
      if (marks != nullptr) {
        const auto old = marks->metrics.find(key);
        if (old != marks->metrics.end()) {
          if (old->second.high_water == mark.high_water && old->second.count == mark.count) {
            continue;  // nothing new since the last sync
          }
          missing = internal::sync::points_after(history, old->second);
        }
      }
      if (!missing) {
        missing = created || destination.data.metrics.count(key) == 0
                      ? history
                      : internal::sync::points_missing(
                            history, dst_.get_metric_history(destination_id, key));
      }
      for (const auto& m : *missing) points.push_back(plain_point(m));
      new_marks[key] = mark;
    }
    summary_.metric_points += static_cast<std::int64_t>(points.size());
    send(destination_id, points, {}, {});
    if (summary_.dry_run || new_marks.empty()) return;
    for (const auto& [key, mark] : new_marks) state_.set_mark(source_id, destination_id, key, mark);
    state_.save();
  }

  void sync_inputs(const Run& source, const Run& destination) {
    std::vector<DatasetInput> missing;
    for (const auto& input : source.inputs.dataset_inputs) {
      const auto& have = destination.inputs.dataset_inputs;
      if (std::find(have.begin(), have.end(), input) == have.end()) missing.push_back(input);
    }
    if (missing.empty()) return;
    summary_.dataset_inputs += static_cast<std::int64_t>(missing.size());
    if (summary_.dry_run) return;
    dst_.log_inputs(destination.info.run_id, missing);
    acknowledged();
  }

  void sync_artifacts(const Run& source, const Run& destination, bool created) {
    std::map<std::string, std::int64_t> source_files;
    std::map<std::string, std::int64_t> destination_files;
    list_files(src_, source.info.run_id, "", source_files);
    if (!created) list_files(dst_, destination.info.run_id, "", destination_files);
    std::vector<std::string> missing;
    for (const auto& [path, size] : source_files) {
      const auto have = destination_files.find(path);
      if (have != destination_files.end() && have->second == size) continue;
      if (have != destination_files.end()) {
        conflict("artifact", source.info.run_id + " " + path,
                 std::to_string(size) + " bytes at the source, " + std::to_string(have->second) +
                     " at the destination",
                 "uploaded the source's file again");
      }
      missing.push_back(path);
      summary_.artifact_bytes += size;
    }
    summary_.artifact_files += static_cast<std::int64_t>(missing.size());
    if (missing.empty() || summary_.dry_run) return;
    ArtifactTransferOptions transfer;
    transfer.max_parallel_files = options_.max_parallel_files;
    StagingDir staging;
    std::string upload_dir;
    if (missing.size() == source_files.size()) {
      // Everything: a local source hands over its own directory without copying.
      upload_dir = src_.download_artifacts(source.info.run_id, "", "", transfer);
      if (!fs::is_directory(upload_dir)) {
        upload_dir = src_.download_artifacts(source.info.run_id, "", staging.path(), transfer);
      }
    } else {
      for (const auto& path : missing) {
        const fs::path parent = fs::path(staging.path()) / fs::path(path).parent_path();
        fs::create_directories(parent);
        src_.download_artifacts(source.info.run_id, path, parent.string(), transfer);
      }
      upload_dir = staging.path();
    }
    dst_.log_artifacts(destination.info.run_id, upload_dir, "", transfer);
    acknowledged();
  }

  void sync_status(const Run& source, const Run& destination) {
    const auto& info = source.info;
    if (!destination.info.run_id.empty() && destination.info.run_name != info.run_name &&
        !info.run_name.empty()) {
      if (!summary_.dry_run) {
        UpdateRunOptions update;
        update.name = info.run_name;
        dst_.update_run(destination.info.run_id, update);
        acknowledged();
      }
    }
    if (info.status == RunStatus::kRunning || info.status == RunStatus::kScheduled) return;
    if (destination.info.status == info.status && destination.info.end_time == info.end_time) {
      return;
    }
    ++summary_.runs_terminated;
    if (summary_.dry_run) return;
    SetTerminatedOptions terminated;
    terminated.status = info.status;
    terminated.end_time = info.end_time;
    dst_.set_terminated(destination.info.run_id, terminated);
    acknowledged();
  }
};

}  // namespace

SyncSummary sync(MlflowClient& source, MlflowClient& destination, const SyncOptions& options) {
  return Syncer(source, destination, options).run();
}

SyncSummary sync(const std::string& source_uri, const std::string& destination_uri,
                 const SyncOptions& options) {
  MlflowClient source(source_uri);
  MlflowClient destination(destination_uri);
  return sync(source, destination, options);
}

}  // namespace mlflow
