// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Writes one LLM-service-shaped trace for the UI test (tests/ui/trace_ui_test.py):
//   ui_trace_writer TRACKING_URI EXPERIMENT_NAME
// TRACKING_URI is sqlite:///<file> (the embedded store) or a server's http:// URI. The trace:
// "answer" (AGENT) -> "retrieve" (RETRIEVER), "chat" (CHAT_MODEL, token usage, model, cost),
// "lookup_weather" (TOOL, failed). Prints {"experiment_id": ..., "trace_id": ...} on stdout;
// tests/ui/python_trace_writer.py writes the same shape from Python for comparison.

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "mlflow/mlflow.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s TRACKING_URI EXPERIMENT_NAME\n", argv[0]);
    return 2;
  }
  try {
    mlflow::set_tracking_uri(argv[1]);
    const std::string experiment_id = mlflow::set_experiment(argv[2]).experiment_id;
    const std::string question = "What is the capital of France?";
    std::string trace_id;
    {
      auto root = mlflow::start_span("answer", mlflow::SpanType::kAgent);
      trace_id = root.trace_id();
      root.set_inputs({{"question", question}});
      mlflow::trace("retrieve",
                    [] {
                      return mlflow::JsonValue{"doc-paris", "doc-france"};
                    },
                    {mlflow::SpanType::kRetriever, mlflow::JsonValue{{"query", question}}});
      {
        auto chat = mlflow::start_span("chat", mlflow::SpanType::kChatModel);
        chat.set_inputs(
            {{"messages", {mlflow::JsonValue{{"role", "user"}, {"content", question}}}}});
        chat.set_model("sim-llm-1", "local");
        chat.set_token_usage({21, 9});
        chat.set_cost({0.0021, 0.0018});
        chat.set_outputs({{"role", "assistant"}, {"content", "Paris."}});
      }
      try {
        mlflow::trace("lookup_weather",
                      []() -> int { throw std::runtime_error("weather service down"); },
                      {mlflow::SpanType::kTool});
      } catch (const std::runtime_error&) {
        // The tool's failure stays recorded on its span; the agent answers without it.
      }
      root.set_outputs({{"answer", "Paris."}});
    }
    if (!mlflow::flush_trace_async_logging(std::chrono::seconds(60))) {
      std::fprintf(stderr, "ui_trace_writer: the trace was not stored within 60 s\n");
      return 1;
    }
    std::printf("{\"experiment_id\": \"%s\", \"trace_id\": \"%s\"}\n", experiment_id.c_str(),
                trace_id.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ui_trace_writer: %s\n", e.what());
    return 1;
  }
}
