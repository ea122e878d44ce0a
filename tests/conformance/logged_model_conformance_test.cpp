// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// Conformance of logged models (MLflow 3): every MlflowClient logged-model method, metrics
// linked by model_id, run outputs, search with each kind of filter, ordering, datasets and
// paging, and the errors, run on the embedded store and on the real MLflow 3.18 server with
// identical normalised transcripts.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "conformance/conformance_harness.hpp"

namespace mlflow::conformance {
namespace {

constexpr std::int64_t kT0 = 1718000000000;

void add_model(Transcript& t, const MlflowClient& c, const LoggedModel& m, const Experiment& e) {
  (void)c;
  std::ostringstream out;
  out << "model " << t.id(m.model_id) << " exp=" << t.id(m.experiment_id) << " name=" << m.name
      << " status=" << to_string(m.status) << " type=" << m.model_type.value_or("<none>")
      << " source_run=" << (m.source_run_id ? t.id(*m.source_run_id) : "<none>")
      << " status_message=" << m.status_message.value_or("<none>");
  // Python: <experiment artifact location>/models/<model_id>/artifacts.
  out << " location_ok="
      << (m.artifact_location == e.artifact_location + "/models/" + m.model_id + "/artifacts");
  out << " id_form=" << (m.model_id.size() == 34 && m.model_id.compare(0, 2, "m-") == 0);
  out << " times_ok="
      << (m.creation_timestamp > 0 && m.last_updated_timestamp >= m.creation_timestamp);
  out << " tags={";
  for (const auto& [k, v] : m.tags) out << k << "=" << v << ";";
  out << "} params={";
  for (const auto& [k, v] : m.params) out << k << "=" << v << ";";
  out << "} metrics=[";
  std::vector<Metric> metrics = m.metrics;
  std::sort(metrics.begin(), metrics.end(), [](const Metric& a, const Metric& b) {
    return std::tie(a.key, a.step, a.timestamp) < std::tie(b.key, b.step, b.timestamp);
  });
  for (const Metric& x : metrics) {
    out << x.key << "=" << fmt(x.value) << "@" << x.step << "/" << (x.timestamp - kT0)
        << " run=" << (x.run_id ? t.id(*x.run_id) : "<none>")
        << " ds=" << x.dataset_name.value_or("-") << ":" << x.dataset_digest.value_or("-")
        << " model=" << (x.model_id ? t.id(*x.model_id) : "<none>") << ";";
  }
  out << "]";
  t.add(out.str());
}

void add_names(Transcript& t, const std::string& label, const PagedList<LoggedModel>& page) {
  std::string line = label + ":";
  for (const LoggedModel& m : page.items) line += " " + m.name;
  line += page.token.empty() ? " (last)" : " (more)";
  t.add(line);
}

// A run started at kT0, so both stores record the same start time.
std::string run_at_t0(MlflowClient& c, const std::string& exp) {
  CreateRunOptions options;
  options.start_time = kT0;
  return c.create_run(exp, options).info.run_id;
}

TEST(LoggedModelConformance, LifecycleTagsParamsAndErrors) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::string exp = c.create_experiment(p);
    const Experiment e = c.get_experiment(exp);
    const std::string run = run_at_t0(c, exp);

    CreateLoggedModelOptions o;
    o.name = "classifier";
    o.source_run_id = run;
    o.model_type = "onnx-cnn";
    o.tags = {{"team", "vision"}, {"stage", "dev"}};
    o.params = {{"lr", "0.01"}, {"layers", "4"}};
    const LoggedModel created = c.create_logged_model(exp, o);
    add_model(t, c, created, e);
    add_model(t, c, c.get_logged_model(created.model_id), e);

    // More than 100 params: the first 100 go with the create call, the rest in batches.
    CreateLoggedModelOptions many;
    many.name = "many-params";
    for (int i = 0; i < 230; ++i) many.params["p" + std::to_string(1000 + i)] = std::to_string(i);
    const LoggedModel big = c.create_logged_model(exp, many);
    t.add("many params: " + std::to_string(c.get_logged_model(big.model_id).params.size()));

    // A model without a name gets a random one.
    const LoggedModel unnamed = c.create_logged_model(exp);
    t.add("random name non-empty: " + std::to_string(!unnamed.name.empty()) +
          " status=" + to_string(unnamed.status));

