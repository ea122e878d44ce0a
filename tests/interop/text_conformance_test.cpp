// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The text conformance table (issue 15): every case of tests/interop/data/text_cases.json
// (gen_text_cases.py: keys and values in many scripts, emoji, combining marks, no-break spaces,
// invalid UTF-8, at and around every length limit, through every call that stores text) runs
// through mlflow-cpp and, in text_conformance.py, through Python MLflow 3.18, each on the
// embedded/SQL store and on the real server. Per store, mlflow-cpp must accept what Python
// accepts (and refuse with the same code what it refuses), store the same text as Python reads
// it back, refuse invalid UTF-8 (which Python cannot hold) naming the field, and leave no
// invalid UTF-8 in any SQLite file.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using nlohmann::json;
constexpr std::int64_t kT0 = 1718000000000;

// Expands a text spec of the table (see gen_text_cases.py).
std::string text(const json& spec) {
  if (spec.is_string()) return spec.get<std::string>();
  if (spec.contains("hex")) {
    const std::string hex = spec["hex"].get<std::string>();
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
      out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
  }
  std::string out = spec["pre"].get<std::string>();
  const std::string unit = spec["rep"].get<std::string>();
  for (int i = 0; i < spec["n"].get<int>(); ++i) out += unit;
  return out + spec["post"].get<std::string>();
}

std::vector<std::pair<std::string, std::string>> pairs(const json& items) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& kv : items) out.emplace_back(text(kv[0]), text(kv[1]));
  return out;
}

std::map<std::string, std::string> dict(const json& items) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : pairs(items)) out[k] = v;
  return out;
}

std::optional<std::string> optional_text(const json& args, const char* field) {
  if (!args.contains(field)) return std::nullopt;
  return text(args[field]);
}

struct Context {
  std::string exp_id;
  Run source_run;
};

