// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "transport/transport_config.hpp"

#include <string>

#include "mlflow/version.hpp"

namespace mlflow::internal {

TransportOptions transport_options_for(const ResolvedConfig& config) {
  TransportOptions options;
  options.verify_tls = config.verify_tls;
  options.ca_bundle_path = config.server_cert_path;
  options.client_cert_path = config.client_cert_path;
  options.client_key_path = config.client_key_path;
  options.follow_redirects = config.allow_redirects;
  options.user_agent = std::string("mlflow-cpp/") + kVersion;
  return options;
}

}  // namespace mlflow::internal
