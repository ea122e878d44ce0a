// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/test_env.hpp"

namespace mlflow::testing {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& data) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

std::string recorded_server_json(const std::string& name) {
  const std::string path = source_dir() + "/tests/data/server-3.18/" + name + ".json";
  std::string text = file_bytes(path);
  if (text.empty()) throw std::runtime_error("recorded server answer missing or empty: " + path);
  return text;
}

}  // namespace mlflow::testing
