// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// TraceStore over MLflow 3.18's REST API: the v3 trace endpoints (/api/3.0/mlflow/traces...),
// the v2 ones Python still uses (trace tags, delete-traces, link-to-run, link-prompts), and
// OTLP/HTTP (POST /v1/traces, protobuf) for spans. One request per method, shaped as Python's
// RestStore shapes it; see the .cpp for each.

#include <memory>
#include <string>

#include "artifacts/artifact_repository.hpp"
#include "rest/rest_client.hpp"
#include "store/trace_store.hpp"

namespace mlflow::internal {

/// Body encoding of span uploads (ADR 0021). Protobuf is the default; JSON exists for the
/// measurement in bench-tracing and for servers that only take JSON through a proxy.
enum class OtlpEncoding { kProtobuf, kJson };

class RestTraceStore : public TraceStore {
 public:
  /// Shares `client`'s configuration and transport (connection pool); `artifacts` serve the
  /// traces.json fallback.
  RestTraceStore(std::shared_ptr<RestClient> client, ArtifactClientContext artifacts,
                 OtlpEncoding encoding = OtlpEncoding::kProtobuf);

#include "store/trace_store_overrides.inc"  // IWYU pragma: keep

  /// The spans of `info`'s traces.json artifact.
  std::vector<SpanData> download_trace_data(const TraceInfo& info) override;

  RestClient& client() noexcept { return *client_; }

 private:
  std::shared_ptr<RestClient> client_;
  ArtifactClientContext artifacts_;
  OtlpEncoding encoding_;
};

}  // namespace mlflow::internal
