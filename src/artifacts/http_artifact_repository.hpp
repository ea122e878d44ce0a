// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Artifacts behind an HTTP URL: MLflow's proxied artifact service (reference §4.3), reached
// from `mlflow-artifacts:` run URIs (resolved against the tracking URI) or from http(s)
// artifact URIs. PUT uploads a file, GET downloads one, GET `.../mlflow-artifacts/artifacts
// ?path=` lists a directory, DELETE deletes. Requests go through the client's transport and
// retry loop with the client's headers (Authorization, custom headers, workspace).
//
// File bodies are streamed from and to disk (src/transport/file_transfer.hpp): an upload reads
// the file in chunks, a download writes to a temp file that is renamed into place when
// complete. (With an injected transport, as tests use, bodies go through memory instead.)
// Multipart and presigned transfers are not implemented yet.
//
// A server started with --no-serve-artifacts answers 503 on these routes (text/plain from the
// Flask handlers, JSON {"detail": "Artifact serving is disabled..."} from the FastAPI router);
// that is a configuration, not a transient fault, so it is reported at once (no retries) with
// the cause.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/artifact_repository.hpp"
#include "transport/http_transport.hpp"

namespace mlflow::internal {

class HttpArtifactRepository : public ArtifactRepository {
 public:
  /// `base_url` is the URL of the artifact root (a resolved mlflow-artifacts URI or an
  /// http(s) artifact URI); credentials and TLS come from `context`.
  HttpArtifactRepository(std::string base_url, const ArtifactClientContext& context);

  std::vector<FileInfo> list_artifacts(const std::string& path) override;
  void delete_artifacts(const std::string& artifact_path) override;
  std::optional<std::string> get_local_path(const std::string&) override { return std::nullopt; }

  const std::string& base_url() const noexcept { return base_url_; }

 protected:
  void upload_file(const std::filesystem::path& local_file, const std::string& artifact_dir,
                   const std::string& name, const ByteProgress& progress) override;
  void download_file(const std::string& remote_path, const std::filesystem::path& local_path,
                     const ByteProgress& progress) override;

 private:
  std::vector<FileInfo> list_once(const std::string& path);
  /// base_url_ + "/" + each segment of `relative` percent-encoded.
  std::string file_url(const std::string& relative) const;
  /// Sends through `transport` (the shared one when null) with headers, timeout and retries.
  HttpResponse send(HttpRequest request, HttpTransport* transport = nullptr);

  std::string base_url_;
  ResolvedConfig config_;
  std::shared_ptr<HttpTransport> transport_;
  /// Set when file bodies are streamed (no transport was injected).
  std::optional<TransportOptions> stream_options_;
  RetryHooks hooks_;
};

/// The headers every artifact request carries: Authorization, the configured custom headers
/// (which replace same-named ones) and X-MLFLOW-WORKSPACE, as the REST client sends them.

/// A MIME type from the file name (what Python sends as Content-Type; servers ignore it).
std::string guess_mime_type(const std::string& file_name);

}  // namespace mlflow::internal
