// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// JSON <-> entity conversion for MLflow's REST wire format (protobuf JSON as MLflow emits it),
// and the one set of field readers every REST store decodes answers with.
// Encoding follows what MLflow's Python client sends: int64 as JSON numbers, enums by name,
// optional fields omitted (metrics, with their NaN/Infinity rule, are written by json_writer).
// Decoding is lenient in the ways protobuf JSON is (int64 as number or decimal string, enums
// as name or number, unknown fields ignored, every field optional, null treated as absent) and
// strict otherwise: a field of the wrong type throws MlflowException (UNPARSEABLE_HTTP_ERROR)
// naming the field, rather than silently reading a default.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "mlflow/dataset.hpp"
#include "mlflow/experiment.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/model_version.hpp"
#include "mlflow/paged_list.hpp"
#include "mlflow/param.hpp"
#include "mlflow/registered_model.hpp"
#include "mlflow/run.hpp"
#include "mlflow/run_status.hpp"
#include "mlflow/tag.hpp"
#include "mlflow/view_type.hpp"

namespace mlflow::internal::json_codec {

using Json = nlohmann::json;

// ---- scalars ----
/// Accepts a JSON number, "NaN", "Infinity", "-Infinity" or a decimal string. `field` names
/// the value in error messages.
double decode_double(const Json& value, const std::string& field);
/// The JSON value of json_text::append_double's rule (a number, or "NaN" / "Infinity" /
/// "-Infinity"), for bodies built as values (trace attributes and assessment values).
Json encode_double(double value);
/// Accepts a JSON integer, an integral JSON float, or a decimal string.
std::int64_t decode_int64(const Json& value, const std::string& field);
std::string decode_string(const Json& value, const std::string& field);
RunStatus decode_run_status(const Json& value, const std::string& field);
ViewType decode_view_type(const Json& value, const std::string& field);

// ---- field readers (a field that is absent or null reads as absent) ----
/// Throws UNPARSEABLE_HTTP_ERROR: `field` should be `expected` but is `got`.
[[noreturn]] void bad_field(const std::string& field, const std::string& expected, const Json& got);
/// Throws unless `j` is an object (`what` names it).
void require_object(const Json& j, const std::string& what);
/// The value at obj[key]; nullptr when absent or null.
const Json* find(const Json& obj, const char* key);
std::string str_or_empty(const Json& obj, const char* key);
std::optional<std::string> opt_str(const Json& obj, const char* key);
std::int64_t int_or_zero(const Json& obj, const char* key);
std::optional<std::int64_t> opt_int(const Json& obj, const char* key);
/// Elements of the array at j[key]; empty when the key is absent or null. Throws when the
/// value is present but not an array.
const Json& array_field(const Json& j, const char* key);

/// One page of a search answer: every element of its array `field` read by `decode`, and its
/// next_page_token ("" when absent).
template <typename Decode>
auto decode_page(const Json& response, const char* field, Decode decode) {
  PagedList<std::decay_t<decltype(decode(std::declval<const Json&>()))>> page;
  for (const Json& item : array_field(response, field)) page.items.push_back(decode(item));
  page.token = str_or_empty(response, "next_page_token");
  return page;
}
/// The object at response[key], which an answer of `what` (an endpoint) must have; throws
/// UNPARSEABLE_HTTP_ERROR otherwise: then the answer was not MLflow's.
const Json& required_object(const Json& response, const char* key, const std::string& what);
/// The {key, value} objects of the array at obj[key] into `out`; later duplicates win, as in
/// Python's dict comprehension over the same list.
void read_key_values(const Json& obj, const char* key, std::map<std::string, std::string>& out);

// ---- encoding (request bodies) ----
Json encode(const Param& param);
Json encode(const RunTag& tag);
Json encode(const ExperimentTag& tag);
Json encode(const InputTag& tag);
Json encode(const Dataset& dataset);
Json encode(const DatasetInput& input);
Json encode(const ModelInput& input);
Json encode(const ModelOutput& output);
Json encode(const RegisteredModelTag& tag);
Json encode(const ModelVersionTag& tag);
/// A JSON array of encode(item) for each item.
template <typename T>
Json encode_all(const std::vector<T>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(encode(item));
  return out;
}

// ---- decoding (response bodies) ----
Metric decode_metric(const Json& j);
Experiment decode_experiment(const Json& j);
RunInfo decode_run_info(const Json& j);
RunData decode_run_data(const Json& j);
RunInputs decode_run_inputs(const Json& j);
RunOutputs decode_run_outputs(const Json& j);
Run decode_run(const Json& j);
Dataset decode_dataset(const Json& j);
DatasetInput decode_dataset_input(const Json& j);

}  // namespace mlflow::internal::json_codec
