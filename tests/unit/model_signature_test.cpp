// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Schema / ModelSignature: the JSON Python's Schema.to_json writes, the schemas Python's
// Schema refuses, and the YAML quoting of the MLmodel file that carries them.
#include "mlflow/model_signature.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "client/mlmodel_file.hpp"
#include "mlflow/errors.hpp"

namespace {
using mlflow::ColSpec;
using mlflow::Schema;
using mlflow::TensorSpec;

TEST(ModelSignatureTest, ColumnSchemaJsonIsPythons) {
  const Schema s(std::vector<ColSpec>{{"double", "x0"}, {"long", "n", false}});
  EXPECT_FALSE(s.is_tensor_spec());
  EXPECT_EQ(s.to_json(), R"([{"type": "double", "name": "x0", "required": true}, )"
                         R"({"type": "long", "name": "n", "required": false}])");
  const Schema unnamed(std::vector<ColSpec>{{"string"}});
  EXPECT_EQ(unnamed.to_json(), R"([{"type": "string", "required": true}])");
  // json.dumps escapes as Python does (ensure_ascii).
  const Schema accented(std::vector<ColSpec>{{"double", "t\xC3\xA9"}});
  EXPECT_EQ(accented.to_json(), R"([{"type": "double", "name": "t\u00e9", "required": true}])");
}

TEST(ModelSignatureTest, TensorSchemaJsonIsPythons) {
  const Schema s(std::vector<TensorSpec>{{"float32", {-1, 2}, "input"}});
  EXPECT_TRUE(s.is_tensor_spec());
  EXPECT_EQ(s.to_json(),
            R"([{"name": "input", "type": "tensor", "tensor-spec": {"dtype": "float32", )"
            R"("shape": [-1, 2]}}])");
  EXPECT_EQ(Schema(std::vector<TensorSpec>{{"int64", {}}}).to_json(),
            R"([{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": []}}])");
}

TEST(ModelSignatureTest, RefusesWhatPythonsSchemaRefuses) {
  using V = std::vector<ColSpec>;
  using T = std::vector<TensorSpec>;
  EXPECT_THROW(Schema(V{}), mlflow::InvalidArgument);
  EXPECT_THROW(Schema(T{}), mlflow::InvalidArgument);
  EXPECT_THROW(Schema(V{{"double", "a"}, {"double"}}), mlflow::InvalidArgument);  // mixed names
  EXPECT_THROW(Schema(V{{"decimal", "a"}}), mlflow::InvalidArgument);             // unknown type
  EXPECT_THROW(Schema(V{{"double", std::nullopt, false}}), mlflow::InvalidArgument);
  EXPECT_THROW(Schema(T{{"float32", {-1}}, {"float32", {-1}}}), mlflow::InvalidArgument);
  EXPECT_THROW(Schema(T{{"<U10", {-1}, "s"}}), mlflow::InvalidArgument);  // sized string
  try {
    Schema(V{{"Double", "a"}});
    FAIL() << "a type name is case-sensitive, as Python's DataType[...]";
  } catch (const mlflow::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'double'"), std::string::npos) << e.what();
  }
}

TEST(ModelSignatureTest, YamlQuotingReadsBackAsTheSameText) {
  using mlflow::internal::yaml_quote;
  EXPECT_EQ(yaml_quote("plain"), "'plain'");
  EXPECT_EQ(yaml_quote("it's"), "'it''s'");
  EXPECT_EQ(yaml_quote("caf\xC3\xA9"), "'caf\xC3\xA9'");
  // Line breaks and controls would be folded or refused in single quotes.
  EXPECT_EQ(yaml_quote("a\nb\t\"c\\"), "\"a\\nb\\t\\\"c\\\\\"");
  EXPECT_EQ(yaml_quote(std::string("x\x01y")), "\"x\\x01y\"");
  EXPECT_EQ(yaml_quote("n\xC2\x85l\xE2\x80\xA8p\xE2\x80\xA9"), "\"n\\x85l\\Lp\\P\"");
  EXPECT_THROW(yaml_quote("bad \xFF byte"), mlflow::InvalidArgument);
}

}  // namespace
