// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Logged models on the embedded store (hermetic: a temp SQLite file and artifact root):
// log_model's files and MLmodel, flavors, failure handling, rows as MLflow writes them, and
// the MLmodel renderer and status names.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "client/mlmodel_file.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/mlflow_client.hpp"
#include "sqlite/db.hpp"
#include "support/files.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {
namespace fs = std::filesystem;

struct Fixture {
  fs::path base = testing::make_temp_dir("logged-model-unit");
  fs::path db = base / "mlflow.db";
  MlflowClient client{"sqlite:///" + db.string()};
  std::string exp;
  std::string run_id;
  Fixture() {
    mlflow::CreateExperimentOptions o;
    o.artifact_location = (base / "root").string();
    exp = client.create_experiment("logged-model-unit", o);
    run_id = client.create_run(exp).info.run_id;
  }
  // Points the fluent API at this store and starts a run in its experiment.
  ActiveRun start_fluent_run() const {
    set_tracking_uri("sqlite:///" + db.string());
    StartRunOptions options;
    options.experiment_id = exp;
    return start_run(options);
  }
};

TEST(LoggedModelTest, StatusNames) {
  EXPECT_EQ(mlflow::to_string(LoggedModelStatus::kReady), "READY");
  EXPECT_EQ(mlflow::to_string(LoggedModelStatus::kFailed), "FAILED");
  EXPECT_EQ(mlflow::logged_model_status_from_string("LOGGED_MODEL_UPLOAD_FAILED"),
            LoggedModelStatus::kFailed);
  EXPECT_EQ(mlflow::logged_model_status_from_string("PENDING"), LoggedModelStatus::kPending);
  EXPECT_THROW(mlflow::logged_model_status_from_string("DONE"), mlflow::InvalidArgument);
}

TEST(LoggedModelTest, MlmodelRendering) {
  mlflow::internal::MlmodelFields f;
  f.artifact_path = "/root/models/m-1/artifacts";
  f.model_id = "m-1";
  f.run_id = "abc";
  f.utc_time_created = "2026-01-02 03:04:05.000006";
  f.flavor = "onnx";
  f.onnx_data = "it's.onnx";
  EXPECT_EQ(mlflow::internal::render_mlmodel(f),
            "artifact_path: '/root/models/m-1/artifacts'\n"
            "flavors:\n"
            "  onnx:\n"
            "    code: null\n"
            "    data: 'it''s.onnx'\n"
            "    providers:\n"
            "    - 'CUDAExecutionProvider'\n"
            "    - 'CPUExecutionProvider'\n"
            "mlflow_version: '3.18.0'\n"
            "model_id: 'm-1'\n"
            "model_uuid: 'm-1'\n"
            "prompts: null\n"
            "run_id: 'abc'\n"
            "utc_time_created: '2026-01-02 03:04:05.000006'\n");
  EXPECT_EQ(mlflow::internal::utc_time_created_now().size(), 26u);
}

TEST(LoggedModelTest, MlmodelRenderingWithSignatureAndMetadata) {
  mlflow::internal::MlmodelFields f;
  f.artifact_path = "/a";
  f.model_id = "m-2";
  f.utc_time_created = "2026-01-02 03:04:05.000006";
  f.model_size_bytes = 42;
  f.metadata = {{"weights", "w.json"}, {"architecture", "mlp"}};
  f.signature = mlflow::ModelSignature{
      mlflow::Schema(std::vector<mlflow::ColSpec>{{"double", "x"}}), std::nullopt};
  // Keys sorted as yaml.safe_dump sorts them; the schema as its JSON text, absent ones null.
  EXPECT_EQ(mlflow::internal::render_mlmodel(f),
            "artifact_path: '/a'\n"
            "flavors: {}\n"
            "is_signature_from_type_hint: false\n"
            "metadata:\n"
            "  'architecture': 'mlp'\n"
            "  'weights': 'w.json'\n"
            "mlflow_version: '3.18.0'\n"
            "model_id: 'm-2'\n"
            "model_size_bytes: 42\n"
            "model_uuid: 'm-2'\n"
            "prompts: null\n"
            "run_id: null\n"
            "signature:\n"
            "  inputs: '[{\"type\": \"double\", \"name\": \"x\", \"required\": true}]'\n"
            "  outputs: null\n"
            "  params: null\n"
            "type_hint_from_example: false\n"
            "utc_time_created: '2026-01-02 03:04:05.000006'\n");
}

