// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// Quickstart: create an experiment and a run, log params, a loss curve with steps and tags,
// end the run, then search it back and print what was found.
//
// The tracking store comes from MLFLOW_TRACKING_URI (an MLflow server such as
// http://127.0.0.1:5000) or, when unset, the embedded default sqlite:///mlflow.db.
#include <cmath>
#include <iostream>

#include "mlflow/mlflow.hpp"

int main() {
  try {
    mlflow::MlflowClient client;  // MLFLOW_TRACKING_URI, else sqlite:///mlflow.db
    std::cout << "Tracking URI: " << client.tracking_uri() << "\n";

    // [quickstart-experiment]
    const std::string name = "quickstart";
    std::string experiment_id;
    if (auto existing = client.get_experiment_by_name(name)) {
      experiment_id = existing->experiment_id;
    } else {
      experiment_id = client.create_experiment(name);
    }
    // [quickstart-experiment]

    // [quickstart-run]
    mlflow::CreateRunOptions run_options;
    run_options.run_name = "cpp-quickstart";
    run_options.tags = {{"framework", "plain-c++"}};
    const mlflow::Run run = client.create_run(experiment_id, run_options);
    const std::string& run_id = run.info.run_id;

    client.log_param(run_id, "learning_rate", "0.05");
    client.log_param(run_id, "epochs", "20");
    std::vector<mlflow::Metric> curve;
    for (int step = 0; step < 20; ++step) {
      const double loss = std::exp(-0.15 * step) + 0.01 * (step % 3);
      curve.push_back({"loss", loss, 1700000000000 + step, step});
    }
    client.log_batch(run_id, curve);
    client.set_tag(run_id, "stage", "demo");
    client.set_terminated(run_id);  // FINISHED
    // [quickstart-run]

    // [quickstart-search]
    mlflow::SearchRunsOptions search;
    search.filter_string = "params.learning_rate = '0.05' and metrics.loss < 1";
    search.order_by = {"metrics.loss ASC"};
    for (const mlflow::Run& found : client.search_runs({experiment_id}, search)) {
      std::cout << "run " << found.info.run_id << " (" << found.info.run_name << ") "
                << mlflow::to_string(found.info.status) << " loss=" << found.data.metrics.at("loss")
                << " points=" << client.get_metric_history(found.info.run_id, "loss").size()
                << "\n";
    }
    // [quickstart-search]
    std::cout << "Logged run " << run_id << " in experiment " << experiment_id << "\n";
    return 0;
  } catch (const mlflow::MlflowException& e) {
    std::cerr << "mlflow error (" << mlflow::error_code_name(e.error_code()) << "): " << e.what()
              << "\n";
    return 1;
  }
}
