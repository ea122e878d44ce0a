// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Distributed tracing across processes, against the real MLflow 3.18 server: this test program
// is the C++ client; it calls a C++ service process (tests/distributed/cpp_trace_service.cpp)
// and a Python service process (tests/interop/python_trace_service.py, the pinned mlflow, which
// calls the C++ service in turn) over HTTP with the W3C `traceparent` header. Each process
// exports its own spans; get_trace on the server must return one trace holding all of them
// with the right parents.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "fluent/state.hpp"
#include "mlflow/mlflow.hpp"
#include "support/forked_child.hpp"
#include "support/test_env.hpp"
#include "tracing/provider.hpp"
#include "transport/http_transport.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;
using testing::unique_name;

// A service process: started with the tracking server and experiment in its environment,
// listening on the port it prints first; killed when the test ends.
class ServiceProcess {
 public:
  ServiceProcess(std::vector<std::string> argv, const std::string& experiment_id) {
    std::vector<std::string> env = {
        "MLFLOW_TRACKING_URI=" + testing::server_uri(), "MLFLOW_EXPERIMENT_ID=" + experiment_id,
        "HOME=" + testing::make_temp_dir("trace-service"), "PATH=/usr/bin:/bin"};
    // Built before forking: the child of a threaded program only execs.
    std::vector<char*> args, envp;
    for (auto& a : argv) args.push_back(a.data());
    for (auto& e : env) envp.push_back(e.data());
    args.push_back(nullptr);
    envp.push_back(nullptr);
    const auto child = testing::fork_child([&](int to_parent) {
      ::dup2(to_parent, STDOUT_FILENO);
      ::execve(args[0], args.data(), envp.data());
      return 127;
    });
    pid_ = child.pid;
    const std::string line = child.from_child >= 0 ? testing::read_line(child.from_child) : "";
    if (child.from_child >= 0) ::close(child.from_child);
    if (line.rfind("port ", 0) == 0) url_ = "http://127.0.0.1:" + line.substr(5) + "/answer";
  }
  ~ServiceProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;
  /// Empty when the service did not start.
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

std::vector<std::string> cpp_service() { return {MLFLOW_CPP_TRACE_SERVICE}; }

std::vector<std::string> python_service(const std::string& downstream_url) {
  return {testing::mlflow_python(),
          testing::source_dir() + "/tests/interop/python_trace_service.py", downstream_url};
}

internal::HttpResponse post(const std::string& url, const std::map<std::string, std::string>& h,
                            const std::string& body) {
  internal::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.body = body;
  request.headers.assign(h.begin(), h.end());
  request.headers.emplace_back("Content-Type", "text/plain");
  auto result = internal::make_curl_transport({})->send(request);
  if (!result.ok()) throw std::runtime_error("POST " + url + ": " + result.error->message);
  return *result.response;
}

class DistributedTracingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    internal::reset_fluent_state();
    internal::tracing::reset_for_tests();
    set_tracking_uri(testing::server_uri());
    experiment_ = set_experiment(unique_name("distributed")).experiment_id;
  }
  void TearDown() override {
    EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
    set_tracking_uri("");
    internal::reset_fluent_state();
    internal::tracing::reset_for_tests();
  }

  // client-root (AGENT) -> client-call (TOOL), which calls `url` with the trace context.
  // Returns the trace id; `reply` gets the service's answer.
  std::string call_traced(const std::string& url, JsonValue& reply) {
    std::string trace_id;
    {
      auto root = start_span("client-root", SpanType::kAgent);
      trace_id = root.trace_id();
      auto call = start_span("client-call", SpanType::kTool);
      const auto response =
          post(url, get_tracing_context_headers_for_http_request(), "What is 6 x 7?");
      EXPECT_EQ(response.status, 200) << response.body;
      reply = JsonValue::parse(response.body);
      call.set_outputs(reply);
    }
    return trace_id;
  }

  // Each span's name -> its parent's name ("" for the root), read back from the server.
  std::map<std::string, std::string> parents_on_server(const std::string& trace_id) {
    EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
    const Trace trace = MlflowClient(testing::server_uri()).get_trace(trace_id);
    EXPECT_EQ(trace.info.experiment_id(), experiment_);
    EXPECT_EQ(trace.info.state, TraceState::kOk);
    std::map<std::string, std::string> name_of;
    for (const auto& s : trace.data.spans) name_of[s.span_id] = s.name;
    std::map<std::string, std::string> parents;
    for (const auto& s : trace.data.spans) {
      EXPECT_EQ(s.trace_id, trace_id) << s.name;
      EXPECT_EQ(s.status.status_code, SpanStatusCode::kOk) << s.name;
      const auto parent = s.parent_id ? name_of.find(*s.parent_id) : name_of.end();
      // A parent that is not in the trace shows as such in the comparison.
      parents[s.name] = !s.parent_id              ? ""
                        : parent != name_of.end() ? parent->second
                                                  : "(missing " + *s.parent_id + ")";
    }
    return parents;
  }

  std::string experiment_;
};

