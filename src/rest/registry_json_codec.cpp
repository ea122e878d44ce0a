// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/registry_json_codec.hpp"

#include "mlflow/errors.hpp"
#include "rest/json_codec.hpp"

namespace mlflow::internal::json_codec {
namespace {

// Versions are strings on the wire; tolerate a number (protobuf JSON leniency).
std::string version_text(const Json& obj, const char* key) {
  const Json* v = find(obj, key);
  if (!v) return {};
  if (v->is_number_integer()) return std::to_string(v->get<std::int64_t>());
  return decode_string(*v, key);
}

}  // namespace

ModelVersionStatus decode_model_version_status(const Json& value, const std::string& field) {
  if (value.is_number_integer()) {
    const auto n = value.get<std::int64_t>();
    if (n >= 1 && n <= 3) return static_cast<ModelVersionStatus>(n);
    bad_field(field, "1, 2 or 3", value);
  }
  if (!value.is_string()) bad_field(field, "a model version status", value);
  try {
    return model_version_status_from_string(value.get<std::string>());
  } catch (const InvalidArgument&) {
    bad_field(field, "PENDING_REGISTRATION, FAILED_REGISTRATION or READY", value);
  }
}

ModelVersion decode_model_version(const Json& j) {
  require_object(j, "model_version");
  ModelVersion mv;
  mv.name = str_or_empty(j, "name");
  mv.version = version_text(j, "version");
  mv.creation_timestamp = int_or_zero(j, "creation_timestamp");
  mv.last_updated_timestamp = int_or_zero(j, "last_updated_timestamp");
  mv.user_id = str_or_empty(j, "user_id");
  if (const Json* v = find(j, "current_stage")) {
    try {
      mv.current_stage = model_version_stage_from_string(decode_string(*v, "current_stage"));
    } catch (const InvalidArgument&) {
      bad_field("current_stage", "None, Staging, Production or Archived", *v);
    }
  }
  // Python's ModelVersion.from_proto: None when the field is absent.
  if (const Json* v = find(j, "description")) mv.description = decode_string(*v, "description");
  mv.source = str_or_empty(j, "source");
  mv.run_id = str_or_empty(j, "run_id");
  mv.run_link = str_or_empty(j, "run_link");
  if (const Json* v = find(j, "status")) mv.status = decode_model_version_status(*v, "status");
  mv.status_message = str_or_empty(j, "status_message");
  read_key_values(j, "tags", mv.tags);
  for (const Json& a : array_field(j, "aliases")) mv.aliases.push_back(decode_string(a, "aliases"));
  if (const Json* v = find(j, "model_id")) mv.model_id = decode_string(*v, "model_id");
  return mv;
}

RegisteredModel decode_registered_model(const Json& j) {
  require_object(j, "registered_model");
  RegisteredModel rm;
  rm.name = str_or_empty(j, "name");
  rm.creation_timestamp = int_or_zero(j, "creation_timestamp");
  rm.last_updated_timestamp = int_or_zero(j, "last_updated_timestamp");
  // Python's RegisteredModel.from_proto reads the field as is: "" when absent, never None.
  rm.description = str_or_empty(j, "description");
  rm.user_id = str_or_empty(j, "user_id");
  for (const Json& v : array_field(j, "latest_versions")) {
    rm.latest_versions.push_back(decode_model_version(v));
  }
  read_key_values(j, "tags", rm.tags);
  for (const Json& a : array_field(j, "aliases")) {
    require_object(a, "aliases");
    rm.aliases[str_or_empty(a, "alias")] = version_text(a, "version");
  }
  return rm;
}

}  // namespace mlflow::internal::json_codec
