// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// C++ side of `make bench-prompts`: load_prompt by alias against a real MLflow server, N calls
// with the prompt cache (Python's default TTL rules) and N calls without it
// (cache_ttl_seconds = 0: every call goes to the server; Python makes two REST requests, the
// registered model and the alias, where mlflow-cpp makes one because the alias points at the
// prompt's newest version, which the registered model's answer carries: ADR 0017).
// bench/python/bench_prompts.py does the same with mlflow.genai.load_prompt.
//
//   bench_prompts TRACKING_URI [--calls N] [--uncached-calls N]
//
// --uncached-calls (default: --calls, 10,000) shortens the uncached variant alone: each of its
// calls waits on the server, which a loaded machine serves at a few dozen requests per second.
//
// Prints one machine-readable line per variant:
//   BENCH_JSON {"client":"cpp","variant":"cached"|"uncached","calls":N,"wall_s":...,
//               "calls_per_s":...,"cpu_s":...,"verified":true}

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The template both benches register (same bytes on the wire).
const char* const kTemplate =
    "You are a helpful assistant for {{ owner }}. Answer the question about {{ topic }} "
    "in at most {{ n }} sentences.";

bool run_variant(mlflow::MlflowClient& client, const std::string& uri, const char* variant,
                 int calls, bool cached) {
  mlflow::LoadPromptOptions options;
  if (!cached) options.cache_ttl_seconds = 0;
  // One untimed call: connection set-up, and the cache filled for the cached variant.
  bool verified = client.load_prompt(uri, options)->template_text() == kTemplate;
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  int version_sum = 0;
  for (int i = 0; i < calls; ++i) {
    const auto pv = client.load_prompt(uri, options);
    version_sum += pv->version();
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = cpu_seconds() - cpu0;
  verified = verified && version_sum == calls;  // alias "prod" points at version 1
  std::printf("cpp %-8s %d calls in %.3f s: %.0f calls/s, client CPU %.3f s%s\n", variant, calls,
              wall, calls / wall, cpu, verified ? "" : " (NOT VERIFIED)");
  std::printf(
      "BENCH_JSON {\"client\":\"cpp\",\"variant\":\"%s\",\"calls\":%d,\"wall_s\":%.6f,"
      "\"calls_per_s\":%.3f,\"cpu_s\":%.6f,\"verified\":%s}\n",
      variant, calls, wall, calls / wall, cpu, verified ? "true" : "false");
  std::fflush(stdout);
  return verified;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_prompts TRACKING_URI [--calls N] [--uncached-calls N]\n");
    return 2;
  }
  int calls = 10000;
  int uncached_calls = -1;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--calls") == 0) calls = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--uncached-calls") == 0) uncached_calls = std::atoi(argv[i + 1]);
  }
  if (uncached_calls < 0) uncached_calls = calls;
  try {
    mlflow::MlflowClient client(argv[1]);
    const std::string name = "bench-prompt-cpp-" + std::to_string(::getpid());
    mlflow::RegisterPromptOptions options;
    options.commit_message = "bench";
    client.register_prompt(name, kTemplate, options);
    client.set_prompt_alias(name, "prod", 1);
    const std::string uri = "prompts:/" + name + "@prod";
    bool ok = run_variant(client, uri, "cached", calls, true);
    ok = run_variant(client, uri, "uncached", uncached_calls, false) && ok;
    client.delete_prompt(name);
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_prompts: %s\n", e.what());
    return 1;
  }
}
