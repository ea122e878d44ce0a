// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The LLM service example (examples/llm_service.cpp) run as a user runs it, on the embedded
// store (a fresh directory, nothing but HOME in the environment) and against the real server
// (MLFLOW_TRACKING_URI), so that it cannot rot: each of its traces must be stored with its span
// types, token usage and cost, its session and user, the active model version, the prompt it
// loaded, and the first one with the user's feedback.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "mlflow/mlflow.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

namespace fs = std::filesystem;
using testing::shell_quote;

// Built next to this program: <build>/tests/<this> -> <build>/examples/llm_service
// (tests/CMakeLists.txt makes the integration tests depend on it).
fs::path example_binary() {
  return fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "examples" /
         "llm_service";
}

std::vector<std::string> all_matches(const std::string& text, const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    found.push_back((*it)[1]);
  }
  return found;
}

const SpanData& span_named(const Trace& trace, const std::string& name) {
  for (const auto& s : trace.data.spans) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("the trace has no span named " + name);
}

// Runs the example with `env` ("VAR=value ..." words) and checks what it stored at `uri`.
void run_and_check(const std::string& env, const std::string& uri) {
  const fs::path dir = testing::make_temp_dir("llm-service");
  const auto run = testing::run_command("cd " + shell_quote(dir.string()) +
                                        " && env -i HOME=" + shell_quote(dir.string()) + " " + env +
                                        " " + shell_quote(example_binary().string()) + " 2>&1");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string tracking_uri = uri.empty() ? "sqlite:///" + (dir / "mlflow.db").string() : uri;
  EXPECT_THAT(run.output, ::testing::HasSubstr("tracking store  " + tracking_uri + "\n"));
  const auto traces = all_matches(run.output, R"(\n  trace +(tr-[0-9a-f]{32})(?=\n))");
  const auto models =
      all_matches(run.output, R"(\n  active model +llm-service-v1 \((m-[0-9a-f]+)\))");
  const auto prompts =
      all_matches(run.output, R"(\n  prompt +prompts:/llm-service-answer/(\d+)\n)");
  ASSERT_EQ(traces.size(), 3u) << run.output;
  ASSERT_EQ(models.size(), 1u) << run.output;
  ASSERT_EQ(prompts.size(), 1u) << run.output;

  MlflowClient client(tracking_uri);
  const std::vector<std::pair<std::string, std::string>> session_user = {
      {"session-1", "alice"}, {"session-1", "alice"}, {"session-2", "bob"}};
  for (std::size_t i = 0; i < traces.size(); ++i) {
    SCOPED_TRACE(traces[i]);
    const Trace trace = client.get_trace(traces[i]);
    EXPECT_EQ(trace.info.state, TraceState::kOk);
    EXPECT_EQ(trace.info.client_request_id, "req-" + std::to_string(i + 1));
    EXPECT_EQ(trace.info.trace_metadata.at(TraceMetadataKey::kModelId), models[0]);
    EXPECT_EQ(trace.info.trace_metadata.at(TraceMetadataKey::kTraceSession), session_user[i].first);
    EXPECT_EQ(trace.info.trace_metadata.at(TraceMetadataKey::kTraceUser), session_user[i].second);
    EXPECT_EQ(trace.info.tags.at(TraceTagKey::kLinkedPrompts),
              R"([{"name": "llm-service-answer", "version": ")" + prompts[0] + R"("}])");
    ASSERT_EQ(trace.data.spans.size(), 3u);
    const SpanData& root = span_named(trace, "handle_request");
    const SpanData& retrieve = span_named(trace, "retrieve_context");
    const SpanData& chat = span_named(trace, "chat_completion");
    EXPECT_EQ(root.span_type(), "AGENT");
    EXPECT_EQ(retrieve.span_type(), "RETRIEVER");
    EXPECT_EQ(chat.span_type(), "CHAT_MODEL");
    EXPECT_EQ(retrieve.parent_id, root.span_id);
    EXPECT_EQ(chat.parent_id, root.span_id);
    EXPECT_EQ(retrieve.outputs().size(), 1u);
    EXPECT_EQ(chat.get_attribute("mlflow.llm.model")->as_string(), "sim-chat-1");
    // The simulated model is deterministic: the token counts are the words of the prompt and
    // the answer, and the trace sums them.
    const JsonValue usage = *chat.get_attribute("mlflow.chat.tokenUsage");
    EXPECT_GT(usage.at("input_tokens").as_int(), 10);
    EXPECT_GT(usage.at("output_tokens").as_int(), 5);
    EXPECT_EQ(trace.info.token_usage().dump(), usage.dump());
    EXPECT_GT(chat.get_attribute("mlflow.llm.cost")->at("total_cost").as_double(), 0.0);
    EXPECT_EQ(trace.info.cost().at("total_cost").as_double(),
              chat.get_attribute("mlflow.llm.cost")->at("total_cost").as_double());
    if (i == 0) {
      ASSERT_EQ(trace.info.assessments.size(), 1u);
      const Assessment& feedback = trace.info.assessments[0];
      EXPECT_EQ(feedback.name, "user_satisfaction");
      EXPECT_EQ(feedback.value.dump(), "true");
      EXPECT_EQ(feedback.source.source_type, AssessmentSourceType::kHuman);
      EXPECT_EQ(feedback.source.source_id, "alice");
    } else {
      EXPECT_TRUE(trace.info.assessments.empty());
    }
  }
}

TEST(LlmServiceExample, StoresItsTracesOnTheEmbeddedStore) {
  ASSERT_TRUE(fs::exists(example_binary()))
      << example_binary() << " is missing: build the llm_service target";
  run_and_check("", "");
}

TEST(LlmServiceExample, StoresItsTracesOnTheServer) {
  ASSERT_TRUE(fs::exists(example_binary()))
      << example_binary() << " is missing: build the llm_service target";
  // A fresh experiment name is not needed: the example appends traces and reuses its prompt.
  run_and_check("MLFLOW_TRACKING_URI=" + shell_quote(testing::server_uri()), testing::server_uri());
}

}  // namespace
}  // namespace mlflow
