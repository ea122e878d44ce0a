// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Refusal conformance: every case of tests/interop/data/refusal_cases.json (from
// gen_refusal_cases.py: every registry call on a prompt, every prompt call on a model, wrong
// kinds of ids, deleted objects, stage and alias misuse) is run through Python MLflow 3.18's
// MlflowClient (refusal_conformance.py, one Python process for both stores) and through
// mlflow-cpp, on the embedded SQLite store and on the real server. On each store, each case must
// end alike: the same error code and message, or the same result, and the same stored state
// read back afterwards.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "fluent/state.hpp"
#include "interop/refusal_runner.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace {

using nlohmann::json;

std::string cases_path() {
  return mlflow::testing::source_dir() + "/tests/interop/data/refusal_cases.json";
}

std::string random_token() {
  std::random_device rd;
  std::string out;
  for (int k = 0; k < 6; ++k) out += "abcdefghijklmnopqrstuvwxyz"[rd() % 26];
  return out;
}

json run_python(const std::string& dir, const std::string& token, const std::string& file_uri,
                const std::string& server_uri) {
  using mlflow::testing::shell_quote;
  return mlflow::testing::run_python_peer_json(
      dir, "refusal_conformance.py",
      shell_quote(cases_path()) + " " + shell_quote(token) + " " + shell_quote(file_uri) + " " +
          shell_quote(server_uri));
}

struct Tally {
  int equal = 0;     // same outcome, same state, same message
  int refusals = 0;  // of those, refusals
  int wording = 0;   // same outcome and state, the other Python store's wording
  int server_rule = 0;
  int mismatches = 0;
};

// A message with what MLflow's SQL store leaks of SQLAlchemy ("... already exists. Error:
// (raised as a result of Query-invoked autoflush ...) [SQL: ...]") cut off: the embedded C++
// store has no SQLAlchemy to quote (over REST C++ passes the server's text on whole).
std::string message_of(const json& outcome) {
  std::string m = outcome.value("message", "");
  if (m.find("https://sqlalche.me/") != std::string::npos) m = m.substr(0, m.find(" Error: "));
  return m;
}

json without_message(json entry) {
  if (entry.contains("outcome")) entry["outcome"].erase("message");
  entry.erase("state_before");
  return entry;
}

// One case on one store: `want` is Python on that store, `other` Python on the other store.
// The outcome (error code or result) and the state read back must be equal; the message must
// be Python's on this store, or, where Python's two stores word the same refusal differently,
// either wording.
void compare_case(const std::string& label, const json& c, const json& want, const json& other,
                  const json& got, Tally& tally) {
  const std::string id = c.at("id");
  const auto fail = [&](const std::string& why) {
    if (++tally.mismatches <= 60) {
      ADD_FAILURE() << label << " " << id << " (" << c.at("family").get<std::string>()
                    << "): " << c.at("op").get<std::string>() << " " << c.at("args").dump() << ": "
                    << why << "\n  python: " << want.dump() << "\n  c++:    " << got.dump();
    }
  };
  if (without_message(want) != without_message(got)) return fail("different outcome or state");
  const std::string mine = message_of(got.at("outcome"));
  if (mine == message_of(want.at("outcome"))) {
    ++tally.equal;
    if (want.at("outcome").contains("error")) ++tally.refusals;
  } else if (message_of(other.at("outcome")) != message_of(want.at("outcome")) &&
             mine == message_of(other.at("outcome"))) {
    ++tally.wording;
  } else {
    fail("different message");
  }
}

