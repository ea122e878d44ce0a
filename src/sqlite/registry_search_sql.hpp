// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The model registry's search grammar translated to SQL over MLflow's registry tables, with
// the semantics of MLflow 3.18's SqlAlchemyStore: tag filters per key on one tag row, prompts
// (tag mlflow.prompt.is_prompt = 'true') left out unless the filter asks for them, MLflow's
// orderings and tiebreaks, offset page tokens. Every user value travels as a bind parameter.

#include <cstdint>
#include <string>
#include <vector>

#include "sqlite/search_sql.hpp"

namespace mlflow::internal::sqlite_search {

/// SELECT rm.name FROM registered_models rm ... for one page (`limit` = max_results + 1).
SqlQuery build_search_registered_models_query(const std::string& filter,
                                              const std::vector<std::string>& order_by,
                                              std::int64_t offset, std::int64_t limit);

/// SELECT mv.name, mv.version FROM model_versions mv ... (deleted versions left out).
SqlQuery build_search_model_versions_query(const std::string& filter,
                                           const std::vector<std::string>& order_by,
                                           std::int64_t offset, std::int64_t limit);

}  // namespace mlflow::internal::sqlite_search
