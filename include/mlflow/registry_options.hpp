// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Optional arguments of MlflowClient's model registry calls, as aggregates (Python's keyword
/// arguments).

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlflow {

/// create_registered_model(name, tags=None, description=None)
struct CreateRegisteredModelOptions {
  std::map<std::string, std::string> tags{};
  std::optional<std::string> description{};
};

/// search_registered_models(filter_string, max_results, order_by, page_token)
///
/// Filter grammar as the server's: comparisons joined by AND on `name` and `tags.<key>`
/// (=, !=, LIKE, ILIKE). Prompts (tag `mlflow.prompt.is_prompt` = 'true') are left out unless
/// the filter asks for them with ``tags.`mlflow.prompt.is_prompt` = 'true'``, exactly as the
/// server and Python's SQL store do. order_by: `name`, `timestamp`/`last_updated_timestamp`,
/// each optionally followed by ASC or DESC.
struct SearchRegisteredModelsOptions {
  std::string filter_string{};
  /// 1..1000; Python's default is 100.
  int max_results = 100;
  std::vector<std::string> order_by{};
  std::string page_token{};
};

/// create_model_version(name, source, run_id=None, tags=None, run_link=None, description=None,
/// model_id=None)
struct CreateModelVersionOptions {
  std::optional<std::string> run_id{};
  std::map<std::string, std::string> tags{};
  std::optional<std::string> run_link{};
  std::optional<std::string> description{};
  std::optional<std::string> model_id{};
};

/// search_model_versions(filter_string, max_results, order_by, page_token)
///
/// Filter on `name`, `version_number` (numeric comparators), `run_id` (also IN (...)),
/// `source_path` and `tags.<key>`. Prompt versions are left out unless asked for, as above.
/// order_by: `name`, `version_number`, `creation_timestamp`, `last_updated_timestamp`.
struct SearchModelVersionsOptions {
  std::string filter_string{};
  /// 1..200000; Python's default is 10000.
  int max_results = 10000;
  std::vector<std::string> order_by{};
  std::string page_token{};
};

/// register_model(model_uri, name, tags=None)
struct RegisterModelOptions {
  /// Tags of the new model version.
  std::map<std::string, std::string> tags{};
};

}  // namespace mlflow
