// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/mlmodel_file.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "mlflow/version.hpp"

namespace mlflow::internal {
namespace {

// YAML single-quoted scalar: only the quote itself needs escaping (doubled).
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string render_mlmodel(const MlmodelFields& f) {
  std::string y;
  y += "artifact_path: " + quote(f.artifact_path) + "\n";
  if (f.flavor == "onnx") {
    y += "flavors:\n  onnx:\n    code: null\n    data: " + quote(f.onnx_data) + "\n";
    if (f.onnx_version) y += "    onnx_version: " + quote(*f.onnx_version) + "\n";
    y += "    providers:\n";
    for (const std::string& p : f.onnx_providers) y += "    - " + quote(p) + "\n";
  } else {
    y += "flavors: {}\n";
  }
  // The MLflow version whose format this file follows (mlflow-cpp writes 3.18's).
  y += "mlflow_version: " + quote(kPinnedMlflowVersion) + "\n";
  y += "model_id: " + quote(f.model_id) + "\n";
  y += "model_uuid: " + quote(f.model_id) + "\n";
  y += "prompts: null\n";
  y += "run_id: " + (f.run_id ? quote(*f.run_id) : std::string("null")) + "\n";
  y += "utc_time_created: " + quote(f.utc_time_created) + "\n";
  return y;
}

std::string utc_time_created_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t t = system_clock::to_time_t(now);
  const auto micros = duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d.%06lld", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buf;
}

}  // namespace mlflow::internal
