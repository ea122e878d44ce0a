// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Schema: the checks of Python's mlflow.types.Schema.__init__ and the JSON of its to_json()
// (mlflow/types/schema.py in 3.18), written with Python's json.dumps conventions.
#include "mlflow/model_signature.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "mlflow/errors.hpp"
#include "prompts/python_json.hpp"

namespace mlflow {
namespace {

// mlflow.types.DataType members (the scalar ones).
constexpr std::array<const char*, 8> kDataTypes = {"boolean", "integer", "long",   "float",
                                                   "double",  "string",  "binary", "datetime"};

// numpy dtype names (np.dtype(x).name) that a TensorSpec can carry.
constexpr std::array<const char*, 17> kNumpyDtypes = {
    "bool",      "int8",       "int16",  "int32",   "int64",   "uint8",
    "uint16",    "uint32",     "uint64", "float16", "float32", "float64",
    "complex64", "complex128", "str",    "bytes",   "object"};

template <std::size_t N>
bool is_one_of(const std::string& value, const std::array<const char*, N>& names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return value == n; });
}

template <std::size_t N>
std::string listed(const std::array<const char*, N>& names) {
  std::string out;
  for (const char* n : names) out += (out.empty() ? "'" : ", '") + std::string(n) + "'";
  return out;
}

[[noreturn]] void refuse(const std::string& message) {
  throw_error(ErrorCode::kInvalidParameterValue, message);
}

template <typename Spec>
void check_entries(const std::vector<Spec>& specs) {
  if (specs.empty()) refuse("Creating Schema with empty inputs is not allowed.");
  const auto named =
      std::count_if(specs.begin(), specs.end(), [](const Spec& s) { return s.name.has_value(); });
  if (named != 0 && named != static_cast<std::ptrdiff_t>(specs.size())) {
    refuse(
        "Creating Schema with a combination of named and unnamed inputs is not allowed: name "
        "every entry or none.");
  }
}

}  // namespace

Schema::Schema(std::vector<ColSpec> columns) : columns_(std::move(columns)) {
  check_entries(columns_);
  for (const ColSpec& c : columns_) {
    if (!is_one_of(c.type, kDataTypes)) {
      refuse("Unsupported type '" + c.type + "', expected one of " + listed(kDataTypes) + ".");
    }
    if (!c.name && !c.required) {
      refuse(
          "Creating Schema with unnamed optional inputs is not supported. Please name all "
          "inputs or make all inputs required.");
    }
  }
}

Schema::Schema(std::vector<TensorSpec> tensors) : tensors_(std::move(tensors)) {
  check_entries(tensors_);
  if (tensors_.size() > 1 && !tensors_[0].name) {
    refuse(
        "Creating Schema with multiple unnamed TensorSpecs is not supported. Please provide "
        "names for each TensorSpec.");
  }
  for (const TensorSpec& t : tensors_) {
    if (!is_one_of(t.dtype, kNumpyDtypes)) {
      refuse("Unsupported tensor dtype '" + t.dtype +
             "', expected a numpy dtype name: " + listed(kNumpyDtypes) + ".");
    }
  }
}

std::string Schema::to_json() const {
  // Python's ColSpec.to_dict / TensorSpec.to_dict, in their key order.
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ColSpec& c : columns_) {
    nlohmann::ordered_json entry = {{"type", c.type}};
    if (c.name) entry["name"] = *c.name;
    entry["required"] = c.required;
    list.push_back(std::move(entry));
  }
  for (const TensorSpec& t : tensors_) {
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    if (t.name) entry["name"] = *t.name;
    entry["type"] = "tensor";
    entry["tensor-spec"] = {{"dtype", t.dtype}, {"shape", t.shape}};
    list.push_back(std::move(entry));
  }
  return internal::pyjson::dumps(list);
}

}  // namespace mlflow