TEST_F(DistributedTracingTest, CppClientAndCppServiceShareOneTrace) {
  ServiceProcess service(cpp_service(), experiment_);
  ASSERT_FALSE(service.url().empty()) << "the C++ service did not start";
  JsonValue reply;
  const std::string trace_id = call_traced(service.url(), reply);
  EXPECT_EQ(reply.at("trace_id").as_string(), trace_id);
  const std::map<std::string, std::string> expected = {{"client-root", ""},
                                                       {"client-call", "client-root"},
                                                       {"cpp-service-handle", "client-call"},
                                                       {"cpp-service-model", "cpp-service-handle"}};
  EXPECT_EQ(parents_on_server(trace_id), expected);
  // The service's part keeps its span types and token usage on the server.
  const Trace trace = MlflowClient(testing::server_uri()).get_trace(trace_id);
  for (const auto& s : trace.data.spans) {
    if (s.name == "cpp-service-model") {
      EXPECT_EQ(s.span_type(), "LLM");
      EXPECT_EQ(s.get_attribute("mlflow.chat.tokenUsage")->dump(),
                R"({"input_tokens": 7, "output_tokens": 3, "total_tokens": 10})");
    }
    if (s.name == "cpp-service-handle") {
      EXPECT_EQ(s.span_id, reply.at("span_id").as_string());
    }
  }
}

TEST_F(DistributedTracingTest, CppClientThroughPythonServiceToCppServiceIsOneTrace) {
  ServiceProcess cpp(cpp_service(), experiment_);
  ASSERT_FALSE(cpp.url().empty()) << "the C++ service did not start";
  ServiceProcess python(python_service(cpp.url()), experiment_);
  ASSERT_FALSE(python.url().empty()) << "the Python service did not start";
  JsonValue reply;
  const std::string trace_id = call_traced(python.url(), reply);
  EXPECT_EQ(reply.at("trace_id").as_string(), trace_id);
  EXPECT_EQ(reply.at("downstream").at("trace_id").as_string(), trace_id);
  const std::map<std::string, std::string> expected = {
      {"client-root", ""},
      {"client-call", "client-root"},
      {"python-service-handle", "client-call"},
      {"python-service-call", "python-service-handle"},
      {"cpp-service-handle", "python-service-call"},
      {"cpp-service-model", "cpp-service-handle"}};
  EXPECT_EQ(parents_on_server(trace_id), expected);
}

TEST_F(DistributedTracingTest, ServicesRefuseARequestWithoutTraceparentAsPythonDoes) {
  ServiceProcess cpp(cpp_service(), experiment_);
  ASSERT_FALSE(cpp.url().empty()) << "the C++ service did not start";
  ServiceProcess python(python_service(cpp.url()), experiment_);
  ASSERT_FALSE(python.url().empty()) << "the Python service did not start";
  // No header, or one under a name Python does not look for (it takes "traceparent" and
  // "Traceparent" only).
  const std::string context = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  for (const auto* url : {&cpp.url(), &python.url()}) {
    for (const auto& headers : std::vector<std::map<std::string, std::string>>{
             {}, {{"TRACEPARENT", context}}, {{"TraceParent", context}}}) {
      const std::string sent = headers.empty() ? "none" : headers.begin()->first;
      const auto response = post(*url, headers, "no context");
      EXPECT_EQ(response.status, 400) << *url << " with " << sent;
      EXPECT_THAT(response.body, HasSubstr("The http request headers do not contain the "
                                           "required key 'traceparent'"))
          << *url << " with " << sent;
    }
  }
}

}  // namespace
}  // namespace mlflow