    c.set_logged_model_tags(created.model_id, {{"stage", "prod"}, {"owner", "cpp"}});
    c.delete_logged_model_tag(created.model_id, "team");
    c.log_model_params(created.model_id, {{"epochs", "10"}});
    add_model(t, c, c.get_logged_model(created.model_id), e);

    add_model(t, c, c.finalize_logged_model(created.model_id, LoggedModelStatus::kReady), e);
    LoggedModel failed = c.finalize_logged_model(unnamed.model_id, LoggedModelStatus::kFailed);
    failed.name = "<random>";
    add_model(t, c, failed, e);

    c.delete_logged_model(big.model_id);
    t.expect_call("get deleted", [&] { c.get_logged_model(big.model_id); });
    t.expect_call("get unknown", [&] { c.get_logged_model("m-00000000000000000000000000000000"); });
    t.expect_call("finalize unknown", [&] {
      c.finalize_logged_model("m-00000000000000000000000000000000", LoggedModelStatus::kReady);
    });
    t.expect_call("delete missing tag",
                  [&] { c.delete_logged_model_tag(created.model_id, "nope"); });
    t.expect_call("tags on unknown", [&] {
      c.set_logged_model_tags("m-00000000000000000000000000000000", {{"a", "b"}});
    });
    t.expect_call("params on unknown", [&] {
      c.log_model_params("m-00000000000000000000000000000000", {{"a", "b"}});
    });
    for (const char* bad : {"a/b", "a.b", "a:b", "50%", "it's", ""}) {
      t.expect_call(std::string("bad name '") + bad + "'", [&] {
        CreateLoggedModelOptions b;
        b.name = bad;
        c.create_logged_model(exp, b);
      });
    }
    t.expect_call("unknown experiment", [&] { c.create_logged_model("999999999"); });
    c.delete_experiment(exp);
    t.expect_call("deleted experiment", [&] { c.create_logged_model(exp); });
  });
}

TEST(LoggedModelConformance, MetricsByModelIdAndRunOutputs) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::string exp = c.create_experiment(p);
    const Experiment e = c.get_experiment(exp);
    const std::string run = run_at_t0(c, exp);
    t.id(run);
    CreateLoggedModelOptions o;
    o.name = "m";
    const LoggedModel m = c.create_logged_model(exp, o);

    LogMetricOptions lo;
    lo.timestamp = kT0 + 1;
    lo.step = 1;
    lo.model_id = m.model_id;
    c.log_metric(run, "acc", 0.9, lo);
    c.log_metric(run, "acc", 0.9, lo);  // exact duplicate: ignored
    lo.dataset_name = "eval";
    t.expect_call("dataset name without digest", [&] { c.log_metric(run, "acc", 0.8, lo); });
    lo.dataset_digest = "d1";
    // Same (model, key, timestamp, step, run) with another value: MLflow's store refuses it.
    t.expect_call("conflicting point", [&] { c.log_metric(run, "acc", 0.8, lo); });
    lo.timestamp = kT0 + 5;
    c.log_metric(run, "acc", 0.8, lo);
    c.log_batch(run, {Metric{"loss", 0.25, kT0 + 2, 2, m.model_id, std::nullopt, std::nullopt},
                      Metric{"loss", 0.5, kT0 + 3, 3, std::nullopt, std::nullopt, std::nullopt}});
    add_model(t, c, c.get_logged_model(m.model_id), e);
    // The run sees them as ordinary metrics too.
    for (const Metric& x : c.get_metric_history(run, "acc")) t.add_metric(x);

    c.log_outputs(run, {ModelOutput{m.model_id, 7}});
    const mlflow::Run r = c.get_run(run);
    for (const ModelOutput& out : r.outputs.model_outputs) {
      t.add("output " + t.id(out.model_id) + " step " + std::to_string(out.step));
    }
    t.expect_call("outputs of unknown run", [&] {
      c.log_outputs("0123456789abcdef0123456789abcdef", {ModelOutput{m.model_id, 0}});
    });
    c.set_terminated(run);
    c.delete_run(run);
    t.expect_call("outputs of deleted run", [&] {
      c.log_outputs(run, {ModelOutput{m.model_id, 0}});
    });
  });
}