// Runs one case; returns {ok, code, message, loc} where loc names what Python reads back.
json run_case(MlflowClient& c, const json& kase, const std::string& prefix, const Context& ctx) {
  const std::string call = kase["call"].get<std::string>();
  const json& a = kase["args"];
  json loc = json::object();
  const auto name = [&](const char* field = "name") {
    return a.value("noprefix", false) ? text(a[field]) : prefix + text(a[field]);
  };
  const auto remember_name = [&](const char* key, const std::string& n) {
    // Python can only be handed valid UTF-8; an invalid name is never created anyway.
    if (internal::utf8::is_valid(n)) loc[key] = n;
  };
  try {
    if (call == "log_metric" || call == "log_param" || call == "set_tag" || call == "log_batch" ||
        call == "update_run" || call == "log_inputs") {
      CreateRunOptions o;
      o.start_time = kT0;
      o.run_name = "r";
      loc["run_id"] = c.create_run(ctx.exp_id, o).info.run_id;
    }
    if (call == "set_experiment_tag" || call == "rename_experiment") {
      loc["experiment_id"] = c.create_experiment(prefix + "e");
    }
    if (call == "set_registered_model_tag" || call == "create_model_version" ||
        call == "set_model_version_tag" || call == "set_registered_model_alias") {
      loc["model"] = prefix + "m";
      c.create_registered_model(prefix + "m");
    }
    if (call == "set_model_version_tag" || call == "set_registered_model_alias") {
      CreateModelVersionOptions o;
      o.run_id = ctx.source_run.info.run_id;
      c.create_model_version(prefix + "m", ctx.source_run.info.artifact_uri + "/model", o);
    }
    if (call == "set_logged_model_tags" || call == "log_model_params") {
      loc["model_id"] = c.create_logged_model(ctx.exp_id).model_id;
    }
    const std::string run_id = loc.value("run_id", "");
    const std::string model = loc.value("model", "");
    if (call == "log_metric") {
      LogMetricOptions o;
      o.timestamp = kT0;
      c.log_metric(run_id, text(a["key"]), 1.0, o);
    } else if (call == "log_param") {
      c.log_param(run_id, text(a["key"]), text(a["value"]));
    } else if (call == "set_tag") {
      c.set_tag(run_id, text(a["key"]), text(a["value"]));
    } else if (call == "log_batch") {
      std::vector<Metric> metrics;
      for (const auto& k : a.value("metrics", json::array()))
        metrics.push_back({text(k), 1.0, kT0, 0});
      std::vector<Param> params;
      for (const auto& [k, v] : pairs(a.value("params", json::array()))) params.push_back({k, v});
      std::vector<RunTag> tags;
      for (const auto& [k, v] : pairs(a.value("tags", json::array()))) tags.push_back({k, v});
      c.log_batch(run_id, metrics, params, tags);
    } else if (call == "create_run") {
      CreateRunOptions o;
      o.start_time = kT0;
      o.run_name = a.contains("run_name") ? text(a["run_name"]) : "r";
      o.tags = dict(a.value("tags", json::array()));
      loc["run_id"] = c.create_run(ctx.exp_id, o).info.run_id;
    } else if (call == "update_run") {
      UpdateRunOptions o;
      o.name = text(a["name"]);
      c.update_run(run_id, o);
    } else if (call == "log_inputs") {
      const json& d = a["dataset"];
      Dataset ds{text(d["name"]),   text(d["digest"]),          text(d["source_type"]),
                 text(d["source"]), optional_text(d, "schema"), optional_text(d, "profile")};
      std::vector<InputTag> tags;
      for (const auto& [k, v] : pairs(a["tags"])) tags.push_back({k, v});
      c.log_inputs(run_id, {DatasetInput{ds, tags}});
    } else if (call == "create_experiment") {
      const std::string n = name();
      remember_name("name", n);
      CreateExperimentOptions o;
      o.tags = dict(a.value("tags", json::array()));
      loc["experiment_id"] = c.create_experiment(n, o);
    } else if (call == "set_experiment_tag") {
      c.set_experiment_tag(loc["experiment_id"].get<std::string>(), text(a["key"]),
                           text(a["value"]));
    } else if (call == "rename_experiment") {
      c.rename_experiment(loc["experiment_id"].get<std::string>(), name());
    } else if (call == "create_registered_model") {
      const std::string n = name();
      remember_name("model", n);
      CreateRegisteredModelOptions o;
      o.tags = dict(a.value("tags", json::array()));
      o.description = optional_text(a, "description");
      c.create_registered_model(n, o);
    } else if (call == "set_registered_model_tag") {
      c.set_registered_model_tag(model, text(a["key"]), text(a["value"]));
    } else if (call == "create_model_version") {
      CreateModelVersionOptions o;
      o.run_id = ctx.source_run.info.run_id;
      o.tags = dict(a.value("tags", json::array()));
      o.description = optional_text(a, "description");
      c.create_model_version(model, ctx.source_run.info.artifact_uri + "/model", o);
    } else if (call == "set_model_version_tag") {
      c.set_model_version_tag(model, "1", text(a["key"]), text(a["value"]));
    } else if (call == "set_registered_model_alias") {
      c.set_registered_model_alias(model, text(a["alias"]), "1");
    } else if (call == "create_logged_model") {
      CreateLoggedModelOptions o;
      o.name = text(a["name"]);
      o.tags = dict(a.value("tags", json::array()));
      o.params = dict(a.value("params", json::array()));
      loc["model_id"] = c.create_logged_model(ctx.exp_id, o).model_id;
    } else if (call == "set_logged_model_tags") {
      c.set_logged_model_tags(loc["model_id"].get<std::string>(), pairs(a["tags"]));
    } else if (call == "log_model_params") {
      c.log_model_params(loc["model_id"].get<std::string>(), pairs(a["params"]));
    } else if (call == "register_prompt") {
      const std::string n = name();
      remember_name("prompt", n);
      RegisterPromptOptions o;
      o.commit_message = optional_text(a, "commit_message");
      o.tags = dict(a.value("tags", json::array()));
      c.register_prompt(n, text(a["template"]), o);
    } else {
      ADD_FAILURE() << "unknown call " << call;
    }
    return {{"ok", true}, {"code", ""}, {"message", ""}, {"loc", loc}};
  } catch (const MlflowException& e) {
    return {{"ok", false},
            {"code", error_code_name(e.error_code())},
            {"message", std::string(e.what())},
            {"loc", loc}};
  }
}

std::string random_prefix() {
  std::random_device rd;
  std::mt19937 gen(rd());
  static const char* hex = "0123456789abcdef";
  std::string p = "c";
  for (int i = 0; i < 7; ++i) p += hex[gen() % 16];
  return p;  // + 4 digits of the case index = 12 characters, as Python's
}