TEST(LoggedModelTest, LogModelOfAnOnnxFileWritesFilesRowsAndOutputs) {
  Fixture fx;
  testing::write_file(fx.base / "in" / "net.onnx", "onnx-bytes");
  mlflow::LogModelOptions o;
  o.name = "net";
  o.step = 2;
  const mlflow::LoggedModel m =
      fx.client.log_model(fx.run_id, (fx.base / "in" / "net.onnx").string(), o);
  EXPECT_EQ(m.status, LoggedModelStatus::kReady);
  EXPECT_EQ(m.artifact_location,
            (fx.base / "root").string() + "/models/" + m.model_id + "/artifacts");
  const fs::path dir = m.artifact_location;
  EXPECT_EQ(testing::file_bytes(dir / "net.onnx"), "onnx-bytes");
  const std::string mlmodel = testing::file_bytes(dir / "MLmodel");
  EXPECT_NE(mlmodel.find("  onnx:\n"), std::string::npos) << mlmodel;
  EXPECT_NE(mlmodel.find("data: 'net.onnx'"), std::string::npos) << mlmodel;
  EXPECT_NE(mlmodel.find("run_id: '" + fx.run_id + "'"), std::string::npos) << mlmodel;

  // The rows MLflow's store reads: RUN_OUTPUT edge with the step.
  mlflow::internal::sqlite::Connection c(fx.db.string(),
                                         mlflow::internal::sqlite::OpenMode::kReadOnly);
  auto s = c.prepare(
      "SELECT source_type, source_id, destination_type, destination_id, step FROM inputs WHERE "
      "destination_id = ?");
  s->bind(1, m.model_id);
  ASSERT_TRUE(s->step());
  EXPECT_EQ(s->text(0), "RUN_OUTPUT");
  EXPECT_EQ(s->text(1), fx.run_id);
  EXPECT_EQ(s->text(2), "MODEL_OUTPUT");
  EXPECT_EQ(s->int64(4), 2);
}

TEST(LoggedModelTest, LogModelOfADirectoryUploadsItsContents) {
  Fixture fx;
  testing::write_file(fx.base / "gguf" / "weights.gguf", "gguf");
  testing::write_file(fx.base / "gguf" / "tok" / "vocab.txt", "a b c");
  const mlflow::LoggedModel m = fx.client.log_model(fx.run_id, (fx.base / "gguf").string());
  const fs::path dir = m.artifact_location;
  EXPECT_EQ(testing::file_bytes(dir / "weights.gguf"), "gguf");
  EXPECT_EQ(testing::file_bytes(dir / "tok" / "vocab.txt"), "a b c");
  const std::string mlmodel = testing::file_bytes(dir / "MLmodel");
  EXPECT_NE(mlmodel.find("flavors: {}\n"), std::string::npos) << mlmodel;
  // Python's get_total_file_size of the model directory, before MLmodel is added.
  EXPECT_NE(mlmodel.find("\nmodel_size_bytes: 9\n"), std::string::npos) << mlmodel;
  EXPECT_EQ(mlmodel.find("signature:"), std::string::npos) << mlmodel;
  EXPECT_FALSE(m.name.empty());  // random, as Python's
}

TEST(LoggedModelTest, LogModelErrors) {
  Fixture fx;
  EXPECT_THROW(fx.client.log_model(fx.run_id, (fx.base / "missing.onnx").string()),
               mlflow::InvalidArgument);
  testing::write_file(fx.base / "x.pt", "torchscript");
  mlflow::LogModelOptions onnx;
  onnx.flavor = "onnx";
  EXPECT_THROW(fx.client.log_model(fx.run_id, (fx.base / "x.pt").string(), onnx),
               mlflow::InvalidArgument);
  mlflow::LogModelOptions odd;
  odd.flavor = "pickle";
  EXPECT_THROW(fx.client.log_model(fx.run_id, (fx.base / "x.pt").string(), odd),
               mlflow::InvalidArgument);
  EXPECT_THROW(fx.client.log_model("", (fx.base / "x.pt").string()), mlflow::InvalidArgument);
  mlflow::LogModelOptions empty_signature;  // Python's ModelSignature() refuses to exist
  empty_signature.signature = mlflow::ModelSignature{};
  EXPECT_THROW(fx.client.log_model(fx.run_id, (fx.base / "x.pt").string(), empty_signature),
               mlflow::InvalidArgument);
  mlflow::LogModelOptions bad_metadata;  // YAML is text: refused before anything is created
  bad_metadata.metadata = {{"k", "\xFF"}};
  EXPECT_THROW(fx.client.log_model(fx.run_id, (fx.base / "x.pt").string(), bad_metadata),
               mlflow::InvalidArgument);
  // Nothing was created by the refused calls.
  EXPECT_TRUE(fx.client.search_logged_models({fx.exp}).items.empty());
}

