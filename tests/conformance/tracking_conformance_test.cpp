// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// Conformance: every tracking method, search with every comparator and ordering, paging and
// errors, run on the embedded store and on the real MLflow 3.18 server; the normalised
// transcripts must be identical (same runs in the same order, same latest metrics, same
// histories, same error codes).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "conformance/conformance_harness.hpp"

namespace mlflow::conformance {
namespace {

constexpr std::int64_t kT0 = 1718000000000;  // fixed timestamps: both stores see the same
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

std::string make_experiment(MlflowClient& c, const std::string& name) {
  return c.create_experiment(name);
}

mlflow::Run make_run(MlflowClient& c, const std::string& exp, const std::string& name,
                     std::int64_t start, std::map<std::string, std::string> tags = {}) {
  CreateRunOptions o;
  o.run_name = name;
  o.start_time = start;
  o.tags = std::move(tags);
  return c.create_run(exp, o);
}

TEST(Conformance, ExperimentLifecycleAndErrors) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    CreateExperimentOptions o;
    o.tags = {{"team", "vision"}, {"mlflow.note.content", "notes"}};
    const std::string id = c.create_experiment(p + "-exp", o);
    t.add_experiment(c.get_experiment(id));
    t.add("by name found: " + std::to_string(c.get_experiment_by_name(p + "-exp").has_value()));
    t.add("absent by name: " + std::to_string(c.get_experiment_by_name(p + "-none").has_value()));
    t.expect_call("duplicate name", [&] { c.create_experiment(p + "-exp"); });
    t.expect_call("unknown id", [&] { c.get_experiment("987654321"); });
    c.set_experiment_tag(id, "team", "nlp");
    c.set_experiment_tag(id, "extra", "1");
    c.delete_experiment_tag(id, "extra");
    t.expect_call("delete missing tag", [&] { c.delete_experiment_tag(id, "extra"); });
    c.rename_experiment(id, p + "-renamed");
    t.add_experiment(c.get_experiment(id));
    c.delete_experiment(id);
    t.add_experiment(c.get_experiment(id));
    t.expect_call("rename deleted", [&] { c.rename_experiment(id, p + "-again"); });
    t.expect_call("tag deleted", [&] { c.set_experiment_tag(id, "k", "v"); });
    t.expect_call("delete deleted", [&] { c.delete_experiment(id); });
    t.expect_call("duplicate of deleted", [&] { c.create_experiment(p + "-renamed"); });
    c.restore_experiment(id);
    t.expect_call("restore active", [&] { c.restore_experiment(id); });
    t.add_experiment(c.get_experiment(id));
  });
}

TEST(Conformance, SearchExperimentsFiltersOrderingAndPaging) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
      CreateExperimentOptions o;
      o.tags = {{"parity", i % 2 ? "odd" : "even"}};
      if (i == 4) o.tags.clear();
      ids.push_back(
          c.create_experiment(p + "-e" + std::to_string(i) + (i == 2 ? "-Mixed" : ""), o));
    }
    c.delete_experiment(ids[3]);
    auto search = [&](const std::string& label, SearchExperimentsOptions o) {
      o.filter_string =
          "name LIKE '" + p + "%'" + (o.filter_string.empty() ? "" : " AND " + o.filter_string);
      std::string line = label + ":";
      for (const auto& e : c.search_experiments_all(o)) line += " " + e.name;
      t.add(line);
    };
    SearchExperimentsOptions o;
    o.order_by = {"name ASC"};
    search("active by name", o);
    o.view_type = ViewType::kDeletedOnly;
    search("deleted", o);
    o.view_type = ViewType::kAll;
    search("all", o);
    o.order_by = {"name DESC"};
    search("all desc", o);
    o = {};
    o.order_by = {"experiment_id DESC"};
    search("by id desc", o);
    o.order_by = {"name ASC"};
    const std::pair<const char*, const char*> filters[] = {
        {"tag eq", "tags.parity = 'odd'"},      {"tag ne", "tags.parity != 'odd'"},
        {"tag null", "tags.parity IS NULL"},    {"tag not null", "tags.parity IS NOT NULL"},
        {"ilike", "name ILIKE '%mixed'"},       {"like is case-sensitive", "name LIKE '%mixed'"},
        {"tag like", "tags.parity LIKE 'ev%'"}, {"creation_time", "creation_time > 0"}};
    for (const auto& [label, filter] : filters) {
      o.filter_string = filter;
      search(label, o);
    }
    // Paging: 2 per page through 4 active experiments.
    SearchExperimentsOptions paged;
    paged.max_results = 2;
    paged.order_by = {"name ASC"};
    paged.filter_string = "name LIKE '" + p + "%'";
    auto page1 = c.search_experiments(paged);
    t.add("page1 size=" + std::to_string(page1.size()) +
          " more=" + std::to_string(page1.has_next_page()));
    paged.page_token = page1.token;
    auto page2 = c.search_experiments(paged);
    t.add("page2 size=" + std::to_string(page2.size()) +
          " more=" + std::to_string(page2.has_next_page()));
    t.expect_call("bad filter", [&] {
      SearchExperimentsOptions bad;
      bad.filter_string = "name = 'a' OR name = 'b'";
      c.search_experiments(bad);
    });
    t.expect_call("bad order", [&] {
      SearchExperimentsOptions bad;
      bad.order_by = {"parity ASC"};
      c.search_experiments(bad);
    });
    t.expect_call("bad token", [&] {
      SearchExperimentsOptions bad;
      bad.page_token = "not-a-token";
      c.search_experiments(bad);
    });
  });
}

