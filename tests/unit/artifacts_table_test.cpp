// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// log_table / load_table on the embedded store: pandas' split layout byte for byte for the
// shapes pandas keeps as given, appending with united columns, the mlflow.loggedArtifacts tag
// in json.dumps form, load_table's run filter and extra columns, and the input errors.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/files.hpp"
#include "support/test_env.hpp"

namespace {
namespace fs = std::filesystem;
using mlflow::MlflowClient;

using mlflow::testing::file_bytes;

struct Fixture {
  fs::path base = mlflow::testing::make_temp_dir("artifacts-table");
  MlflowClient client{"sqlite:///" + (base / "mlflow.db").string()};
  std::string exp;
  Fixture() {
    mlflow::CreateExperimentOptions o;
    o.artifact_location = (base / "root").string();
    exp = client.create_experiment("tables", o);
  }
  fs::path file(const std::string& run, const std::string& name) {
    return base / "root" / run / "artifacts" / name;
  }
};

TEST(ArtifactsTableTest, WritesPandasSplitLayoutAndAppends) {
  Fixture f;
  const std::string run = f.client.create_run(f.exp).info.run_id;
  f.client.log_table(run, R"({"a": [1, 2], "b": ["x/y", "é"], "c": [0.1, 1.0], "d": [true, null]})",
                     "eval/t.json");
  // What pandas' DataFrame.to_json(orient="split", index=False) writes for the same frame.
  EXPECT_EQ(file_bytes(f.file(run, "eval/t.json")),
            R"({"columns":["a","b","c","d"],"data":[[1,"x\/y",0.1,true],[2,"\u00e9",1.0,null]]})");
  EXPECT_EQ(f.client.get_run(run).data.tags.at("mlflow.loggedArtifacts"),
            R"([{"path": "eval/t.json", "type": "table"}])");

  f.client.log_table(run, R"({"a": 3, "z": "new"})", "eval/t.json");  // one row, a new column
  EXPECT_EQ(file_bytes(f.file(run, "eval/t.json")),
            R"({"columns":["a","b","c","d","z"],"data":[[1,"x\/y",0.1,true,null],)"
            R"([2,"\u00e9",1.0,null,null],[3,null,null,null,"new"]]})");
  f.client.log_table(run, R"({"k": ["v"]})", "other.json");
  EXPECT_EQ(
      f.client.get_run(run).data.tags.at("mlflow.loggedArtifacts"),
      R"([{"path": "eval/t.json", "type": "table"}, {"path": "other.json", "type": "table"}])");
  f.client.log_table(run, R"({"s": "x", "n": [1, 2]})", "bcast.json");  // scalars repeat
  EXPECT_EQ(file_bytes(f.file(run, "bcast.json")),
            R"({"columns":["s","n"],"data":[["x",1],["x",2]]})");
}

TEST(ArtifactsTableTest, LoadTableAcrossRunsWithExtraColumns) {
  Fixture f;
  // Distinct start times: runs created within one millisecond would tie in search_runs' order.
  const auto run_started_at = [&](std::int64_t start_time) {
    mlflow::CreateRunOptions options;
    options.start_time = start_time;
    return f.client.create_run(f.exp, options).info.run_id;
  };
  const std::string r1 = run_started_at(1000);
  const std::string r2 = run_started_at(2000);
  const std::string r3 = run_started_at(3000);
  f.client.log_table(r1, R"({"q": ["a"], "run_id": ["mine"]})", "t.json");
  f.client.log_table(r2, R"({"q": ["b", "c"]})", "t.json");
  f.client.log_table(r3, R"({"q": ["z"]})", "different.json");
  f.client.log_param(r2, "lr", "0.1");

  const std::string one = f.client.load_table(f.exp, "t.json", {r1}, {"run_id"});
  EXPECT_EQ(one, R"({"columns":["q","run_id","run_id_"],"data":[["a","mine",")" + r1 + R"("]]})");
  const std::string both = f.client.load_table(f.exp, "t.json", {}, {"params.lr"});
  // Newest run first (search_runs' default order), rows of each run in order.
  EXPECT_EQ(both, R"({"columns":["q","params.lr","run_id"],"data":[["b","0.1",null],)"
                  R"(["c","0.1",null],["a",null,"mine"]]})");
  EXPECT_THROW(f.client.load_table(f.exp, "missing.json"), mlflow::NotFound);
}

TEST(ArtifactsTableTest, BadInput) {
  Fixture f;
  const std::string run = f.client.create_run(f.exp).info.run_id;
  EXPECT_THROW(f.client.log_table(run, R"({"a": [1]})", "t.csv"), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_table(run, R"({"a": [1]})", "t.parquet"), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_table(run, R"({"a": [1]})", "a:b.json"), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_table(run, R"({"a": [1], "b": [1, 2]})", "t.json"),
               mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_table(run, R"([1, 2])", "t.json"), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_table(run, R"({"a": )", "t.json"), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_table(run, R"({"a": [1]})", "../t.json"), mlflow::InvalidArgument);
  EXPECT_FALSE(fs::exists(f.file(run, "t.json")));
  EXPECT_EQ(f.client.get_run(run).data.tags.count("mlflow.loggedArtifacts"), 0u);
}

}  // namespace
