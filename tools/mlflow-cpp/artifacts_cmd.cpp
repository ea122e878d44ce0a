// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp artifacts ...`: log (a file or a directory's contents), list, download. A progress
// line on stderr while a transfer runs, only when stderr is a terminal.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "args.hpp"
#include "commands.hpp"
#include "entity_json.hpp"
#include "output.hpp"

namespace mlflow_cli {
namespace {

using mlflow::JsonValue;

struct ArtifactArgs {
  std::string run_id;
  std::string local_path;
  std::string artifact_path;
  std::string dst;
};

mlflow::ArtifactTransferOptions transfer_options() {
  mlflow::ArtifactTransferOptions options;
  if (::isatty(STDERR_FILENO) != 0) {
    options.progress = [](const mlflow::ArtifactProgress& p) {
      std::cerr << "\r" << p.files_done << "/" << p.files_total << " files, " << p.bytes_done / 1024
                << "/" << p.bytes_total / 1024 << " KiB" << std::flush;
      if (p.files_total > 0 && p.files_done == p.files_total) std::cerr << '\n';
    };
  }
  return options;
}

}  // namespace

void add_artifacts_commands(CLI::App& app, Context& context) {
  auto* group = add_group(app, "artifacts", "Upload, list and download a run's artifacts");
  auto args = std::make_shared<ArtifactArgs>();

  auto* log = add_command(*group, "log",
                          "Upload a file, or the files below a directory, to the run's artifacts",
                          "mlflow-cpp artifacts log -r $RUN results/ -p outputs");
  add_run_id_option(*log, args->run_id);
  log->add_option("local_path", args->local_path, "File or directory")
      ->required()
      ->check(CLI::ExistingPath);
  log->add_option("-p,--artifact-path", args->artifact_path, "Directory inside the artifacts");
  log->callback([&context, args] {
    const std::string run_id = run_id_or_env(args->run_id);
    if (std::filesystem::is_directory(args->local_path)) {
      context.client().log_artifacts(run_id, args->local_path, args->artifact_path,
                                     transfer_options());
    } else {
      context.client().log_artifact(run_id, args->local_path, args->artifact_path,
                                    transfer_options());
    }
    emit(context,
         JsonValue::object({{"run_id", run_id},
                            {"local_path", args->local_path},
                            {"artifact_path", args->artifact_path}}),
         "Uploaded " + args->local_path + " to run " + run_id + ".");
  });

  auto* list = add_command(*group, "list", "List the artifacts directly under a path",
                           "mlflow-cpp artifacts list -r $RUN -p outputs --json");
  add_run_id_option(*list, args->run_id);
  list->add_option("-p,--artifact-path", args->artifact_path, "Directory (default: the root)");
  list->callback([&context, args] {
    const auto files =
        context.client().list_artifacts(run_id_or_env(args->run_id), args->artifact_path);
    Table table({"Path", "Type", "Size"});
    for (const auto& f : files) {
      table.add(
          {f.path, f.is_dir ? "dir" : "file", f.file_size ? std::to_string(*f.file_size) : ""});
    }
    emit(context, json_array(files, file_info_json), table);
  });

  auto* download = add_command(*group, "download", "Download a file or directory; prints where",
                               "mlflow-cpp artifacts download -r $RUN -p model -d ./out");
  add_run_id_option(*download, args->run_id);
  download->add_option("-p,--artifact-path", args->artifact_path,
                       "File or directory (default: all)");
  download->add_option("-d,--dst-path", args->dst,
                       "Local directory (default: a new temporary one)");
  download->callback([&context, args] {
    const std::string local = context.client().download_artifacts(
        run_id_or_env(args->run_id), args->artifact_path, args->dst, transfer_options());
    emit(context, JsonValue::object({{"local_path", local}}), local);
  });
}

}  // namespace mlflow_cli
