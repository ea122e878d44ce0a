// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// validate_setup() / doctor() against real MLflow 3.18 servers (issue 12, must-show 4): the
// healthy fixture server; a basic-auth server (`mlflow server --app-name basic-auth`, admin
// credentials in a temporary auth config) with a wrong password, no credentials and the right
// ones; the same server once stopped; a workspace selected on the fixture server, which runs
// without workspaces, and on a server started with --enable-workspaces. Each answer must name
// the problem and the fix, and secrets must never appear in it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "artifacts/artifact_path.hpp"
#include "mlflow/mlflow.hpp"
#include "support/scoped_server.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Vars = std::map<std::string, std::optional<std::string>>;

// The variables that would change the verdict, cleared so that only the test's options count.
testing::ScopedEnv clean_env() {
  return testing::ScopedEnv(
      testing::unset_vars({"MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_USERNAME",
                           "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN", "MLFLOW_WORKSPACE",
                           "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"}));
}

const SetupCheck& check_of(const ValidationResult& result, const std::string& name) {
  const SetupCheck* check = result.check(name);
  if (check == nullptr) throw std::runtime_error("no check named " + name);
  return *check;
}

std::string dump(const ValidationResult& result) {
  std::ostringstream out;
  print_validation_result(result, out);
  return out.str();
}

ValidateSetupOptions options_for(const std::string& uri) {
  ValidateSetupOptions options;
  options.client.tracking_uri = uri;
  return options;
}

TEST(SetupValidation, HealthyServerPassesEveryCheck) {
  auto env = clean_env();
  const ValidationResult result = validate_setup(options_for(testing::server_uri()));
  ASSERT_TRUE(result.passed) << dump(result);
  for (const char* name : {"dependencies", "configuration", "connectivity", "authentication",
                           "server_version", "workspace", "artifact_access", "otlp_export"}) {
    EXPECT_EQ(check_of(result, name).status, CheckStatus::kPassed) << name << "\n" << dump(result);
  }
  EXPECT_EQ(result.connectivity.at("server_version"), kPinnedMlflowVersion);
  EXPECT_EQ(result.connectivity.at("workspaces_enabled"), "false");
  EXPECT_EQ(result.configuration.at("store"), "server");
  // The machine-readable form says the same.
  const JsonValue json = result.to_json();
  EXPECT_TRUE(json.at("passed").as_bool());
  EXPECT_EQ(json.at("connectivity").at("reachable").as_string(), "true");
  EXPECT_EQ(json.at("checks").at(0).at("name").as_string(), "dependencies");
  // The artifact probe wrote into the server's store and cleaned up after itself.
  const char* server_dir = std::getenv("MLFLOW_TEST_SERVER_DIR");
  ASSERT_NE(server_dir, nullptr);
  const std::filesystem::path root = std::filesystem::path(server_dir) / "mlartifacts" / "0";
  ASSERT_TRUE(std::filesystem::is_directory(root)) << root;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    EXPECT_THAT(entry.path().string(), Not(HasSubstr("validate-setup")));
  }
}

TEST(SetupValidation, WorkspaceOnAServerWithoutWorkspacesNamesTheFix) {
  auto env = clean_env();
  ValidateSetupOptions options = options_for(testing::server_uri());
  options.client.workspace = "team-bella";
  const ValidationResult result = validate_setup(options);
  EXPECT_FALSE(result.passed);
  const SetupCheck& workspace = check_of(result, "workspace");
  EXPECT_EQ(workspace.status, CheckStatus::kFailed) << dump(result);
  EXPECT_THAT(workspace.detail, HasSubstr("'team-bella'"));
  EXPECT_THAT(workspace.detail, HasSubstr("without workspaces"));
  EXPECT_THAT(workspace.fix, HasSubstr("--enable-workspaces"));
  EXPECT_THAT(workspace.fix, HasSubstr("MLFLOW_WORKSPACE"));
  // Everything else about the server is fine.
  EXPECT_EQ(check_of(result, "authentication").status, CheckStatus::kPassed);
}

