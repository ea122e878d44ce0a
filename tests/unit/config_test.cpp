// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/base64.hpp"
#include "mlflow/errors.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {

using Env = std::map<std::string, std::string>;

EnvLookup fake_env(Env vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// A HOME with no credentials file, so that the developer's real ~/.mlflow never leaks in.
std::string empty_home() { return testing::make_temp_dir("config-home"); }

std::string home_with_credentials(const std::string& content) {
  const std::string home = testing::make_temp_dir("config-home");
  std::filesystem::create_directories(home + "/.mlflow");
  std::ofstream(home + "/.mlflow/credentials") << content;
  return home;
}

TEST(Base64Test, EncodesRfc4648Vectors) {
  // RFC 4648 section 10, and bytes that are not text.
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"},
                                                         {std::string("\xff\xfe\x00", 3), "//4A"}};
  for (const auto& [text, encoded] : vectors) EXPECT_EQ(base64_encode(text), encoded) << text;
}

TEST(ConfigTest, DefaultsMatchMlflow) {
  const ResolvedConfig c = resolve_config({}, fake_env({}), empty_home());
  EXPECT_EQ(c.tracking_uri, default_tracking_uri());
  EXPECT_EQ(c.authorization, "");
  EXPECT_TRUE(c.verify_tls);
  EXPECT_EQ(c.timeout, std::chrono::seconds(120));
  EXPECT_EQ(c.retry.max_retries, 7);
  EXPECT_DOUBLE_EQ(c.retry.backoff_factor, 2.0);
  EXPECT_DOUBLE_EQ(c.retry.backoff_jitter, 1.0);
  EXPECT_TRUE(c.retry.respect_retry_after);
  EXPECT_EQ(c.retry.max_backoff, std::chrono::seconds(120));
  EXPECT_TRUE(c.allow_redirects);
  EXPECT_EQ(c.workspace, "");
}

TEST(ConfigTest, DefaultTrackingUriIsAbsoluteSqliteInCwd) {
  const std::string uri = default_tracking_uri();
  const std::string expected =
      "sqlite:///" + (std::filesystem::current_path() / "mlflow.db").generic_string();
  EXPECT_EQ(uri, expected);
  EXPECT_EQ(uri.rfind("sqlite:////", 0), 0u) << uri;
}

