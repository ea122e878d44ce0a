// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/scoped_server.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_env.hpp"

namespace mlflow::testing {
namespace {

std::string script() { return "'" + source_dir() + "/scripts/test-server.sh'"; }

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ScopedServer::ScopedServer(const std::string& extra_args, const std::string& backend_uri)
    : dir_(make_temp_dir("mlflow-scoped-server")) {
  const std::string env =
      backend_uri.empty() ? "" : "MLFLOW_TEST_SERVER_BACKEND_URI='" + backend_uri + "' ";
  const auto r = run_command(env + script() + " start '" + dir_ + "' " + extra_args + " 2>&1");
  started_ = r.exit_code == 0;
  output_ = r.output;
}

ScopedServer::~ScopedServer() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void ScopedServer::stop() { run_command(script() + " stop '" + dir_ + "' >/dev/null 2>&1"); }

std::string ScopedServer::uri() const {
  std::string uri = read_file(dir_ + "/uri");
  while (!uri.empty() && (uri.back() == '\n' || uri.back() == '\r')) uri.pop_back();
  return uri;
}

std::string ScopedServer::log() const { return read_file(dir_ + "/server.log"); }

}  // namespace mlflow::testing