TEST(Conformance, RunLifecycle) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::string exp = make_experiment(c, p);
    mlflow::Run parent = make_run(c, exp, "parent", kT0, {{"mlflow.user", "alice"}, {"k", "v"}});
    t.add_run(c.get_run(parent.info.run_id));
    mlflow::Run child =
        make_run(c, exp, "child", kT0 + 1, {{"mlflow.parentRunId", parent.info.run_id}});
    auto got_parent = c.get_parent_run(child.info.run_id);
    t.add("parent of child: " + (got_parent ? t.id(got_parent->info.run_id) : "-"));
    t.add("parent of parent: " + std::string(c.get_parent_run(parent.info.run_id) ? "yes" : "-"));
    UpdateRunOptions u;
    u.name = "parent-renamed";
    c.update_run(parent.info.run_id, u);
    u = {};
    u.status = RunStatus::kScheduled;
    c.update_run(parent.info.run_id, u);
    t.add_run(c.get_run(parent.info.run_id));
    SetTerminatedOptions done;
    done.status = RunStatus::kFailed;
    done.end_time = kT0 + 500;
    c.set_terminated(parent.info.run_id, done);
    t.add_run(c.get_run(parent.info.run_id));
    c.set_tag(child.info.run_id, "mlflow.runName", "child-by-tag");
    t.add_run(c.get_run(child.info.run_id));
    c.delete_run(child.info.run_id);
    t.add_run(c.get_run(child.info.run_id));
    t.expect_call("log to deleted run", [&] { c.log_param(child.info.run_id, "a", "b"); });
    t.expect_call("tag deleted run", [&] { c.set_tag(child.info.run_id, "a", "b"); });
    SearchRunsOptions s;
    s.run_view_type = ViewType::kActiveOnly;
    t.add_runs("active", c.search_runs({exp}, s).items);
    s.run_view_type = ViewType::kDeletedOnly;
    t.add_runs("deleted", c.search_runs({exp}, s).items);
    s.run_view_type = ViewType::kAll;
    t.add_runs("all", c.search_runs({exp}, s).items);
    c.restore_run(child.info.run_id);
    t.add_run(c.get_run(child.info.run_id));
    // Deleting the experiment deletes its runs; restoring it restores them.
    c.delete_experiment(exp);
    t.add_run(c.get_run(parent.info.run_id));
    c.restore_experiment(exp);
    t.add_run(c.get_run(parent.info.run_id));
    t.expect_call("unknown run", [&] { c.get_run("0123456789abcdef0123456789abcdef"); });
    t.expect_call("run in unknown experiment", [&] { make_run(c, "987654321", "x", kT0); });
    t.expect_call("conflicting names", [&] {
      make_run(c, exp, "a", kT0, {{"mlflow.runName", "b"}});
    });
  });
}