// A server_rule case on the embedded store: Python's SQL store accepts what its server refuses;
// C++ must give the server's answer and leave the state as Python's was before the call.
void compare_server_rule(const json& c, const json& py_file, const json& py_server, const json& got,
                         Tally& tally) {
  const std::string id = c.at("id");
  const json& server_outcome = py_server.at("outcome");
  const bool still_disagree =
      py_file.at("outcome").contains("result") && server_outcome.contains("error");
  const bool same = got.at("outcome").value("error", "") == server_outcome.value("error", "-") &&
                    message_of(got.at("outcome")) == message_of(server_outcome) &&
                    got.at("state") == py_file.at("state_before");
  if (still_disagree && same) {
    ++tally.server_rule;
    return;
  }
  if (++tally.mismatches <= 60) {
    ADD_FAILURE() << "embedded " << id
                  << " (server rule: " << c.at("server_rule").get<std::string>()
                  << "): " << c.at("op").get<std::string>() << " " << c.at("args").dump()
                  << (still_disagree ? "" : " -- Python's stores no longer disagree")
                  << "\n  python file:   " << py_file.dump()
                  << "\n  python server: " << py_server.dump() << "\n  c++:    " << got.dump();
  }
}

TEST(RefusalConformance, EveryMisuseEndsAsInPythonOnBothStores) {
  std::ifstream in(cases_path());
  ASSERT_TRUE(in) << "missing " << cases_path();
  const json cases = json::parse(in);
  ASSERT_GT(cases.size(), 200u);

  const std::string dir = mlflow::testing::make_temp_dir("refusal");
  const std::string server = mlflow::testing::server_uri();
  const std::string token = random_token();
  const std::string py_file = "sqlite:///" + dir + "/python.db";
  const std::string cpp_file = "sqlite:///" + dir + "/cpp.db";

  // Python runs in its own process while C++ runs here (different names, different files).
  // MLFLOW_REFUSAL_PYTHON_JSON: a python.json kept from an earlier run against this server
  // (development aid: reruns only the C++ side; CI always runs Python).
  const char* saved = std::getenv("MLFLOW_REFUSAL_PYTHON_JSON");
  const bool use_saved = saved != nullptr && *saved != '\0';
  std::future<json> python_run;
  if (!use_saved) {
    python_run = std::async(std::launch::async,
                            [&] { return run_python(dir, "p" + token, py_file, server); });
  }
  const json cpp_on_file = mlflow::testing::run_refusal_cases(cases, cpp_file, "c" + token);
  const json cpp_on_server = mlflow::testing::run_refusal_cases(cases, server, "c" + token);
  mlflow::internal::reset_fluent_state();
  json python;
  if (use_saved) {
    std::ifstream kept(saved);
    const json old = json::parse(kept);
    for (auto it = old.begin(); it != old.end(); ++it) {
      python[it.key().rfind("sqlite:", 0) == 0 ? py_file : server] = it.value();
    }
  } else {
    python = python_run.get();
  }
  ASSERT_TRUE(python.is_object());

  // Both sides' descriptions are kept beside the databases, for a diff when a case differs.
  std::ofstream(dir + "/python.json") << python.dump(1);
  std::ofstream(dir + "/cpp.json") << json{{py_file, cpp_on_file}, {server, cpp_on_server}}.dump(1);

  Tally file, remote;
  const json& py_on_file = python.at(py_file);
  const json& py_on_server = python.at(server);
  for (const auto& c : cases) {
    const std::string id = c.at("id");
    if (c.contains("server_rule")) {
      compare_server_rule(c, py_on_file.at(id), py_on_server.at(id), cpp_on_file.at(id), file);
    } else {
      compare_case("embedded", c, py_on_file.at(id), py_on_server.at(id), cpp_on_file.at(id), file);
    }
    compare_case("server", c, py_on_server.at(id), py_on_file.at(id), cpp_on_server.at(id), remote);
  }
  const auto report = [](const Tally& t) {
    return std::to_string(t.equal) + " identical (" + std::to_string(t.refusals) + " refusals), " +
           std::to_string(t.wording) + " in the other Python store's words, " +
           std::to_string(t.server_rule) + " by the server's rule, " +
           std::to_string(t.mismatches) + " different";
  };
  std::cout << "refusal conformance: " << cases.size() << " cases; embedded store: " << report(file)
            << "; server: " << report(remote) << "\n";
  EXPECT_EQ(file.mismatches, 0) << "outcomes: " << dir << "/python.json and " << dir << "/cpp.json";
  EXPECT_EQ(remote.mismatches, 0);
}

}  // namespace
