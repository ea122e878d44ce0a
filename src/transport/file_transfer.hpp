// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Streaming file bodies over libcurl, for artifact uploads and downloads: the request body is
// read from a file in chunks (libcurl read callback; Content-Length = the file's size, no
// "Expect: 100-continue"), and a 2xx answer's body is written to a file as it arrives (write
// callback). Memory use is a few buffers, whatever the file size.
//
// It is an HttpTransport, so the ordinary retry loop (send_with_retry) drives it: every send()
// reopens the upload file from its start and truncates the download file, which makes each
// attempt complete on its own. A non-2xx answer's body stays in memory (capped at 1 MiB) for
// the error message and never touches the download file.
//
// Each thread keeps one libcurl handle, and with it a keep-alive connection, for all the
// transfers it runs (a tree of small files pays one handshake per thread). Timeouts:
// `request.timeout` bounds the connect, and a transfer that moves no byte for that long is aborted
// (a read timeout, like Python's requests); there is no cap on the total time, which a large file
// may legitimately need.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include "transport/http_transport.hpp"

namespace mlflow::internal {

struct FileTransfer {
  /// Sent as the request body when non-empty (request.body must then be empty).
  std::filesystem::path upload_from;
  /// Receives a 2xx answer's body when non-empty (created empty for an empty body).
  std::filesystem::path download_to;
  /// Told the bytes of the body sent or received so far in the current attempt (0 again when
  /// an attempt is retried). An exception from it aborts the transfer and is rethrown.
  std::function<void(std::int64_t)> progress;
};

/// A transport for one file transfer (usable for several attempts of the same request).
/// A file that cannot be opened, read or written throws MlflowException(IO_ERROR): no retry
/// can fix that.
std::shared_ptr<HttpTransport> make_file_transfer_transport(const TransportOptions& options,
                                                            FileTransfer transfer);

}  // namespace mlflow::internal
