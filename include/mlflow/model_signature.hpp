// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// A model's signature: what it takes and what it gives, as Python's
/// mlflow.models.ModelSignature and mlflow.types.Schema / ColSpec / TensorSpec describe it.
/// MlflowClient::log_model writes it into the model's `MLmodel` file as MLflow's schema JSON,
/// where Python's mlflow.models.Model.load reads it and the MLflow UI shows it ("Schema" of a
/// model version).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlflow {

/// Python's mlflow.types.ColSpec: one column of tabular data.
struct ColSpec {
  /// One of MLflow's DataType names: "boolean", "integer", "long", "float", "double",
  /// "string", "binary", "datetime".
  std::string type{};
  /// Unset: an unnamed column, addressed by its position.
  std::optional<std::string> name = std::nullopt;
  bool required = true;
};

/// Python's mlflow.types.TensorSpec: one tensor of a numpy dtype and shape.
struct TensorSpec {
  /// A numpy dtype name: "bool", "int8" ... "int64", "uint8" ... "uint64", "float16",
  /// "float32", "float64", "complex64", "complex128", "str", "bytes", "object".
  std::string dtype{};
  /// -1 for a dimension of any size (e.g. {-1, 2}: a batch of 2-vectors).
  std::vector<std::int64_t> shape{};
  std::optional<std::string> name = std::nullopt;
};

/// Python's mlflow.types.Schema: a list of columns or a list of tensors, never both. The
/// constructors refuse what Python's Schema refuses (InvalidArgument, saying why): no
/// entries; named and unnamed entries mixed; several unnamed tensors; unnamed optional
/// columns; an unknown column type or tensor dtype.
class Schema {
 public:
  explicit Schema(std::vector<ColSpec> columns);
  explicit Schema(std::vector<TensorSpec> tensors);

  bool is_tensor_spec() const { return !tensors_.empty(); }
  /// Empty for a tensor schema.
  const std::vector<ColSpec>& columns() const { return columns_; }
  /// Empty for a column schema.
  const std::vector<TensorSpec>& tensors() const { return tensors_; }

  /// MLflow's schema JSON, byte for byte what Python's Schema.to_json() writes, e.g.
  /// `[{"type": "double", "name": "x0", "required": true}]`.
  std::string to_json() const;

 private:
  std::vector<ColSpec> columns_;
  std::vector<TensorSpec> tensors_;
};

/// Python's mlflow.models.ModelSignature (without `params`).
struct ModelSignature {
  std::optional<Schema> inputs = std::nullopt;
  std::optional<Schema> outputs = std::nullopt;
};

}  // namespace mlflow