json run_store(const std::string& uri, const json& cases) {
  ClientOptions options;
  options.tracking_uri = uri;
  options.registry_uri = uri;
  MlflowClient c(options);
  const std::string run_prefix = random_prefix();
  Context ctx;
  ctx.exp_id = c.create_experiment(run_prefix + "-text-runs");
  CreateRunOptions o;
  o.start_time = kT0;
  o.run_name = "source";
  ctx.source_run = c.create_run(ctx.exp_id, o);
  json out = json::object();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    char index[24];
    std::snprintf(index, sizeof index, "%04zu", i);
    const std::string prefix = run_prefix + index;
    json r = run_case(c, cases[i], prefix, ctx);
    r["prefix"] = prefix;
    out[cases[i]["id"].get<std::string>()] = std::move(r);
  }
  return out;
}

TEST(TextConformance, EveryCaseMatchesPythonOnBothStores) {
  const std::string cases_path =
      mlflow::testing::source_dir() + "/tests/interop/data/text_cases.json";
  std::ifstream in(cases_path);
  ASSERT_TRUE(in) << "missing " << cases_path;
  const json cases = json::parse(in);
  ASSERT_GT(cases.size(), 400u);

  const std::string dir = mlflow::testing::make_temp_dir("text-conformance");
  const std::string cpp_db = dir + "/cpp.db";
  const std::string cpp_path = dir + "/cpp.json";
  const std::string server = mlflow::testing::server_uri();
  const char* server_dir = std::getenv("MLFLOW_TEST_SERVER_DIR");
  ASSERT_NE(server_dir, nullptr);

  // Python runs its side while ours runs (it reads our data once cpp.json appears); the two
  // stores run at the same time on each side.
  mlflow::testing::CommandResult py;
  std::thread python([&] {
    py = mlflow::testing::run_command(mlflow::testing::python_peer_command(
        "text_conformance.py", {cases_path, cpp_path, cpp_db, dir + "/py.db", server,
                                std::string(server_dir) + "/mlflow.db"}));
  });
  json sqlite_results, server_results;
  std::thread embedded([&] { sqlite_results = run_store("sqlite:///" + cpp_db, cases); });
  server_results = run_store(server, cases);
  embedded.join();
  json cpp = json::object();
  for (const auto& kase : cases) {
    const std::string id = kase["id"].get<std::string>();
    cpp[id] = {{"sqlite", sqlite_results[id]}, {"server", server_results[id]}};
  }
  std::ofstream(cpp_path + ".tmp") << cpp.dump(-1, ' ', true, json::error_handler_t::replace);
  std::filesystem::rename(cpp_path + ".tmp", cpp_path);
  python.join();
  ASSERT_EQ(py.exit_code, 0) << py.output.substr(0, 4000);
  const json result = json::parse(py.output);

  int mismatches = 0, accepted = 0, refused = 0, unholdable = 0;
  for (const auto& kase : cases) {
    const std::string id = kase["id"].get<std::string>();
    for (const char* store : {"sqlite", "server"}) {
      const json& want = result["python"][store][id];
      const json& got = cpp[id][store];
      const json& stored = result["cpp_read"][store][id];
      const std::string want_code = want["code"].get<std::string>();
      bool same;
      if (want_code == "UNHOLDABLE") {
        ++unholdable;
        // Python cannot hold the text; ours is a refusal that names the field and the byte.
        same = !got["ok"].get<bool>() && got["code"] == "INVALID_PARAMETER_VALUE" &&
               got["message"].get<std::string>().find("is not valid UTF-8 (byte 0x") !=
                   std::string::npos;
      } else {
        same = got["ok"] == want["ok"] && got["code"] == want["code"];
        (want["ok"].get<bool>() ? accepted : refused) += 1;
      }
      const bool same_text = stored == want["stored"];
      if (!same || !same_text) {
        if (++mismatches <= 25) {
          ADD_FAILURE() << id << " [" << store << "] python: " << want["ok"] << " " << want_code
                        << ", mlflow-cpp: " << got["ok"] << " " << got["code"] << " "
                        << got["message"].get<std::string>().substr(0, 200)
                        << (same_text
                                ? std::string()
                                : "\n  stored by python:     " +
                                      want["stored"].dump().substr(0, 600) +
                                      "\n  stored by mlflow-cpp: " + stored.dump().substr(0, 600));
        }
      }
    }
  }
  for (const auto& [file, cells] : result["invalid_utf8"].items()) {
    EXPECT_TRUE(cells.empty()) << file << " holds invalid UTF-8 in " << cells.dump();
  }
  EXPECT_EQ(mismatches, 0);
  std::cout << "[text conformance] " << cases.size() << " cases x 2 stores: " << accepted
            << " accepted and " << refused << " refused as Python does, " << unholdable
            << " invalid UTF-8 refused (Python cannot hold it), " << mismatches << " mismatches\n";
}

}  // namespace
}  // namespace mlflow