TEST(SetupValidation, ServerWithWorkspaces) {
  auto env = clean_env();
  testing::ScopedServer server("--enable-workspaces");
  ASSERT_TRUE(server.started()) << server.output() << server.log();
  ValidateSetupOptions options = options_for(server.uri());
  const ValidationResult none = validate_setup(options);
  EXPECT_TRUE(none.passed) << dump(none);
  EXPECT_EQ(none.connectivity.at("workspaces_enabled"), "true");
  EXPECT_THAT(check_of(none, "workspace").detail, HasSubstr("default workspace"));

  options.client.workspace = "no-such-team";
  const ValidationResult missing = validate_setup(options);
  EXPECT_FALSE(missing.passed);
  EXPECT_EQ(check_of(missing, "workspace").status, CheckStatus::kFailed) << dump(missing);
  EXPECT_THAT(check_of(missing, "workspace").fix, HasSubstr("create_workspace"));
}

// One basic-auth server for the authentication cases, then stopped for the stopped-server case.
TEST(SetupValidation, BasicAuthServerWrongPasswordThenStopped) {
  auto env = clean_env();
  internal::ScopedTempDir dir("mlflow-basic-auth");
  const std::string password = "Correct-Horse-Battery-9";
  {
    std::ofstream ini(dir.path() / "basic_auth.ini");
    ini << "[mlflow]\ndefault_permission = READ\ndatabase_uri = sqlite:///"
        << (dir.path() / "auth.db").string()
        << "\nadmin_username = admin\nadmin_password = " << password
        << "\nauthorization_function = mlflow.server.auth:authenticate_request_basic_auth\n";
  }
  std::unique_ptr<testing::ScopedServer> server;
  {
    testing::ScopedEnv auth_config(
        Vars{{"MLFLOW_AUTH_CONFIG_PATH", (dir.path() / "basic_auth.ini").string()},
             // The basic-auth app's CSRF protection refuses to start without one.
             {"MLFLOW_FLASK_SERVER_SECRET_KEY", testing::unique_name("csrf")}});
    server = std::make_unique<testing::ScopedServer>("--app-name basic-auth");
  }
  ASSERT_TRUE(server->started()) << server->output() << server->log();

  ValidateSetupOptions options = options_for(server->uri());
  options.client.username = "admin";
  options.client.password = "wrong-password-hunter2";
  const ValidationResult wrong = validate_setup(options);
  EXPECT_FALSE(wrong.passed);
  EXPECT_EQ(check_of(wrong, "connectivity").status, CheckStatus::kPassed) << dump(wrong);
  const SetupCheck& auth = check_of(wrong, "authentication");
  EXPECT_EQ(auth.status, CheckStatus::kFailed) << dump(wrong);
  EXPECT_THAT(auth.detail, HasSubstr("rejected the configured credentials"));
  EXPECT_THAT(auth.fix, HasSubstr("MLFLOW_TRACKING_PASSWORD"));
  EXPECT_EQ(check_of(wrong, "artifact_access").status, CheckStatus::kSkipped);
  EXPECT_THAT(dump(wrong), Not(HasSubstr("hunter2")));

  options.client.password.reset();
  options.client.username.reset();
  const ValidationResult anonymous = validate_setup(options);
  EXPECT_THAT(check_of(anonymous, "authentication").detail,
              HasSubstr("requires authentication and no credentials are configured"))
      << dump(anonymous);

  options.client.username = "admin";
  options.client.password = password;
  const ValidationResult right = validate_setup(options);
  EXPECT_TRUE(right.passed) << dump(right);
  EXPECT_EQ(check_of(right, "authentication").status, CheckStatus::kPassed);

  // The same address once the server is stopped.
  server->stop();
  const ValidationResult stopped = validate_setup(options);
  EXPECT_FALSE(stopped.passed);
  const SetupCheck& connectivity = check_of(stopped, "connectivity");
  EXPECT_EQ(connectivity.status, CheckStatus::kFailed) << dump(stopped);
  EXPECT_THAT(connectivity.detail, HasSubstr("Cannot reach the MLflow server at " + server->uri()));
  EXPECT_THAT(connectivity.fix, HasSubstr("Start the MLflow server"));
  EXPECT_EQ(check_of(stopped, "authentication").status, CheckStatus::kSkipped);
  EXPECT_EQ(stopped.connectivity.at("reachable"), "false");
  EXPECT_THAT(dump(stopped), Not(HasSubstr(password)));
}

}  // namespace
}  // namespace mlflow