TEST(LoggedModelTest, AFailedLogModelLeavesTheModelFailed) {
  Fixture fx;
  testing::write_file(fx.base / "m.onnx", "x");
  fx.client.set_terminated(fx.run_id);
  fx.client.delete_run(fx.run_id);  // log_outputs will refuse a deleted run
  EXPECT_THROW(fx.client.log_model(fx.run_id, (fx.base / "m.onnx").string()),
               mlflow::MlflowException);
  const auto models = fx.client.search_logged_models({fx.exp});
  ASSERT_EQ(models.items.size(), 1u);
  EXPECT_EQ(models.items[0].status, LoggedModelStatus::kFailed);
}

TEST(LoggedModelTest, FilterErrorsNameTheProblem) {
  Fixture fx;
  for (const char* bad : {"name =", "name = 'a' OR name = 'b'", "Metrics.x > 1", "foo.x = 'a'",
                          "metrics.x > 'abc'", "creation_time LIKE 'a'"}) {
    mlflow::SearchLoggedModelsOptions o;
    o.filter_string = bad;
    try {
      fx.client.search_logged_models({fx.exp}, o);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const mlflow::InvalidArgument& e) {
      EXPECT_FALSE(std::string(e.what()).empty());
    }
  }
  // A token belongs to its query.
  for (int i = 0; i < 3; ++i) fx.client.create_logged_model(fx.exp);
  mlflow::SearchLoggedModelsOptions o;
  o.max_results = 1;
  const auto page = fx.client.search_logged_models({fx.exp}, o);
  ASSERT_FALSE(page.token.empty());
  o.page_token = page.token;
  o.filter_string = "name != 'x'";
  EXPECT_THROW(fx.client.search_logged_models({fx.exp}, o), mlflow::InvalidArgument);
}

TEST(LoggedModelTest, FluentInitializeUsesTheActiveRunAndContextTags) {
  Fixture fx;
  {
    ActiveRun run = fx.start_fluent_run();
    mlflow::CreateLoggedModelOptions o;
    o.name = "fluent";
    o.tags = {{"mlflow.user", "someone-else"}};
    const mlflow::LoggedModel m = mlflow::initialize_logged_model(o);
    EXPECT_EQ(m.status, LoggedModelStatus::kPending);
    EXPECT_EQ(m.experiment_id, fx.exp);
    EXPECT_EQ(m.source_run_id, run.info().run_id);
    EXPECT_EQ(m.tags.at("mlflow.user"), "someone-else");  // the caller's tags win
    EXPECT_EQ(m.tags.count("mlflow.source.type"), 1u);
    EXPECT_EQ(mlflow::finalize_logged_model(m.model_id, LoggedModelStatus::kReady).status,
              LoggedModelStatus::kReady);
  }
  mlflow::set_tracking_uri("");
}

// Python's Model.log creates the model through the fluent API: context tags (the UI's "Logged
// from"), the caller's tags winning; the signature lands in MLmodel.
TEST(LoggedModelTest, FluentLogModelAddsContextTagsAndWritesTheSignature) {
  Fixture fx;
  {
    ActiveRun run = fx.start_fluent_run();
    testing::write_file(fx.base / "w" / "weights.json", "{}");
    mlflow::LogModelOptions o;
    o.name = "fluent-model";
    o.tags = {{"mlflow.source.type", "JOB"}};
    o.signature =
        mlflow::ModelSignature{mlflow::Schema(std::vector<mlflow::ColSpec>{{"double", "x0"}}),
                               mlflow::Schema(std::vector<mlflow::TensorSpec>{{"float64", {-1}}})};
    const mlflow::LoggedModel m = mlflow::log_model((fx.base / "w").string(), o);
    EXPECT_EQ(m.tags.at("mlflow.source.type"), "JOB");
    EXPECT_EQ(m.tags.count("mlflow.user"), 1u);
    EXPECT_EQ(m.tags.count("mlflow.source.name"), 1u);
    EXPECT_EQ(m.source_run_id, run.info().run_id);
    const std::string mlmodel = testing::file_bytes(fs::path(m.artifact_location) / "MLmodel");
    EXPECT_NE(mlmodel.find("  outputs: '[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": "
                           "\"float64\", \"shape\": [-1]}}]'\n"),
              std::string::npos)
        << mlmodel;
  }
  mlflow::set_tracking_uri("");
}

}  // namespace
}  // namespace mlflow