TEST(Conformance, MetricsLatestValuesAndHistories) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::string exp = make_experiment(c, p);
    const std::string run = make_run(c, exp, "m", kT0).info.run_id;
    auto log = [&](const std::string& k, double v, std::int64_t ts, std::int64_t step) {
      LogMetricOptions o;
      o.timestamp = ts;
      o.step = step;
      c.log_metric(run, k, v, o);
    };
    // latest = greatest (step, timestamp, value)
    log("loss", 0.5, kT0 + 10, 5);
    log("loss", 0.9, kT0 + 20, 3);  // lower step: not latest
    log("loss", 0.4, kT0 + 5, 5);   // same step, older timestamp: not latest
    log("loss", 0.6, kT0 + 10, 5);  // same step and ts, bigger value: latest
    log("loss", 0.6, kT0 + 10, 5);  // exact duplicate: ignored
    log("nan", kNaN, kT0, 0);
    log("nan", 1.0, kT0, 0);  // NaN sorts as 0 in MLflow's comparison
    log("pinf", kInf, kT0, 0);
    log("ninf", -kInf, kT0, 0);
    log("neg-step", 2.0, kT0, -4);
    log("big", 1e300, kT0 + 1, 1099511627776);  // 2^40 steps are exact
    std::vector<Metric> batch;
    for (int i = 0; i < 30; ++i) batch.push_back({"batch", i * 0.5, kT0 + (i % 7), i % 11});
    batch.push_back({"batch", kNaN, kT0 + 100, 100});
    c.log_batch(run, batch);
    const mlflow::Run r = c.get_run(run);
    t.add_run(r);
    for (const char* key : {"loss", "nan", "pinf", "ninf", "batch", "big"}) {
      t.add(std::string("history ") + key);
      for (const auto& m : c.get_metric_history(run, key)) t.add_metric(m);
    }
    t.add("empty history: " + std::to_string(c.get_metric_history(run, "absent").size()));
    t.expect_call("history of unknown run",
                  [&] { c.get_metric_history("0123456789abcdef0123456789abcdef", "x"); });
    t.expect_call("bad key", [&] { log("bad*key", 1, kT0, 0); });
    t.expect_call("negative timestamp", [&] { log("k", 1, -1, 0); });
  });
}

TEST(Conformance, ParamsTagsAndBatches) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::string exp = make_experiment(c, p);
    const std::string run = make_run(c, exp, "pt", kT0).info.run_id;
    c.log_param(run, "lr", "0.1");
    t.expect_call("same value again", [&] { c.log_param(run, "lr", "0.1"); });
    t.expect_call("changed value", [&] { c.log_param(run, "lr", "0.2"); });
    c.set_tag(run, "t", "1");
    c.set_tag(run, "t", "2");
    c.set_tag(run, "gone", "x");
    c.delete_tag(run, "gone");
    t.expect_call("delete missing tag", [&] { c.delete_tag(run, "gone"); });
    c.log_param(run, "long", std::string(7000, 'x'));  // truncated to 6000 by both
    std::vector<Param> params;
    std::vector<RunTag> tags;
    std::vector<Metric> metrics;
    for (int i = 0; i < 150; ++i) params.push_back({"p" + std::to_string(i), std::to_string(i)});
    for (int i = 0; i < 120; ++i) tags.push_back({"t" + std::to_string(i), std::to_string(i)});
    for (int i = 0; i < 2100; ++i)
      metrics.push_back({"m" + std::to_string(i % 3), double(i), kT0 + i, i});
    c.log_batch(run, metrics, params, tags);
    const mlflow::Run r = c.get_run(run);
    t.add("param count=" + std::to_string(r.data.params.size()) +
          " long=" + std::to_string(r.data.params.at("long").size()));
    t.add("tag t=" + r.data.tags.at("t") + " count=" + std::to_string(r.data.tags.size()));
    for (const auto& m : r.data.latest_metrics) t.add_metric(m);
    t.add("history m0=" + std::to_string(c.get_metric_history(run, "m0").size()));
    t.expect_call("duplicate keys in batch", [&] {
      c.log_batch(run, {}, {{"dup", "1"}, {"dup", "2"}});
    });
    t.expect_call("batch changes a param", [&] { c.log_batch(run, {}, {{"lr", "0.3"}}); });
  });
}