TEST(LoggedModelConformance, SearchFiltersOrderingDatasetsAndPaging) {
  const Transcript seen =
      run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
        const std::string exp = c.create_experiment(p);
        const std::string other = c.create_experiment(p + "-other");
        CreateRunOptions ro;
        ro.start_time = kT0;
        const std::string run = c.create_run(exp, ro).info.run_id;
        std::vector<LoggedModel> models;
        const char* names[] = {"alpha", "beta", "gamma", "delta", "Epsilon"};
        for (int i = 0; i < 5; ++i) {
          CreateLoggedModelOptions o;
          o.name = names[i];
          o.model_type = i % 2 ? "tree" : "net";
          o.source_run_id = i < 2 ? std::optional<std::string>(run) : std::nullopt;
          o.tags = {{"rank", std::to_string(i)}};
          o.params = {{"depth", std::to_string(i * 2)}};
          models.push_back(c.create_logged_model(exp, o));
          // Distinct creation milliseconds, so the default order (newest first) is defined.
          std::this_thread::sleep_for(std::chrono::milliseconds(3));
        }
        CreateLoggedModelOptions elsewhere;
        elsewhere.name = "elsewhere";
        c.create_logged_model(other, elsewhere);
        c.finalize_logged_model(models[1].model_id, LoggedModelStatus::kReady);
        c.finalize_logged_model(models[3].model_id, LoggedModelStatus::kReady);
        c.delete_logged_model(models[4].model_id);
        // Metrics: accuracy on two datasets; the latest step counts.
        auto log = [&](const LoggedModel& m, double v, std::int64_t step, const char* ds) {
          LogMetricOptions lo;
          lo.timestamp = kT0 + step * 10 + (ds && std::string(ds) == "test" ? 1 : 0);
          lo.step = step;
          lo.model_id = m.model_id;
          if (ds) {
            lo.dataset_name = ds;
            lo.dataset_digest = std::string(ds) + "-digest";
          }
          c.log_metric(run, "accuracy", v, lo);
        };
        log(models[0], 0.5, 1, "train");
        log(models[0], 0.95, 2, "train");
        log(models[1], 0.7, 1, "train");
        log(models[1], 0.6, 1, "test");
        log(models[2], 0.8, 5, "test");
        log(models[3], 0.3, 1, nullptr);

        SearchLoggedModelsOptions by_name;
        by_name.order_by = {{"name", true, std::nullopt, std::nullopt}};
        for (const std::string& f :
             std::vector<std::string>{"",
                                      "name = 'beta'",
                                      "name != 'beta'",
                                      "name LIKE 'a%'",
                                      "name ILIKE '%ALPH%'",
                                      "name IN ('alpha', 'gamma')",
                                      "name NOT IN ('alpha')",
                                      "model_type = 'tree'",
                                      "status = 'READY'",
                                      "status != 'READY'",
                                      "status IN ('READY', 'PENDING')",
                                      "params.depth = '4'",
                                      "params.depth != '4'",
                                      "params.depth LIKE '%'",
                                      "tags.rank = '3'",
                                      "tags.rank IN ('0', '1')",
                                      "tags.`rank` ILIKE '2'",
                                      "metrics.accuracy > 0.75",
                                      "metrics.accuracy <= 0.7",
                                      "metrics.accuracy = 0.95",
                                      "creation_time > 0",
                                      "creation_timestamp >= 0",
                                      "last_updated_timestamp > 0",
                                      "attributes.name = 'gamma'",
                                      "source_run_id = '" + run + "'",
                                      "name LIKE '%a' AND params.depth != '0' AND tags.rank != '2'",
                                      "name = 'nomatch'"}) {
          SearchLoggedModelsOptions o = by_name;
          o.filter_string = f;
          add_names(t,
                    std::string("filter ") + (std::string(f).find(run) != std::string::npos
                                                  ? std::string("source_run_id = run")
                                                  : f),
                    c.search_logged_models({exp}, o));
        }
        {
          SearchLoggedModelsOptions o = by_name;
          o.datasets = {{"test", std::nullopt}};
          add_names(t, "datasets test, no digest", c.search_logged_models({exp}, o));
          o.datasets = {{"test", std::string("test-digest")}};
          add_names(t, "datasets test digest", c.search_logged_models({exp}, o));
          o.filter_string = "metrics.accuracy > 0.65";
          add_names(t, "datasets test + acc>0.65", c.search_logged_models({exp}, o));
          o.datasets = {{"train", std::string("train-digest")}};
          add_names(t, "datasets train digest + acc>0.65", c.search_logged_models({exp}, o));
          o.filter_string = "";
          o.datasets = {{"train", std::nullopt}};
          add_names(t, "datasets train, no digest", c.search_logged_models({exp}, o));
        }
        {
          SearchLoggedModelsOptions o;
          o.order_by = {{"metrics.accuracy", false, std::nullopt, std::nullopt}};
          add_names(t, "order acc desc", c.search_logged_models({exp}, o));
          o.order_by = {{"metrics.accuracy", true, std::string("test"), std::nullopt}};
          add_names(t, "order acc on test asc", c.search_logged_models({exp}, o));
          o.order_by = {{"name", false, std::nullopt, std::nullopt}};
          add_names(t, "order name desc", c.search_logged_models({exp}, o));
          o.order_by = {{"model_type", true, std::nullopt, std::nullopt},
                        {"name", true, std::nullopt, std::nullopt}};
          add_names(t, "order type, name", c.search_logged_models({exp}, o));
          o.order_by = {};
          add_names(t, "default order", c.search_logged_models({exp}, o));
          add_names(t, "two experiments", c.search_logged_models({exp, other}, o));
        }
        {
          SearchLoggedModelsOptions o = by_name;
          o.max_results = 2;
          std::vector<std::string> seen;
          int pages = 0;
          while (true) {
            const auto page = c.search_logged_models({exp}, o);
            ++pages;
            add_names(t, "page " + std::to_string(pages), page);
            if (page.token.empty()) break;
            o.page_token = page.token;
          }
          SearchLoggedModelsOptions first = by_name;
          first.max_results = 2;
          const std::string token = c.search_logged_models({exp}, first).token;
          t.expect_call("token with another filter", [&] {
            SearchLoggedModelsOptions changed = first;
            changed.page_token = token;
            changed.filter_string = "name = 'x'";
            c.search_logged_models({exp}, changed);
          });
        }
        for (const char* bad : {"name = ", "name > 'a'", "metrics.accuracy LIKE 'x'",
                                "foo.bar = 'x'", "name = 'a' OR name = 'b'", "status = 'DONE'"}) {
          t.expect_call(std::string("bad filter ") + bad, [&] {
            SearchLoggedModelsOptions o;
            o.filter_string = bad;
            c.search_logged_models({exp}, o);
          });
        }
        t.expect_call("bad order params.x", [&] {
          SearchLoggedModelsOptions o;
          o.order_by = {{"params.depth", true, std::nullopt, std::nullopt}};
          c.search_logged_models({exp}, o);
        });
        t.expect_call("bad order field", [&] {
          SearchLoggedModelsOptions o;
          o.order_by = {{"nonexistent", true, std::nullopt, std::nullopt}};
          c.search_logged_models({exp}, o);
        });
      });
  // Both stores agreeing is not enough: the answers must be the right ones.
  const std::vector<std::string> expected = {
      "filter : alpha beta delta gamma (last)",
      "filter name = 'beta': beta (last)",
      "filter name ILIKE '%ALPH%': alpha (last)",
      "filter status = 'READY': beta delta (last)",
      "filter metrics.accuracy > 0.75: alpha gamma (last)",
      "filter params.depth = '4': gamma (last)",
      "filter source_run_id = run: alpha beta (last)",
      "datasets test digest: beta gamma (last)",
      "datasets train, no digest: (last)",
      "order acc desc: alpha gamma beta delta (last)",
      "page 1: alpha beta (more)",
      "page 2: delta gamma (last)",
      "two experiments: elsewhere delta gamma beta alpha (last)"};
  for (const std::string& line : expected) {
    EXPECT_NE(std::find(seen.lines().begin(), seen.lines().end(), line), seen.lines().end())
        << "missing: " << line;
  }
}

}  // namespace
}  // namespace mlflow::conformance
