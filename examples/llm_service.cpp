// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// A small LLM service in C++, traced with MLflow: each request is one trace
//
//   handle_request (AGENT)            inputs: the question; outputs: the answer
//   ├── retrieve_context (RETRIEVER)  the documents the answer is grounded on
//   └── chat_completion (CHAT_MODEL)  model, token usage (mlflow.chat.tokenUsage), cost
//
// whose prompt comes from the prompt registry (loaded inside the trace, so the trace links to
// that prompt version), recorded against an active model version (the app version, "Agent
// versions" in the UI), with session and user, and feedback logged on a trace afterwards. The
// model is simulated (deterministic: the same question gets the same answer and token counts),
// so the example runs anywhere; swap simulated_chat_model() for a real inference engine.
//
// Runs on the embedded default store (sqlite:///mlflow.db in the working directory) unless
// MLFLOW_TRACKING_URI names a server; look at the traces with
//   mlflow ui --backend-store-uri sqlite:///mlflow.db
// (README: "Tracing an LLM service").

#include <algorithm>
#include <chrono>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "mlflow/mlflow.hpp"

namespace {

constexpr const char* kPromptName = "llm-service-answer";
// USD per token of the simulated model (what a provider's price list gives).
constexpr double kInputPrice = 0.15e-6;
constexpr double kOutputPrice = 0.60e-6;

struct Completion {
  std::string text;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
};

std::int64_t count_tokens(const std::string& text) {
  std::istringstream words(text);
  return std::distance(std::istream_iterator<std::string>(words),
                       std::istream_iterator<std::string>());
}

// Stands in for the inference engine: answers from the first retrieved document.
Completion simulated_chat_model(const std::string& prompt, const std::vector<std::string>& docs) {
  Completion c;
  c.text = docs.empty() ? "I do not know." : "According to our notes: " + docs.front();
  c.input_tokens = count_tokens(prompt);
  c.output_tokens = count_tokens(c.text);
  return c;
}

// A keyword lookup in a tiny knowledge base (a vector store in a real service).
std::vector<std::string> retrieve(const std::string& question) {
  static const std::vector<std::pair<std::string, std::string>> kDocs = {
      {"refund", "Refunds are paid within 14 days of the return."},
      {"shipping", "Shipping is free for orders over 50 EUR."},
      {"warranty", "Every device has a two-year warranty."},
  };
  std::vector<std::string> found;
  for (const auto& [keyword, doc] : kDocs) {
    if (question.find(keyword) != std::string::npos) found.push_back(doc);
  }
  return found;
}

struct Request {
  std::string question;
  std::string user;
  std::string session;
};

struct Reply {
  std::string trace_id;
  std::string answer;
};

// The request handler: everything in it is recorded on the request's trace.
Reply handle_request(const Request& request, const std::string& request_id) {
  auto root = mlflow::start_span("handle_request", mlflow::SpanType::kAgent);
  root.set_inputs({{"question", request.question}});
  mlflow::UpdateCurrentTraceOptions trace_info;
  trace_info.session_id = request.session;
  trace_info.user = request.user;
  trace_info.client_request_id = request_id;
  mlflow::update_current_trace(trace_info);

  // The documents are the span's outputs (a vector converts to a JSON array).
  const std::vector<std::string> docs =
      mlflow::trace("retrieve_context", [&] { return retrieve(request.question); },
                    {mlflow::SpanType::kRetriever, mlflow::JsonValue{{"query", request.question}}});

  // Loaded inside the trace: the trace records which prompt version produced the answer.
  const auto prompt = mlflow::load_prompt(kPromptName);
  std::string context;
  for (const auto& d : docs) context += "- " + d + "\n";
  const std::string text =
      prompt->format_as_text({{"context", context}, {"question", request.question}});

  auto chat = mlflow::start_span("chat_completion", mlflow::SpanType::kChatModel);
  chat.set_inputs({{"messages", {mlflow::JsonValue{{"role", "user"}, {"content", text}}}}});
  chat.set_model("sim-chat-1", "simulated");
  const Completion completion = simulated_chat_model(text, docs);
  chat.set_token_usage({completion.input_tokens, completion.output_tokens});
  chat.set_cost({completion.input_tokens * kInputPrice, completion.output_tokens * kOutputPrice});
  chat.set_outputs({{"role", "assistant"}, {"content", completion.text}});
  chat.end();

  root.set_outputs({{"answer", completion.text}});
  return {root.trace_id(), completion.text};
}

}  // namespace

int main() {
  try {
    const mlflow::Experiment experiment = mlflow::set_experiment("llm-service");
    // The prompt the service uses (registered once; later runs reuse it).
    mlflow::LoadPromptOptions if_any;
    if_any.allow_missing = true;
    auto prompt = mlflow::load_prompt(kPromptName, if_any);
    if (!prompt) {
      prompt = mlflow::register_prompt(kPromptName,
                                       "Answer the customer's question from the context only.\n"
                                       "Context:\n{{context}}\nQuestion: {{question}}");
    }
    // The app version: every trace from now on is recorded against it.
    const mlflow::LoggedModel model = mlflow::set_active_model(std::string("llm-service-v1"));

    const std::vector<Request> requests = {
        {"How long does a refund take?", "alice", "session-1"},
        {"Is shipping free?", "alice", "session-1"},
        {"What warranty do I get?", "bob", "session-2"},
    };
    std::vector<Reply> replies;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      replies.push_back(handle_request(requests[i], "req-" + std::to_string(i + 1)));
      std::cout << "Q: " << requests[i].question << "\nA: " << replies.back().answer << "\n";
    }
    // Traces are exported in the background; wait for them before annotating them.
    if (!mlflow::flush_trace_async_logging(std::chrono::seconds(30))) {
      std::cerr << "llm_service: the traces were not stored within 30 s (see the errors above)\n";
      return 1;
    }

    // A user liked the first answer (a thumbs-up in the app).
    mlflow::LogFeedbackOptions feedback;
    feedback.name = "user_satisfaction";
    feedback.value = true;
    feedback.source = mlflow::AssessmentSource{mlflow::AssessmentSourceType::kHuman, "alice"};
    feedback.rationale = "The refund period was exactly what I needed.";
    const mlflow::Assessment liked = mlflow::log_feedback(replies[0].trace_id, feedback);

    std::cout << "\nWhere the data went:\n"
              << "  tracking store  " << mlflow::get_tracking_uri() << "\n"
              << "  experiment      " << experiment.name << " (id " << experiment.experiment_id
              << ")\n"
              << "  active model    " << model.name << " (" << model.model_id << ")\n"
              << "  prompt          " << prompt->uri() << "\n";
    for (const auto& r : replies) std::cout << "  trace           " << r.trace_id << "\n";
    std::cout << "  feedback        " << liked.assessment_id.value_or("?") << " on "
              << replies[0].trace_id << "\n";
    const std::string uri = mlflow::get_tracking_uri();
    const std::string page = "#/experiments/" + experiment.experiment_id + "/traces";
    if (uri.rfind("sqlite:", 0) == 0) {
      // The file holds MLflow's own schema: Python's MLflow serves it as it is.
      std::cout << "\nTo look at the traces in the MLflow UI (Python's mlflow 3.x):\n"
                << "  mlflow ui --backend-store-uri " << uri << "\n"
                << "then open http://127.0.0.1:5000/" << page << "\n";
    } else {
      std::cout << "\nOpen " << uri << "/" << page << " to look at the traces in the MLflow UI.\n";
    }
    return 0;
  } catch (const mlflow::MlflowException& e) {
    std::cerr << "mlflow error: " << e.what() << "\n";
    return 1;
  }
}