// Runs with distinct start times, a metric with NaN and missing values, params and tags, for
// every comparator and ordering of SearchRuns.
void seed_search_runs(MlflowClient& c, const std::string& exp, Transcript& t) {
  struct Spec {
    const char* name;
    std::optional<double> acc;
    const char* model;
    const char* team;
  };
  const Spec specs[] = {
      {"alpha", 0.9, "cnn", "Vision"},    {"beta", 0.7, "rnn", "nlp"},
      {"gamma", kNaN, "cnn", nullptr},    {"delta", std::nullopt, nullptr, "vision"},
      {"eps", 0.7, "Transformer", "nlp"}, {"zeta", 0.95, "cnn-2", "speech"}};
  std::int64_t start = kT0;
  for (const auto& s : specs) {
    const mlflow::Run r = make_run(c, exp, s.name, start += 1000);
    t.id(r.info.run_id);
    if (s.acc) {
      LogMetricOptions o;
      o.timestamp = kT0;
      c.log_metric(r.info.run_id, "acc", *s.acc, o);
    }
    if (s.model) c.log_param(r.info.run_id, "model", s.model);
    if (s.team) c.set_tag(r.info.run_id, "team", s.team);
    if (std::string(s.name) == "beta") {
      SetTerminatedOptions done;
      done.end_time = kT0 + 99999;
      c.set_terminated(r.info.run_id, done);
    }
  }
}

TEST(Conformance, SearchRunsEveryComparator) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::string exp = make_experiment(c, p);
    seed_search_runs(c, exp, t);
    const char* filters[] = {"metrics.acc = 0.7",
                             "metrics.acc != 0.7",
                             "metrics.acc > 0.7",
                             "metrics.acc >= 0.7",
                             "metrics.acc < 0.9",
                             "metrics.acc <= 0.9",
                             "metrics.acc > -1",
                             "params.model = 'cnn'",
                             "params.model != 'cnn'",
                             "params.model LIKE 'cnn%'",
                             "params.model LIKE 'CNN%'",
                             "params.model ILIKE 'transformer'",
                             "params.model IS NULL",
                             "params.model IS NOT NULL",
                             "tags.team = 'vision'",
                             "tags.team ILIKE 'VISION'",
                             "tags.team != 'nlp'",
                             "tags.team IS NULL",
                             "tags.`team` IS NOT NULL",
                             "attributes.run_name = 'beta'",
                             "run_name LIKE '%ta'",
                             "attributes.status = 'FINISHED'",
                             "status != 'RUNNING'",
                             "start_time > 1718000003000",
                             "created <= 1718000002000",
                             "end_time > 0",
                             "params.model = 'cnn' and tags.team = 'Vision'",
                             "metrics.acc > 0.5 AND params.model LIKE '%n%'",
                             "run_name ILIKE 'ALPHA'",
                             "user_id = 'unknown'",
                             "metrics.`acc` >= 0.9",
                             "params.\"model\" = 'rnn'"};
    for (const char* f : filters) {
      SearchRunsOptions o;
      o.filter_string = f;
      t.add_runs(f, c.search_runs({exp}, o).items);
    }
    // run_id IN / NOT IN, with ids taken from the store.
    SearchRunsOptions all;
    const auto runs = c.search_runs({exp}, all).items;
    SearchRunsOptions in;
    in.filter_string =
        "attributes.run_id IN ('" + runs[0].info.run_id + "', '" + runs[2].info.run_id + "')";
    t.add_runs("run_id IN", c.search_runs({exp}, in).items);
    in.filter_string = "attributes.run_id NOT IN ('" + runs[0].info.run_id + "')";
    t.add_runs("run_id NOT IN", c.search_runs({exp}, in).items);
    for (const char* bad :
         {"metrics.acc LIKE '1'", "params.model > 'a'", "tags.team = 3", "metrics.acc = 'x'",
          "run_name = 'a' OR run_name = 'b'", "(params.model = 'cnn')", "foo.bar = '1'",
          "params.model =", "attributes.nope = 'x'", "metrics.acc IS NULL"}) {
      t.expect_call(std::string("bad filter ") + bad, [&] {
        SearchRunsOptions o;
        o.filter_string = bad;
        c.search_runs({exp}, o);
      });
    }
  });
}

