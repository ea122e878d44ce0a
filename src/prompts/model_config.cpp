// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// PromptModelConfig <-> the `_mlflow_prompt_model_config` tag, as PromptModelConfig.to_dict()
// and from_dict() of Python MLflow 3.18 write and read it.
#include <cmath>

#include "mlflow/errors.hpp"
#include "mlflow/prompt.hpp"
#include "prompts/python_json.hpp"

namespace mlflow {
namespace {

[[noreturn]] void bad(const std::string& what) {
  throw InvalidArgument(ErrorCode::kInvalidParameterValue, "Invalid prompt model config: " + what);
}

double read_float(const nlohmann::ordered_json& v, const char* key) {
  if (!v.is_number()) bad(std::string(key) + " must be a number, got " + v.dump());
  return v.get<double>();
}

std::int64_t read_int(const nlohmann::ordered_json& v, const char* key) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  // pydantic's lax mode accepts a float with no fractional part for an int field.
  if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>() &&
      std::fabs(v.get<double>()) < 9.2e18) {
    return static_cast<std::int64_t>(v.get<double>());
  }
  bad(std::string(key) + " must be an integer, got " + v.dump());
}

std::string read_text(const nlohmann::ordered_json& v, const char* key) {
  if (!v.is_string()) bad(std::string(key) + " must be a string");
  return v.get<std::string>();
}

// The typed fields of the config and their keys in the JSON (stop_sequences and extra_params
// are read on their own).
template <typename T>
struct Field {
  const char* key;
  std::optional<T> PromptModelConfig::*member;
};
constexpr Field<std::string> kTextFields[] = {{"provider", &PromptModelConfig::provider},
                                              {"model_name", &PromptModelConfig::model_name}};
constexpr Field<double> kFloatFields[] = {
    {"temperature", &PromptModelConfig::temperature},
    {"top_p", &PromptModelConfig::top_p},
    {"frequency_penalty", &PromptModelConfig::frequency_penalty},
    {"presence_penalty", &PromptModelConfig::presence_penalty}};
constexpr Field<std::int64_t> kIntFields[] = {{"max_tokens", &PromptModelConfig::max_tokens},
                                              {"top_k", &PromptModelConfig::top_k}};

// Reads `v` into the field of `fields` named `key` with `read`; false when none is named so.
template <typename T, std::size_t N, typename Read>
bool read_field(const Field<T> (&fields)[N], const std::string& key,
                const nlohmann::ordered_json& v, Read read, PromptModelConfig& config) {
  for (const Field<T>& field : fields) {
    if (key == field.key) {
      if (!v.is_null()) config.*field.member = read(v, field.key);  // None: to_dict() drops it
      return true;
    }
  }
  return false;
}

}  // namespace

void PromptModelConfig::validate() const {
  if (temperature && !(*temperature >= 0)) bad("temperature must be >= 0");
  if (max_tokens && *max_tokens <= 0) bad("max_tokens must be > 0");
  if (top_p && !(*top_p >= 0 && *top_p <= 1)) bad("top_p must be between 0 and 1");
  if (top_k && *top_k <= 0) bad("top_k must be > 0");
  for (const auto& [key, json] : extra_params) {
    (void)internal::pyjson::parse(json, ("model config extra param '" + key + "'").c_str());
  }
}

std::string PromptModelConfig::to_json() const {
  validate();
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (provider) out["provider"] = *provider;
  if (model_name) out["model_name"] = *model_name;
  if (temperature) out["temperature"] = *temperature;
  if (max_tokens) out["max_tokens"] = *max_tokens;
  if (top_p) out["top_p"] = *top_p;
  if (top_k) out["top_k"] = *top_k;
  if (frequency_penalty) out["frequency_penalty"] = *frequency_penalty;
  if (presence_penalty) out["presence_penalty"] = *presence_penalty;
  if (stop_sequences) out["stop_sequences"] = *stop_sequences;
  // dict.update: a key already present keeps its position and takes the new value.
  for (const auto& [key, json] : extra_params) {
    out[key] = internal::pyjson::parse(json, ("model config extra param '" + key + "'").c_str());
  }
  return internal::pyjson::dumps(out);
}

PromptModelConfig PromptModelConfig::from_json(const std::string& json_text) {
  const auto j = internal::pyjson::parse(json_text, "The prompt model config");
  if (!j.is_object()) bad("expected a JSON object, got " + json_text.substr(0, 100));
  PromptModelConfig c;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const auto& v = it.value();
    if (read_field(kTextFields, key, v, read_text, c) ||
        read_field(kFloatFields, key, v, read_float, c) ||
        read_field(kIntFields, key, v, read_int, c)) {
      continue;
    }
    if (key == "stop_sequences") {
      if (v.is_null()) continue;  // None is what to_dict() drops; from_dict() of a null too.
      if (!v.is_array()) bad("stop_sequences must be a list of strings");
      std::vector<std::string> stops;
      for (const auto& s : v) {
        if (!s.is_string()) bad("stop_sequences must be a list of strings");
        stops.push_back(s.get<std::string>());
      }
      c.stop_sequences = std::move(stops);
    } else {
      c.extra_params.emplace_back(key, internal::pyjson::dumps(v));
    }
  }
  return c;
}

bool operator==(const PromptModelConfig& a, const PromptModelConfig& b) noexcept {
  return a.provider == b.provider && a.model_name == b.model_name &&
         a.temperature == b.temperature && a.max_tokens == b.max_tokens && a.top_p == b.top_p &&
         a.top_k == b.top_k && a.frequency_penalty == b.frequency_penalty &&
         a.presence_penalty == b.presence_penalty && a.stop_sequences == b.stop_sequences &&
         a.extra_params == b.extra_params;
}

}  // namespace mlflow
