// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Prompts linked to experiments, against Python MLflow 3.18 on the same store (the real server
// and an embedded file): a prompt registered in one experiment and loaded from the registry in
// another carries both ids in `_mlflow_experiment_ids`, byte for byte as the prompt Python
// handles the same way; a load served by the cache links nothing; search_prompts by experiment
// finds both prompts, in C++ and in Python (the experiment's Prompts tab reads the same tag).

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fluent/state.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/test_env.hpp"

namespace {

using mlflow::MlflowClient;
using nlohmann::json;

std::vector<std::string> cpp_search(MlflowClient& c, const std::string& exp,
                                    const std::string& prefix) {
  mlflow::SearchPromptsOptions o;
  o.filter_string = "experiment_id = '" + exp + "' AND name LIKE '" + prefix + "-%'";
  std::vector<std::string> names;
  for (const mlflow::Prompt& p : c.search_prompts_all(o)) names.push_back(p.name);
  std::sort(names.begin(), names.end());
  return names;
}

void check_store(const std::string& uri) {
  mlflow::set_tracking_uri(uri);
  mlflow::set_registry_uri(uri);
  MlflowClient c(uri);
  const std::string prefix = mlflow::testing::unique_name("link");
  const std::string e1 = c.create_experiment(prefix + "-e1");
  const std::string e2 = c.create_experiment(prefix + "-e2");
  const std::string e3 = c.create_experiment(prefix + "-e3");
  const std::string name = prefix + "-cpp";

  mlflow::set_experiment_by_id(e1);
  mlflow::RegisterPromptOptions o;
  o.commit_message = "v1";
  c.register_prompt(name, "Hi {{ who }}", o);
  mlflow::set_experiment_by_id(e2);
  mlflow::LoadPromptOptions v1;
  v1.version = 1;
  ASSERT_TRUE(c.load_prompt(name, v1));  // from the registry, then cached
  mlflow::set_experiment_by_id(e3);
  ASSERT_TRUE(c.load_prompt(name, v1));  // from the cache: links nothing
  const std::string expected = "," + e1 + "," + e2 + ",";
  EXPECT_EQ(c.get_prompt(name)->tags.at("_mlflow_experiment_ids"), expected);

  const auto py = mlflow::testing::run_command("'" + mlflow::testing::mlflow_python() + "' '" +
                                               mlflow::testing::source_dir() +
                                               "/tests/interop/prompt_experiment_link.py' '" + uri +
                                               "' " + prefix + " " + e1 + " " + e2 + " " + e3);
  ASSERT_EQ(py.exit_code, 0) << py.output;
  const json out = json::parse(py.output);
  EXPECT_EQ(out["tags"]["cpp"], expected) << "C++'s tag as Python reads it";
  EXPECT_EQ(out["tags"]["py"], expected) << "Python's own tag for the same steps";
  const std::vector<std::string> both = {prefix + "-cpp", prefix + "-py"};
  EXPECT_EQ(out["search"][e1], json(both));
  EXPECT_EQ(out["search"][e2], json(both));
  EXPECT_EQ(out["search"][e3], json::array());
  EXPECT_EQ(cpp_search(c, e1, prefix), both);
  EXPECT_EQ(cpp_search(c, e2, prefix), both);
  EXPECT_TRUE(cpp_search(c, e3, prefix).empty());
  mlflow::internal::reset_fluent_state();
}

TEST(PromptExperimentLink, OnTheServerAsPythonLinks) { check_store(mlflow::testing::server_uri()); }

TEST(PromptExperimentLink, OnTheEmbeddedStoreAsPythonLinks) {
  check_store("sqlite:///" + mlflow::testing::make_temp_dir("prompt-link") + "/mlflow.db");
}

}  // namespace
