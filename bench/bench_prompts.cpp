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

#include "bench_common.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"

namespace {

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
  int version_sum = 0;
  const auto [wall, cpu] = bench::timed([&] {
    for (int i = 0; i < calls; ++i) version_sum += client.load_prompt(uri, options)->version();
  });
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
  // --uncached-calls 0 (the default): as many as --calls.
  const auto args =
      bench::parse_args(argc, argv, "bench_prompts", {{"calls", 10000}, {"uncached-calls", 0}});
  if (!args) return 2;
  const int calls = (*args)["calls"];
  const int uncached_calls = (*args)["uncached-calls"] > 0 ? (*args)["uncached-calls"] : calls;
  try {
    mlflow::MlflowClient client(args->uri);
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
