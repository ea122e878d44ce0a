// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// TCP sockets on 127.0.0.1 for the tests' own servers and for ports that refuse connections.

namespace mlflow::testing {

/// A TCP socket bound to 127.0.0.1:`port` (0: an ephemeral port, written back to `port`),
/// listening with `backlog` when it is > 0 (0: bound only, so connections are refused once it
/// is closed). `reuse_address` sets SO_REUSEADDR (to listen again on a port just closed).
/// Returns the descriptor, or -1 when a step failed (nothing left open).
int bind_loopback(int& port, int backlog, bool reuse_address = false);

}  // namespace mlflow::testing
