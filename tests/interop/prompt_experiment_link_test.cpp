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
#include "support/python_peer.hpp"
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

struct Steps {
  std::string uri, prefix, e1, e2, e3;
};

// The C++ half on one store: prefix-cpp registered in e1, loaded from the registry in e2 and
// from the cache in e3.
Steps run_cpp(const std::string& uri) {
  mlflow::set_tracking_uri(uri);
  mlflow::set_registry_uri(uri);
  MlflowClient c(uri);
  Steps s{uri, mlflow::testing::unique_name("link"), "", "", ""};
  s.e1 = c.create_experiment(s.prefix + "-e1");
  s.e2 = c.create_experiment(s.prefix + "-e2");
  s.e3 = c.create_experiment(s.prefix + "-e3");
  const std::string name = s.prefix + "-cpp";
  mlflow::set_experiment_by_id(s.e1);
  mlflow::RegisterPromptOptions o;
  o.commit_message = "v1";
  c.register_prompt(name, "Hi {{ who }}", o);
  mlflow::set_experiment_by_id(s.e2);
  mlflow::LoadPromptOptions v1;
  v1.version = 1;
  EXPECT_TRUE(c.load_prompt(name, v1));  // from the registry, then cached
  mlflow::set_experiment_by_id(s.e3);
  EXPECT_TRUE(c.load_prompt(name, v1));  // from the cache: links nothing
  EXPECT_EQ(c.get_prompt(name)->tags.at("_mlflow_experiment_ids"), "," + s.e1 + "," + s.e2 + ",");
  mlflow::internal::reset_fluent_state();
  return s;
}

void check(const Steps& s, const json& py) {
  SCOPED_TRACE(s.uri);
  MlflowClient c(s.uri);
  const std::string expected = "," + s.e1 + "," + s.e2 + ",";
  EXPECT_EQ(py["tags"]["cpp"], expected) << "C++'s tag as Python reads it";
  EXPECT_EQ(py["tags"]["py"], expected) << "Python's own tag for the same steps";
  const std::vector<std::string> both = {s.prefix + "-cpp", s.prefix + "-py"};
  EXPECT_EQ(py["search"][s.e1], json(both));
  EXPECT_EQ(py["search"][s.e2], json(both));
  EXPECT_EQ(py["search"][s.e3], json::array());
  EXPECT_EQ(cpp_search(c, s.e1, s.prefix), both);
  EXPECT_EQ(cpp_search(c, s.e2, s.prefix), both);
  EXPECT_TRUE(cpp_search(c, s.e3, s.prefix).empty());
}

// Both stores, one Python process (its start-up is most of the cost).
TEST(PromptExperimentLink, LinkedAsPythonLinksOnBothStores) {
  const std::vector<Steps> stores = {
      run_cpp(mlflow::testing::server_uri()),
      run_cpp("sqlite:///" + mlflow::testing::make_temp_dir("prompt-link") + "/mlflow.db")};
  std::vector<std::string> args;
  for (const auto& s : stores) args.insert(args.end(), {s.uri, s.prefix, s.e1, s.e2, s.e3});
  const auto py = mlflow::testing::run_command(
      mlflow::testing::python_peer_command("prompt_experiment_link.py", args));
  ASSERT_EQ(py.exit_code, 0) << py.output;
  const json out = json::parse(py.output);
  for (const auto& s : stores) check(s, out.at(s.uri));
}

}  // namespace