TEST(ConfigTest, ExplicitBeatsEnvBeatsDefault) {
  const Env env = {{"MLFLOW_TRACKING_URI", "http://env:5000"},
                   {"MLFLOW_HTTP_REQUEST_TIMEOUT", "30"},
                   {"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "3"},
                   {"MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "5"},
                   {"MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "0.5"},
                   {"MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER", "false"},
                   {"MLFLOW_ALLOW_HTTP_REDIRECTS", "0"},
                   {"MLFLOW_WORKSPACE", "team-a"},
                   {"MLFLOW_TRACKING_CLIENT_CERT_PATH", "/env/client.pem"}};
  const ResolvedConfig from_env = resolve_config({}, fake_env(env), empty_home());
  EXPECT_EQ(from_env.tracking_uri, "http://env:5000");
  EXPECT_EQ(from_env.timeout, std::chrono::seconds(30));
  EXPECT_EQ(from_env.retry.max_retries, 3);
  EXPECT_DOUBLE_EQ(from_env.retry.backoff_factor, 5.0);
  EXPECT_DOUBLE_EQ(from_env.retry.backoff_jitter, 0.5);
  EXPECT_FALSE(from_env.retry.respect_retry_after);
  EXPECT_FALSE(from_env.allow_redirects);
  EXPECT_EQ(from_env.workspace, "team-a");
  EXPECT_EQ(from_env.client_cert_path, "/env/client.pem");

  ClientOptions o;
  o.tracking_uri = "http://explicit:6000/";
  o.timeout = std::chrono::milliseconds(1500);
  o.max_retries = 0;
  o.backoff_factor = 0.0;
  o.backoff_jitter = 0.0;
  o.respect_retry_after = true;
  o.allow_redirects = true;
  o.workspace = "team-b";
  o.client_cert_path = "/explicit/client.pem";
  o.client_key_path = "/explicit/client.key";
  o.headers = {{"X-Gateway", "g1"}};
  const ResolvedConfig explicit_cfg = resolve_config(o, fake_env(env), empty_home());
  EXPECT_EQ(explicit_cfg.tracking_uri, "http://explicit:6000");
  EXPECT_EQ(explicit_cfg.timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(explicit_cfg.retry.max_retries, 0);
  EXPECT_DOUBLE_EQ(explicit_cfg.retry.backoff_factor, 0.0);
  EXPECT_DOUBLE_EQ(explicit_cfg.retry.backoff_jitter, 0.0);
  EXPECT_TRUE(explicit_cfg.retry.respect_retry_after);
  EXPECT_TRUE(explicit_cfg.allow_redirects);
  EXPECT_EQ(explicit_cfg.workspace, "team-b");
  EXPECT_EQ(explicit_cfg.client_cert_path, "/explicit/client.pem");
  EXPECT_EQ(explicit_cfg.client_key_path, "/explicit/client.key");
  EXPECT_EQ(explicit_cfg.headers.at("X-Gateway"), "g1");
}

TEST(ConfigTest, TrackingUriNormalisation) {
  ClientOptions o;
  o.tracking_uri = "http://host:5000/prefix///";
  EXPECT_EQ(resolve_config(o, fake_env({}), empty_home()).tracking_uri, "http://host:5000/prefix");
  o.tracking_uri = "sqlite:///rel.db";
  EXPECT_EQ(resolve_config(o, fake_env({}), empty_home()).tracking_uri, "sqlite:///rel.db");
  // An empty value means "not set", as in MLflow.
  EXPECT_EQ(resolve_config({}, fake_env({{"MLFLOW_TRACKING_URI", ""}}), empty_home()).tracking_uri,
            default_tracking_uri());
}

TEST(ConfigTest, BearerTokenFromEnvAndExplicit) {
  EXPECT_EQ(resolve_config({}, fake_env({{"MLFLOW_TRACKING_TOKEN", "tok-env"}}), empty_home())
                .authorization,
            "Bearer tok-env");
  ClientOptions o;
  o.token = "tok-explicit";
  EXPECT_EQ(resolve_config(o, fake_env({{"MLFLOW_TRACKING_TOKEN", "tok-env"}}), empty_home())
                .authorization,
            "Bearer tok-explicit");
}

TEST(ConfigTest, BasicNeedsBothHalvesAndBeatsToken) {
  const Env both = {{"MLFLOW_TRACKING_USERNAME", "alice"},
                    {"MLFLOW_TRACKING_PASSWORD", "s3cret"},
                    {"MLFLOW_TRACKING_TOKEN", "tok"}};
  EXPECT_EQ(resolve_config({}, fake_env(both), empty_home()).authorization,
            "Basic " + base64_encode("alice:s3cret"));
  // Username alone is not enough: the token is used.
  EXPECT_EQ(
      resolve_config(
          {}, fake_env({{"MLFLOW_TRACKING_USERNAME", "alice"}, {"MLFLOW_TRACKING_TOKEN", "tok"}}),
          empty_home())
          .authorization,
      "Bearer tok");
  EXPECT_EQ(resolve_config({}, fake_env({{"MLFLOW_TRACKING_PASSWORD", "s3cret"}}), empty_home())
                .authorization,
            "");
}

TEST(ConfigTest, CredentialsFileAndEnvOverride) {
  const std::string home = home_with_credentials(
      "# comment\n[other]\nmlflow_tracking_username = nobody\n\n[mlflow]\n"
      "MLFLOW_TRACKING_USERNAME = filer\nmlflow_tracking_password: filepass\n");
  EXPECT_EQ(resolve_config({}, fake_env({}), home).authorization,
            "Basic " + base64_encode("filer:filepass"));
  // The environment overrides the file field by field.
  EXPECT_EQ(
      resolve_config({}, fake_env({{"MLFLOW_TRACKING_USERNAME", "envuser"}}), home).authorization,
      "Basic " + base64_encode("envuser:filepass"));
  // File credentials beat a token too.
  EXPECT_EQ(resolve_config({}, fake_env({{"MLFLOW_TRACKING_TOKEN", "tok"}}), home).authorization,
            "Basic " + base64_encode("filer:filepass"));
  // An empty `home` means $HOME of the given environment.
  EXPECT_EQ(resolve_config({}, fake_env({{"HOME", home}})).authorization,
            "Basic " + base64_encode("filer:filepass"));
}

TEST(ConfigTest, BooleansParseLikeMlflow) {
  for (const std::string v : {"true", "TRUE", "True", "1"}) {
    EXPECT_FALSE(resolve_config({}, fake_env({{"MLFLOW_TRACKING_INSECURE_TLS", v}}), empty_home())
                     .verify_tls)
        << v;
  }
  for (const std::string v : {"false", "FALSE", "0"}) {
    EXPECT_TRUE(resolve_config({}, fake_env({{"MLFLOW_TRACKING_INSECURE_TLS", v}}), empty_home())
                    .verify_tls)
        << v;
  }
  for (const std::string v : {"yes", "", "2", "on"}) {
    EXPECT_THROW(
        resolve_config({}, fake_env({{"MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER", v}}), empty_home()),
        InvalidArgument)
        << v;
  }
  // An explicit value wins without even parsing the variable.
  ClientOptions o;
  o.respect_retry_after = false;
  EXPECT_FALSE(resolve_config(o, fake_env({{"MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER", "bogus"}}),
                              empty_home())
                   .retry.respect_retry_after);
}

TEST(ConfigTest, BadNumbersAreInvalidArgument) {
  const std::vector<Env> bad = {
      {{"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "11"}},
      {{"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "-1"}},
      {{"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "three"}},
      {{"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2.5"}},
      {{"MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "121"}},
      {{"MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "-1"}},
      {{"MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "-0.5"}},
      {{"MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "nan"}},
      {{"MLFLOW_HTTP_REQUEST_TIMEOUT", "0"}},
      {{"MLFLOW_HTTP_REQUEST_TIMEOUT", "abc"}},
  };
  for (const Env& env : bad) {
    try {
      resolve_config({}, fake_env(env), empty_home());
      ADD_FAILURE() << "accepted " << env.begin()->first << "=" << env.begin()->second;
    } catch (const InvalidArgument& e) {
      // The message names the variable so the user knows what to fix.
      EXPECT_NE(std::string(e.what()).find(env.begin()->first), std::string::npos) << e.what();
    }
  }
  // Limits are inclusive; whitespace is allowed as in Python's int().
  const ResolvedConfig ok =
      resolve_config({},
                     fake_env({{"MLFLOW_HTTP_REQUEST_MAX_RETRIES", " 10 "},
                               {"MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "120"}}),
                     empty_home());
  EXPECT_EQ(ok.retry.max_retries, 10);
  EXPECT_DOUBLE_EQ(ok.retry.backoff_factor, 120.0);

  ClientOptions o;
  o.max_retries = 11;
  EXPECT_THROW(resolve_config(o, fake_env({}), empty_home()), InvalidArgument);
  o = {};
  o.backoff_factor = 200;
  EXPECT_THROW(resolve_config(o, fake_env({}), empty_home()), InvalidArgument);
  o = {};
  o.timeout = std::chrono::milliseconds(0);
  EXPECT_THROW(resolve_config(o, fake_env({}), empty_home()), InvalidArgument);
}

TEST(ConfigTest, InsecureTlsAndCaBundleConflict) {
  const ResolvedConfig ca = resolve_config(
      {}, fake_env({{"MLFLOW_TRACKING_SERVER_CERT_PATH", "/etc/ca.pem"}}), empty_home());
  EXPECT_TRUE(ca.verify_tls);
  EXPECT_EQ(ca.server_cert_path, "/etc/ca.pem");
  EXPECT_THROW(resolve_config({},
                              fake_env({{"MLFLOW_TRACKING_SERVER_CERT_PATH", "/etc/ca.pem"},
                                        {"MLFLOW_TRACKING_INSECURE_TLS", "true"}}),
                              empty_home()),
               InvalidArgument);
  ClientOptions o;
  o.insecure_tls = true;
  o.server_cert_path = "/etc/ca.pem";
  EXPECT_THROW(resolve_config(o, fake_env({}), empty_home()), InvalidArgument);
}

TEST(ConfigTest, ProcessEnvReadsTheEnvironment) {
  testing::ScopedEnv scoped({{"MLFLOW_CPP_CONFIG_TEST_VAR", std::string("v1")},
                             {"MLFLOW_CPP_CONFIG_TEST_UNSET", std::nullopt}});
  const EnvLookup env = process_env();
  EXPECT_EQ(env("MLFLOW_CPP_CONFIG_TEST_VAR"), std::optional<std::string>("v1"));
  EXPECT_EQ(env("MLFLOW_CPP_CONFIG_TEST_UNSET"), std::nullopt);
}

}  // namespace
}  // namespace mlflow::internal