TEST(Conformance, SearchRunsOrderingAndPaging) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::string exp = make_experiment(c, p);
    seed_search_runs(c, exp, t);
    const char* orders[] = {"metrics.acc ASC",     "metrics.acc DESC", "params.model ASC",
                            "params.model DESC",   "tags.team",        "tags.team DESC",
                            "attributes.run_name", "run_name DESC",    "start_time ASC",
                            "end_time DESC",       "status",           "created DESC"};
    for (const char* ob : orders) {
      SearchRunsOptions o;
      o.order_by = {ob};
      t.add_runs(std::string("order ") + ob, c.search_runs({exp}, o).items);
    }
    SearchRunsOptions two;
    two.order_by = {"params.model ASC", "metrics.acc DESC"};
    t.add_runs("order model, acc desc", c.search_runs({exp}, two).items);
    SearchRunsOptions def;
    t.add_runs("default order", c.search_runs({exp}, def).items);
    // Pages of 4: tokens and contents.
    SearchRunsOptions paged;
    paged.max_results = 4;
    paged.order_by = {"metrics.acc DESC"};
    auto page1 = c.search_runs({exp}, paged);
    t.add_runs("page1", page1.items);
    t.add("page1 has next: " + std::to_string(page1.has_next_page()));
    paged.page_token = page1.token;
    auto page2 = c.search_runs({exp}, paged);
    t.add_runs("page2", page2.items);
    t.add("page2 has next: " + std::to_string(page2.has_next_page()));
    SearchRunsOptions every;
    every.max_results = 1;
    std::vector<mlflow::Run> all;
    for (const auto& r : c.search_runs_all({exp}, every)) all.push_back(r);
    t.add_runs("all pages of one", all);
    t.add("empty experiment list: " + std::to_string(c.search_runs({}, def).size()));
    t.expect_call("bad order key", [&] {
      SearchRunsOptions o;
      o.order_by = {"datasets.name"};
      c.search_runs({exp}, o);
    });
    t.expect_call("bad token", [&] {
      SearchRunsOptions o;
      o.page_token = "%%%";
      c.search_runs({exp}, o);
    });
  });
}

TEST(Conformance, DatasetsAndInputs) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::string exp = make_experiment(c, p);
    const std::string r1 = make_run(c, exp, "r1", kT0 + 1).info.run_id;
    const std::string r2 = make_run(c, exp, "r2", kT0 + 2).info.run_id;
    t.id(r1);
    t.id(r2);
    DatasetInput train{Dataset{"mnist", "abc123", "local", R"({"uri": "/data/mnist"})",
                               R"({"mlflow_colspec": []})", R"({"num_rows": 10})"},
                       {{"mlflow.data.context", "training"}}};
    DatasetInput eval{Dataset{"mnist-eval", "def456", "http", R"({"url": "http://x"})", {}, {}},
                      {{"mlflow.data.context", "eval"}}};
    c.log_inputs(r1, {train, eval});
    c.log_inputs(r1, {train});  // de-duplicated
    c.log_inputs(r2, {eval});
    t.add_run(c.get_run(r1));
    t.add_run(c.get_run(r2));
    for (const char* f :
         {"datasets.name = 'mnist'", "datasets.digest = 'def456'", "datasets.context = 'eval'",
          "datasets.name LIKE 'mnist%'", "datasets.name IN ('mnist', 'other')",
          "datasets.context != 'training'"}) {
      SearchRunsOptions o;
      o.filter_string = f;
      o.order_by = {"run_name"};
      t.add_runs(f, c.search_runs({exp}, o).items);
    }
  });
}

TEST(Conformance, MetricHistoryBulkInterval) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::string exp = make_experiment(c, p);
    std::vector<std::string> runs;
    for (int r = 0; r < 2; ++r) {
      runs.push_back(make_run(c, exp, "r" + std::to_string(r), kT0 + r).info.run_id);
      t.id(runs.back());
      std::vector<Metric> points;
      for (int s = 0; s < 50 + r * 7; ++s) points.push_back({"loss", 1.0 / (s + 1), kT0 + s, s});
      c.log_batch(runs.back(), points);
    }
    MetricHistoryBulkIntervalOptions o;
    o.max_results = 10;
    // Ordered by the normalised run name, since raw run ids differ between stores.
    auto sorted = [&t](std::vector<Metric> v) {
      std::sort(v.begin(), v.end(), [&t](const Metric& a, const Metric& b) {
        const std::string ra = t.id(a.run_id.value_or("")), rb = t.id(b.run_id.value_or(""));
        return std::tie(ra, a.step) < std::tie(rb, b.step);
      });
      return v;
    };
    for (const auto& m : sorted(c.get_metric_history_bulk_interval(runs, "loss", o))) {
      t.add_metric(m);
    }
    o.start_step = 10;
    o.end_step = 20;
    for (const auto& m : sorted(c.get_metric_history_bulk_interval(runs, "loss", o))) {
      t.add_metric(m);
    }
  });
}

}  // namespace
}  // namespace mlflow::conformance
