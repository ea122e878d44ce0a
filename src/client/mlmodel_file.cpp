// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/mlmodel_file.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/version.hpp"
#include "prompts/python_json.hpp"

namespace mlflow::internal {
namespace {

// Characters a YAML single-quoted scalar cannot keep as they are: ASCII and C1 controls
// (folded or refused by YAML readers) and the Unicode line and paragraph separators.
bool needs_double_quotes(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return true;
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (c == 0xC2 && next >= 0x80 && next <= 0x9F) return true;  // U+0080..U+009F
    if (c == 0xE2 && next == 0x80 && i + 2 < s.size()) {
      const auto third = static_cast<unsigned char>(s[i + 2]);
      if (third == 0xA8 || third == 0xA9) return true;  // U+2028, U+2029
    }
  }
  return false;
}

std::string double_quoted(const std::string& s) {
  std::string out = "\"";
  char buf[16];
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
      out += buf;
    } else if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(next));
      out += buf;
      ++i;
    } else if (c == 0xE2 && next == 0x80 && i + 2 < s.size() &&
               (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\L" : "\\P";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

std::string yaml_quote(const std::string& text) {
  // A YAML file is Unicode text: refuse bytes that are not UTF-8.
  if (!utf8::is_valid(text)) {
    throw_error(
        ErrorCode::kInvalidParameterValue,
        "The MLmodel file cannot hold '" + text + "': it is not valid UTF-8. Pass UTF-8 text.");
  }
  if (needs_double_quotes(text)) return double_quoted(text);
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';  // the only escape of single-quoted YAML: the quote doubled
    out += c;
  }
  return out + "'";
}

std::string render_mlmodel(const MlmodelFields& f) {
  const auto q = yaml_quote;
  std::string y;
  y += "artifact_path: " + q(f.artifact_path) + "\n";
  if (f.flavor == "onnx") {
    y += "flavors:\n  onnx:\n    code: null\n    data: " + q(f.onnx_data) + "\n";
    if (f.onnx_version) y += "    onnx_version: " + q(*f.onnx_version) + "\n";
    y += "    providers:\n";
    for (const std::string& p : f.onnx_providers) y += "    - " + q(p) + "\n";
  } else {
    y += "flavors: {}\n";
  }
  // Python writes these two beside every signature (not inferred from type hints here).
  if (f.signature) y += "is_signature_from_type_hint: false\n";
  if (!f.metadata.empty()) {
    y += "metadata:\n";
    for (const auto& [key, value] : f.metadata) y += "  " + q(key) + ": " + q(value) + "\n";
  }
  // The MLflow version whose format this file follows (mlflow-cpp writes 3.18's).
  y += "mlflow_version: " + q(kPinnedMlflowVersion) + "\n";
  y += "model_id: " + q(f.model_id) + "\n";
  if (f.model_size_bytes > 0) y += "model_size_bytes: " + std::to_string(f.model_size_bytes) + "\n";
  y += "model_uuid: " + q(f.model_id) + "\n";
  y += "prompts: null\n";
  y += "run_id: " + (f.run_id ? q(*f.run_id) : std::string("null")) + "\n";
  if (f.signature) {
    // Python's ModelSignature.to_dict: each schema as its JSON text, absent ones null.
    const auto schema = [&q](const std::optional<Schema>& s) {
      return s ? q(s->to_json()) : std::string("null");
    };
    y += "signature:\n";
    y += "  inputs: " + schema(f.signature->inputs) + "\n";
    y += "  outputs: " + schema(f.signature->outputs) + "\n";
    y += "  params: null\n";
    y += "type_hint_from_example: false\n";
  }
  y += "utc_time_created: " + q(f.utc_time_created) + "\n";
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
