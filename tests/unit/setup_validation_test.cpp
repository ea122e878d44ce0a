// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// validate_setup() / doctor() without a server: the embedded store (every check that applies
// passes, artifacts written, read and deleted), a configuration the client refuses, an OTLP
// collector that does not answer, governance attributes present and missing, secrets masked.
// The server cases (healthy, stopped, basic auth, workspaces) are
// tests/integration/setup_validation_test.cpp.

#include "mlflow/setup_validation.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include "artifacts/artifact_path.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Vars = std::map<std::string, std::optional<std::string>>;

class SetupValidationEmbedded : public ::testing::Test {
 protected:
  ValidateSetupOptions options() const {
    ValidateSetupOptions o;
    o.client.tracking_uri = "sqlite:///" + (dir_.path() / "mlflow.db").string();
    return o;
  }
  static CheckStatus status(const ValidationResult& r, const std::string& name) {
    const SetupCheck* c = r.check(name);
    if (c == nullptr) throw std::runtime_error("no check " + name);
    return c->status;
  }
  internal::ScopedTempDir dir_{"mlflow-validate"};
  testing::ScopedEnv env_{testing::unset_vars(
      {"MLFLOW_TRACKING_URI", "MLFLOW_WORKSPACE", "MLFLOW_HTTP_REQUEST_MAX_RETRIES",
       "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
       "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "GENOPS_TEAM",
       "GENOPS_PROJECT", "GENOPS_CUSTOMER_ID"})};
};

TEST_F(SetupValidationEmbedded, EmbeddedStorePassesAndGovernanceIsAWarning) {
  // The Default experiment's artifacts live in ./mlruns/0 (MLflow's default root): the probe
  // must not leave that directory behind when it was not there.
  const bool had_mlruns = std::filesystem::exists("mlruns");
  const ValidationResult r = validate_setup(options());
  EXPECT_EQ(std::filesystem::exists("mlruns"), had_mlruns);
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(status(r, "connectivity"), CheckStatus::kPassed);
  EXPECT_EQ(status(r, "artifact_access"), CheckStatus::kPassed);
  EXPECT_EQ(status(r, "authentication"), CheckStatus::kSkipped);
  EXPECT_EQ(status(r, "otlp_export"), CheckStatus::kPassed);
  EXPECT_EQ(status(r, "governance"), CheckStatus::kWarning);
  EXPECT_THAT(r.check("governance")->detail, HasSubstr("GENOPS_TEAM, GENOPS_PROJECT"));
  EXPECT_THAT(r.check("governance")->fix, HasSubstr("export GENOPS_TEAM="));
  EXPECT_EQ(r.configuration.at("store"), "embedded");
  EXPECT_EQ(r.dependencies.at("mlflow (protocol and schema)"), "3.18.0");
  ASSERT_EQ(r.issues().size(), 1u);
  // The artifact probe left nothing behind in the experiment's directory.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
    EXPECT_THAT(entry.path().string(), Not(HasSubstr("validate-setup")));
  }
  // Governance attributes set: nothing left to fix.
  testing::ScopedEnv genops(Vars{{"GENOPS_TEAM", "ml-team"}, {"GENOPS_PROJECT", "churn"}});
  const ValidationResult attributed = validate_setup(options());
  EXPECT_EQ(status(attributed, "governance"), CheckStatus::kPassed);
  EXPECT_THAT(attributed.check("governance")->detail, HasSubstr("GENOPS_CUSTOMER_ID"));
  EXPECT_TRUE(attributed.issues().empty());
}

TEST_F(SetupValidationEmbedded, RefusedConfigurationNamesTheVariable) {
  testing::ScopedEnv bad(Vars{{"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "11"}});
  const ValidationResult r = validate_setup(options());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(status(r, "configuration"), CheckStatus::kFailed);
  EXPECT_THAT(r.check("configuration")->detail, HasSubstr("MLFLOW_HTTP_REQUEST_MAX_RETRIES"));
  EXPECT_FALSE(r.check("configuration")->fix.empty());
  EXPECT_EQ(r.to_json().at("checks").at(1).at("status").as_string(), "failed");
}

TEST_F(SetupValidationEmbedded, CollectorThatDoesNotAnswerAndGrpcAreFailures) {
  {
    // A loopback port nobody listens on.
    testing::ScopedEnv otlp(Vars{{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"}});
    const ValidationResult r = validate_setup(options());
    EXPECT_FALSE(r.passed);
    EXPECT_EQ(status(r, "otlp_export"), CheckStatus::kFailed);
    EXPECT_THAT(r.check("otlp_export")->detail, HasSubstr("http://127.0.0.1:1/v1/traces"));
    EXPECT_THAT(r.check("otlp_export")->fix, HasSubstr("Start the collector"));
    EXPECT_EQ(r.configuration.at("otlp_endpoint"), "http://127.0.0.1:1/v1/traces");
  }
  testing::ScopedEnv grpc(Vars{{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"},
                               {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  const ValidationResult r = validate_setup(options());
  EXPECT_EQ(status(r, "otlp_export"), CheckStatus::kFailed);
  EXPECT_THAT(r.check("otlp_export")->detail, HasSubstr("OTEL_EXPORTER_OTLP_PROTOCOL='grpc'"));
}

TEST_F(SetupValidationEmbedded, DoctorPrintsEachProblemWithItsFixAndMasksSecrets) {
  testing::ScopedEnv secrets(Vars{{"MLFLOW_TRACKING_TOKEN", "hunter2"},
                                  {"OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20hunter3"},
                                  {"MLFLOW_TRACKING_URI", *options().client.tracking_uri}});
  std::ostringstream out;
  const ValidationResult r = doctor(out);
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("mlflow-cpp setup: "));
  EXPECT_THAT(text, HasSubstr("MLFLOW_TRACKING_TOKEN: ***"));
  EXPECT_THAT(text, Not(HasSubstr("hunter2")));
  EXPECT_THAT(text, Not(HasSubstr("hunter3")));
  EXPECT_THAT(r.to_json().dump(), Not(HasSubstr("hunter")));
  EXPECT_THAT(text, HasSubstr("To fix:\n  - governance: Set the team and project"));
  // mask_envs hides every variable's value (Python's doctor(mask_envs=True)).
  std::ostringstream masked;
  doctor(masked, true);
  EXPECT_THAT(masked.str(), HasSubstr("MLFLOW_TRACKING_URI: ***"));
}

}  // namespace
}  // namespace mlflow
