// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Python links in a background thread; here the link is made before the prompt call returns
// (no thread to outlive the client or the process), at the same cost in requests: see
// docs/adr/0018-registry-prompt-boundary.md.
#include "client/prompt_experiment_link.hpp"

#include <exception>
#include <vector>

#include "client/registry_validation.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "fluent/state.hpp"
#include "mlflow/registered_model.hpp"
#include "store/registry_store.hpp"

namespace mlflow::internal {

std::optional<std::string> add_experiment_id(const std::string& existing,
                                             const std::string& experiment_id) {
  // existing.rstrip(",").lstrip(","), split on ",", items stripped, empty ones dropped.
  std::size_t begin = existing.find_first_not_of(',');
  std::size_t end = existing.find_last_not_of(',');
  const std::string inner =
      begin == std::string::npos ? std::string() : existing.substr(begin, end - begin + 1);
  std::vector<std::string> ids;
  std::size_t start = 0;
  while (start <= inner.size()) {
    const std::size_t comma = inner.find(',', start);
    const std::string item =
        trim(inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) ids.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (const auto& id : ids) {
    if (id == experiment_id) return std::nullopt;
  }
  ids.push_back(experiment_id);
  std::string out = ",";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i == 0 ? "" : ",") + ids[i];
  return out + ",";
}

void link_prompt_to_current_experiment(RegistryStore& store, const std::string& name,
                                       const std::map<std::string, std::string>* prompt_tags) {
  std::string experiment_id;
  try {
    experiment_id = resolve_experiment_id();
    std::map<std::string, std::string> read;
    if (prompt_tags == nullptr) {
      read = store.get_registered_model(name).tags;
      prompt_tags = &read;
    }
    // Python reads the tags with get_prompt, which has nothing unless the marker is "true".
    const auto marker = prompt_tags->find(kIsPromptTag);
    if (marker == prompt_tags->end() || marker->second != "true") return;
    const auto it = prompt_tags->find(kPromptExperimentIdsTag);
    const auto value =
        add_experiment_id(it == prompt_tags->end() ? std::string() : it->second, experiment_id);
    if (value) store.set_registered_model_tag(name, {kPromptExperimentIdsTag, *value});
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, "Failed to tag prompt '" + name + "' with experiment ID " +
                                experiment_id + ". Error: " + e.what());
  }
}

}  // namespace mlflow::internal
