// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Secrets never reach the log handler or exception messages: a token and Basic credentials
// given through ClientOptions or the environment, with real calls to the MLflow 3.18 server
// (which has no auth, so the calls succeed and the credentials travel on every request).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/logging.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/log_capture.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kToken = "tok-SECRET-123";
constexpr const char* kUser = "user";
constexpr const char* kPassword = "pw-SECRET-456";

// Independent of the library's encoder on purpose.
std::string base64(const std::string& in) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned n = static_cast<unsigned char>(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned n =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// Successful calls of every kind, then a failing one whose message is returned.
std::string exercise(MlflowClient& client) {
  const std::string exp = client.create_experiment(testing::unique_name("secrets"));
  EXPECT_EQ(client.get_experiment(exp).experiment_id, exp);
  const std::string run = client.create_run(exp).info.run_id;
  client.log_metric(run, "m", 1.0);
  client.log_param(run, "p", "v");
  client.set_tag(run, "t", "v");
  EXPECT_EQ(client.get_run(run).data.params.at("p"), "v");
  EXPECT_EQ(client.get_metric_history(run, "m").size(), 1u);
  client.search_runs({exp});
  try {
    client.get_run("0123456789abcdef0123456789abcdef");
  } catch (const mlflow::NotFound& e) {
    return e.what();
  }
  ADD_FAILURE() << "get_run of an unknown run did not throw NotFound";
  return {};
}

// Asserts the log mentions the server's REST URLs and holds none of the secrets.
void expect_clean(const std::string& log, const std::vector<std::string>& secrets) {
  EXPECT_FALSE(log.empty());
  EXPECT_THAT(log, HasSubstr(testing::server_uri() + "/api/2.0/mlflow/"));
  for (const auto& s : secrets) {
    EXPECT_THAT(log, Not(HasSubstr(s))) << "secret in log: " << s;
  }
  EXPECT_THAT(log, Not(HasSubstr("SECRET")));
}

void expect_clean_message(const std::string& message, const std::vector<std::string>& secrets) {
  EXPECT_FALSE(message.empty());
  for (const auto& s : secrets) {
    EXPECT_THAT(message, Not(HasSubstr(s))) << "secret in exception message: " << s;
  }
  EXPECT_THAT(message, Not(HasSubstr("SECRET")));
}

std::vector<std::string> token_secrets() {
  const std::string b64 = base64(kToken);
  return {kToken, b64, b64.substr(0, b64.find('='))};
}

std::vector<std::string> basic_secrets() {
  const std::string pair = base64(std::string(kUser) + ":" + kPassword);
  const std::string pw = base64(kPassword);
  return {kPassword, pair, pair.substr(0, pair.find('=')), pw, pw.substr(0, pw.find('='))};
}

// Env vars of MLflow's credentials cleared, so each test controls exactly what is configured.
std::map<std::string, std::optional<std::string>> clean_env(
    std::map<std::string, std::optional<std::string>> extra) {
  std::map<std::string, std::optional<std::string>> env = {
      {"MLFLOW_TRACKING_TOKEN", std::nullopt},
      {"MLFLOW_TRACKING_USERNAME", std::nullopt},
      {"MLFLOW_TRACKING_PASSWORD", std::nullopt},
      {"MLFLOW_TRACKING_URI", std::nullopt},
  };
  for (auto& [k, v] : extra) env[k] = v;
  return env;
}

ClientOptions server_options() {
  ClientOptions options;
  options.tracking_uri = testing::server_uri();
  return options;
}

// Exercises the client; neither the log nor the failure's message may show a secret.
void exercise_and_expect_clean(MlflowClient& client, const testing::LogCapture& capture,
                               const std::vector<std::string>& secrets) {
  const std::string message = exercise(client);
  expect_clean(capture.text(), secrets);
  expect_clean_message(message, secrets);
}

TEST(SecretsLogging, TokenFromOptionsNeverLogged) {
  testing::ScopedEnv env(clean_env({}));
  testing::LogCapture capture(LogLevel::kTrace);
  ClientOptions options = server_options();
  options.token = kToken;
  MlflowClient client(options);
  exercise_and_expect_clean(client, capture, token_secrets());
  EXPECT_THAT(client.tracking_uri(), Not(HasSubstr("SECRET")));
}

TEST(SecretsLogging, TokenFromEnvironmentNeverLogged) {
  testing::ScopedEnv env(clean_env(
      {{"MLFLOW_TRACKING_URI", testing::server_uri()}, {"MLFLOW_TRACKING_TOKEN", kToken}}));
  testing::LogCapture capture(LogLevel::kTrace);
  MlflowClient client;
  EXPECT_EQ(client.tracking_uri(), testing::server_uri());
  exercise_and_expect_clean(client, capture, token_secrets());
}

TEST(SecretsLogging, BasicCredentialsFromOptionsNeverLogged) {
  testing::ScopedEnv env(clean_env({}));
  testing::LogCapture capture(LogLevel::kTrace);
  ClientOptions options = server_options();
  options.username = kUser;
  options.password = kPassword;
  MlflowClient client(options);
  exercise_and_expect_clean(client, capture, basic_secrets());
}

TEST(SecretsLogging, BasicCredentialsFromEnvironmentNeverLogged) {
  testing::ScopedEnv env(clean_env({{"MLFLOW_TRACKING_URI", testing::server_uri()},
                                    {"MLFLOW_TRACKING_USERNAME", kUser},
                                    {"MLFLOW_TRACKING_PASSWORD", kPassword}}));
  testing::LogCapture capture(LogLevel::kTrace);
  MlflowClient client(testing::server_uri());
  exercise_and_expect_clean(client, capture, basic_secrets());
}

TEST(SecretsLogging, BothCredentialsAndFailingConnectionNeverLogged) {
  // A refused connection goes through the transport's error path and the retry loop.
  testing::ScopedEnv env(clean_env({{"MLFLOW_TRACKING_TOKEN", kToken}}));
  testing::LogCapture capture(LogLevel::kTrace);
  ClientOptions options;
  options.tracking_uri = "http://127.0.0.1:1";
  options.username = kUser;
  options.password = kPassword;
  options.max_retries = 1;
  options.backoff_factor = 0;
  options.backoff_jitter = 0;
  MlflowClient client(options);
  std::string message;
  try {
    client.get_experiment("0");
    ADD_FAILURE() << "no error from a closed port";
  } catch (const mlflow::MlflowException& e) {
    message = e.what();
  }
  std::vector<std::string> secrets = token_secrets();
  for (const auto& s : basic_secrets()) secrets.push_back(s);
  expect_clean_message(message, secrets);
  const std::string log = capture.text();
  EXPECT_FALSE(log.empty());
  EXPECT_THAT(log, HasSubstr("http://127.0.0.1:1"));
  for (const auto& s : secrets) EXPECT_THAT(log, Not(HasSubstr(s)));
}

}  // namespace
}  // namespace mlflow
