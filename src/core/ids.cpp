// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/ids.hpp"

#include <unistd.h>

#include <array>
#include <cstdint>
#include <random>

namespace mlflow::internal {
namespace {

// Seeded per thread from the OS, and re-seeded in a forked child: fork() copies the engine, so
// without the pid check parent and children would generate the same run ids.
std::mt19937_64& rng() {
  struct Seeded {
    pid_t pid = -1;
    std::mt19937_64 engine;
  };
  thread_local Seeded state;
  const pid_t pid = ::getpid();
  if (state.pid != pid) {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    state.engine.seed(seq);
    state.pid = pid;
  }
  return state.engine;
}

// Our own lists in the style of MLflow's run names (short, friendly, lowercase).
constexpr std::array<const char*, 48> kAdjectives = {
    "amber",  "bold",   "brave",  "bright", "calm",   "clever", "cosmic", "crisp",
    "daring", "dusty",  "eager",  "fancy",  "fierce", "gentle", "glossy", "golden",
    "grand",  "happy",  "hazy",   "honest", "humble", "jolly",  "keen",   "lively",
    "lucky",  "mellow", "merry",  "mighty", "misty",  "nimble", "noble",  "polite",
    "proud",  "quiet",  "rapid",  "rustic", "serene", "shiny",  "silent", "silver",
    "smooth", "snowy",  "steady", "sunny",  "swift",  "tidy",   "vivid",  "witty"};
constexpr std::array<const char*, 48> kNouns = {
    "badger", "bear",   "bee",   "bison", "crane", "crow",  "deer",  "dove",  "eagle", "elk",
    "falcon", "ferret", "finch", "fox",   "gecko", "goat",  "hare",  "hawk",  "heron", "ibis",
    "jay",    "koala",  "lark",  "lemur", "lion",  "lynx",  "mole",  "moose", "newt",  "otter",
    "owl",    "panda",  "quail", "raven", "robin", "seal",  "shrew", "sloth", "snail", "swan",
    "tapir",  "tiger",  "toad",  "trout", "vole",  "whale", "wolf",  "yak"};

}  // namespace

std::string uuid4_hex() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t hi = rng()();
  std::uint64_t lo = rng()();
  // RFC 4122: version 4 in the high nibble of byte 6, variant 10xx in byte 8.
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[static_cast<std::size_t>(15 - i)] = kHex[(hi >> (4 * i)) & 0xf];
    out[static_cast<std::size_t>(31 - i)] = kHex[(lo >> (4 * i)) & 0xf];
  }
  return out;
}

std::string random_run_name() {
  std::uniform_int_distribution<std::size_t> adj(0, kAdjectives.size() - 1);
  std::uniform_int_distribution<std::size_t> noun(0, kNouns.size() - 1);
  std::uniform_int_distribution<int> num(0, 1000);
  std::string name;
  // Like MLflow: retry a few times to stay within 20 characters, then truncate.
  for (int attempt = 0; attempt < 10; ++attempt) {
    name = std::string(kAdjectives[adj(rng())]) + "-" + kNouns[noun(rng())] + "-" +
           std::to_string(num(rng()));
    if (name.size() <= 20) return name;
  }
  return name.substr(0, 20);
}

}  // namespace mlflow::internal
