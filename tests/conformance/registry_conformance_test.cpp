// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// Conformance of the model registry: every registry method, search filters, orderings, paging,
// stages, aliases, prompt exclusion and errors, run on the embedded store and on the real
// MLflow 3.18 server; the normalised transcripts must be identical.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

#include "conformance/conformance_harness.hpp"
#include "store/registry_store.hpp"
#include "support/backend_access.hpp"

namespace mlflow::conformance {
namespace {

using testing::registry_store_of;

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string describe(const ModelVersion& mv) {
  std::ostringstream out;
  out << "version " << mv.name << "/" << mv.version << " stage=" << to_string(mv.current_stage)
      << " status=" << to_string(mv.status) << " source=" << mv.source
      << " run_link=" << mv.run_link << " desc=" << mv.description.value_or("")
      << " times=" << (mv.creation_timestamp > 0)
      << (mv.last_updated_timestamp >= mv.creation_timestamp) << " tags={";
  for (const auto& [k, v] : mv.tags) out << k << "=" << v << ";";
  std::vector<std::string> aliases = mv.aliases;
  std::sort(aliases.begin(), aliases.end());
  out << "} aliases=" << join(aliases);
  return out.str();
}

std::string describe(const RegisteredModel& rm) {
  std::ostringstream out;
  out << "model " << rm.name << " desc=" << rm.description.value_or("")
      << " times=" << (rm.creation_timestamp > 0)
      << (rm.last_updated_timestamp >= rm.creation_timestamp) << " tags={";
  for (const auto& [k, v] : rm.tags) out << k << "=" << v << ";";
  out << "} aliases={";
  for (const auto& [k, v] : rm.aliases) out << k << "=" << v << ";";
  // The order of latest_versions is unspecified (Python's store builds it from a dict).
  std::vector<std::string> latest;
  for (const auto& mv : rm.latest_versions) {
    latest.push_back(std::string(to_string(mv.current_stage)) + ":" + mv.version);
  }
  std::sort(latest.begin(), latest.end());
  out << "} latest=" << join(latest);
  return out.str();
}

void add_models(Transcript& t, const std::string& label, const PagedList<RegisteredModel>& page) {
  std::vector<std::string> names;
  for (const auto& m : page.items) names.push_back(m.name);
  t.add(label + ": [" + join(names) + "] more=" + std::to_string(page.has_next_page()));
}

void add_versions(Transcript& t, const std::string& label, const PagedList<ModelVersion>& page) {
  std::vector<std::string> names;
  for (const auto& m : page.items) names.push_back(m.name + "/" + m.version);
  t.add(label + ": [" + join(names) + "] more=" + std::to_string(page.has_next_page()));
}

TEST(Conformance, RegisteredModelLifecycleAndErrors) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    CreateRegisteredModelOptions o;
    o.tags = {{"team", "vision"}, {"mlflow.note", "n"}};
    o.description = "first";
    t.add(describe(c.create_registered_model(p + "-m", o)));
    t.add(describe(c.get_registered_model(p + "-m")));
    t.expect_call("duplicate", [&] { c.create_registered_model(p + "-m"); });
    t.expect_call("unknown", [&] { c.get_registered_model(p + "-none"); });
    t.expect_call("empty name", [&] { c.create_registered_model(""); });
    t.expect_call("slash name", [&] { c.create_registered_model("a/b"); });
    t.expect_call("dotdot name", [&] { c.create_registered_model(".."); });
    t.add(describe(c.update_registered_model(p + "-m", std::string("second"))));
    t.add(describe(c.update_registered_model(p + "-m", std::nullopt)));
    c.set_registered_model_tag(p + "-m", "team", "nlp");
    c.set_registered_model_tag(p + "-m", "x", "");
    c.delete_registered_model_tag(p + "-m", "mlflow.note");
    t.expect_call("delete absent tag", [&] { c.delete_registered_model_tag(p + "-m", "nope"); });
    t.expect_call("tag unknown model", [&] { c.set_registered_model_tag(p + "-none", "k", "v"); });
    t.expect_call("bad tag key", [&] { c.set_registered_model_tag(p + "-m", "a,b", "v"); });
    t.add(describe(c.get_registered_model(p + "-m")));
    c.create_registered_model(p + "-other");
    t.expect_call("rename onto taken", [&] { c.rename_registered_model(p + "-other", p + "-m"); });
    t.expect_call("rename unknown", [&] { c.rename_registered_model(p + "-none", p + "-x"); });
    c.create_model_version(p + "-m", "s3://b/" + p + "/1");
    c.set_registered_model_alias(p + "-m", "champ", "1");
    t.add(describe(c.rename_registered_model(p + "-m", p + "-renamed")));
    t.add(describe(c.get_model_version(p + "-renamed", "1")));
    t.add(describe(c.get_model_version_by_alias(p + "-renamed", "champ")));
    t.expect_call("old name gone", [&] { c.get_registered_model(p + "-m"); });
    c.delete_registered_model(p + "-renamed");
    t.expect_call("deleted", [&] { c.get_registered_model(p + "-renamed"); });
    t.expect_call("deleted version", [&] { c.get_model_version(p + "-renamed", "1"); });
    t.expect_call("delete twice", [&] { c.delete_registered_model(p + "-renamed"); });
    t.add(describe(c.create_registered_model(p + "-renamed")));
  });
}

TEST(Conformance, ModelVersionsStagesAndAliases) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::string m = p + "-mv";
    c.create_registered_model(m);
    CreateModelVersionOptions o;
    o.tags = {{"k", "v"}};
    o.description = "d1";
    o.run_link = "http://x/run";
    t.add(describe(c.create_model_version(m, "s3://b/" + p + "/1", o)));
    for (int i = 2; i <= 5; ++i) c.create_model_version(m, "s3://b/" + p + "/" + std::to_string(i));
    t.add(describe(c.update_model_version(m, "2", std::string("d2"))));
    t.expect_call("update version without description",
                  [&] { c.update_model_version(m, "1", std::nullopt); });
    c.set_model_version_tag(m, "2", "a", "1");
    c.set_model_version_tag(m, "2", "a", "2");
    c.delete_model_version_tag(m, "2", "k");
    t.add(describe(c.get_model_version(m, "2")));
    t.add("download " + c.get_model_version_download_uri(m, "3"));
    t.add(describe(c.transition_model_version_stage(m, "1", "staging")));
    t.add(describe(c.transition_model_version_stage(m, "2", "Production")));
    t.add(describe(c.transition_model_version_stage(m, "3", "Production")));
    t.add(describe(c.transition_model_version_stage(m, "4", "PRODUCTION", true)));
    for (int i = 1; i <= 5; ++i) t.add(describe(c.get_model_version(m, std::to_string(i))));
    t.expect_call("bad stage", [&] { c.transition_model_version_stage(m, "1", "Live"); });
    t.expect_call("archive into None",
                  [&] { c.transition_model_version_stage(m, "1", "None", true); });
    std::vector<std::string> latest;
    for (const auto& mv : c.get_latest_versions(m)) latest.push_back(describe(mv));
    std::sort(latest.begin(), latest.end());
    for (const auto& l : latest) t.add("latest " + l);
    for (const auto& mv : c.get_latest_versions(m, {"production", "Staging"})) {
      t.add("latest prod/staging " + mv.version);
    }
    t.add(describe(c.get_registered_model(m)));

    c.set_registered_model_alias(m, "champ", "4");
    c.set_registered_model_alias(m, "chall", "5");
    c.set_registered_model_alias(m, "chall", "3");
    t.add(describe(c.get_model_version_by_alias(m, "champ")));
    t.add(describe(c.get_model_version_by_alias(m, "Latest")));
    t.add(describe(c.get_registered_model(m)));
    t.expect_call("reserved latest", [&] { c.set_registered_model_alias(m, "LATEST", "1"); });
    t.expect_call("reserved v1", [&] { c.set_registered_model_alias(m, "V1", "1"); });
    t.expect_call("bad alias", [&] { c.set_registered_model_alias(m, "a.b", "1"); });
    t.expect_call("alias to missing", [&] { c.set_registered_model_alias(m, "x", "99"); });
    t.expect_call("alias non-int", [&] { c.set_registered_model_alias(m, "x", "one"); });
    t.expect_call("missing alias", [&] { c.get_model_version_by_alias(m, "nope"); });
    t.expect_call("delete absent alias", [&] { c.delete_registered_model_alias(m, "nope"); });
    t.expect_call("alias unknown model", [&] { c.get_model_version_by_alias(p + "-no", "a"); });
    c.delete_model_version(m, "3");
    t.add(describe(c.get_registered_model(m)));
    t.expect_call("get deleted", [&] { c.get_model_version(m, "3"); });
    t.expect_call("tag deleted", [&] { c.set_model_version_tag(m, "3", "k", "v"); });
    t.expect_call("update deleted", [&] { c.update_model_version(m, "3", std::string("x")); });
    t.expect_call("download deleted", [&] { c.get_model_version_download_uri(m, "3"); });
    t.expect_call("version unknown model", [&] { c.create_model_version(p + "-no", "s3://x"); });
    t.add(describe(c.create_model_version(m, "s3://b/" + p + "/6")));
    c.delete_model_version(m, "6");
    c.delete_model_version(m, "5");
    c.delete_model_version(m, "4");
    t.add(describe(c.get_model_version_by_alias(m, "latest")));
    const std::string empty = p + "-empty";
    c.create_registered_model(empty);
    t.expect_call("latest of empty", [&] { c.get_model_version_by_alias(empty, "latest"); });
  });
}

TEST(Conformance, RegistrySearch) {
  run_on_both_stores([](MlflowClient& c, const std::string& p, Transcript& t) {
    const std::vector<std::string> suffixes = {"-b", "-a", "-C", "-d_x"};
    for (std::size_t i = 0; i < suffixes.size(); ++i) {
      CreateRegisteredModelOptions o;
      o.tags = {{"group", i < 3 ? "main" : "other"}, {"idx", std::to_string(i)}};
      c.create_registered_model(p + suffixes[i], o);
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
      for (std::size_t v = 0; v <= i; ++v) {
        CreateModelVersionOptions mo;
        mo.tags = {{"parity", v % 2 ? "odd" : "even"}};
        c.create_model_version(p + suffixes[i],
                               "s3://b/" + p + suffixes[i] + "/" + std::to_string(v), mo);
        // Distinct millisecond timestamps: the embedded store is fast enough to create
        // several versions within one millisecond, and the stores' tie-breaks on equal
        // timestamps (name, version) would then order them unlike the slower server.
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
      }
    }
    // A prompt, made by the prompt layer through the store (a second backend on it).
    const auto store = registry_store_of(c);
    store->create_registered_model(p + "-prompt", {{"mlflow.prompt.is_prompt", "true"}},
                                   std::nullopt);
    internal::CreateModelVersionRequest r;
    r.name = p + "-prompt";
    r.source = "dummy-source";
    r.tags = {{"mlflow.prompt.is_prompt", "true"}, {"mlflow.prompt.text", "hi"}};
    store->create_model_version(r);

    const std::string mine = "name LIKE '" + p + "%'";
    const std::vector<std::string> model_filters = {
        mine,
        "name = '" + p + "-a'",
        "name != '" + p + "-a' AND " + mine,
        "name ILIKE '" + p + "-c'",
        "name LIKE '" + p + "-c'",
        "name LIKE '" + p + "-d\\_%'",
        mine + " AND tags.group = 'main'",
        mine + " AND tags.group != 'main'",
        mine + " AND tag.idx LIKE '%1' ",
        mine + " AND tags.`group` ILIKE 'MAIN' AND tags.idx != '0'",
        mine + " AND tags.`mlflow.prompt.is_prompt` = 'true'",
        mine + " AND tags.`mlflow.prompt.is_prompt` != 'false'",
        mine + " AND tags.`mlflow.prompt.is_prompt` = 'false'",
        mine + " AND tags.missing = 'x'",
        "name IN ('" + p + "-a', '" + p + "-b')",
        "attribute.name = '" + p + "-b'",
        // errors
        "name = 'a' OR name = 'b'",
        "run_id = 'x'",
        "tags.group > 'a'",
        "name > 'a'",
        "name IS NULL",
        "metrics.x = 1",
        "name = ",
        "name = 5",
    };
    for (const auto& f : model_filters) {
      SearchRegisteredModelsOptions o;
      o.filter_string = f;
      t.expect_call("models " + f, [&] { add_models(t, "  ->", c.search_registered_models(o)); });
    }
    const std::vector<std::vector<std::string>> model_orders = {
        {"name"},  {"name DESC"},    {"last_updated_timestamp DESC"}, {"creation_timestamp"},
        {"bogus"}, {"name sideways"}};
    for (const auto& ob : model_orders) {
      SearchRegisteredModelsOptions o;
      o.filter_string = mine;
      o.order_by = ob;
      t.expect_call("models order " + join(ob),
                    [&] { add_models(t, "  ->", c.search_registered_models(o)); });
    }
    {
      SearchRegisteredModelsOptions o;
      o.filter_string = mine;
      o.max_results = 3;
      auto page = c.search_registered_models(o);
      add_models(t, "models page 1", page);
      o.page_token = page.token;
      add_models(t, "models page 2", c.search_registered_models(o));
      o.page_token = "garbage";
      t.expect_call("bad token", [&] { c.search_registered_models(o); });
    }

    const std::vector<std::string> version_filters = {
        mine,
        mine + " AND version_number = 2",
        mine + " AND version_number > 1 AND version_number <= 3",
        mine + " AND version_number != 1",
        mine + " AND tags.parity = 'odd'",
        mine + " AND tags.parity LIKE 'ev%' AND name != '" + p + "-d_x'",
        "source_path = 's3://b/" + p + "-a/0'",
        "source_path LIKE 's3://b/" + p + "-C/%'",
        "name IN ('" + p + "-a', '" + p + "-C')",
        mine + " AND tags.`mlflow.prompt.is_prompt` = 'true'",
        mine + " AND run_id = 'nope'",
        // errors
        "version_number = 'x'",
        "version_number LIKE '1'",
        "version_number = 1.5",
        "source_path IN ('a')",
        "tags.parity < 'odd'",
        "creation_timestamp > 0",
        "bogus = 'x'",
    };
    for (const auto& f : version_filters) {
      SearchModelVersionsOptions o;
      o.filter_string = f;
      t.expect_call("versions " + f, [&] { add_versions(t, "  ->", c.search_model_versions(o)); });
    }
    const std::vector<std::vector<std::string>> version_orders = {
        {"name", "version_number"},
        {"version_number DESC", "name DESC"},
        {"creation_timestamp ASC", "name", "version_number"},
        {"run_id"}};
    // Duplicate order_by keys are left out: the server answers INTERNAL_ERROR (HTTP 500), which
    // clients retry for minutes; the embedded store raises the same code at once.
    for (const auto& ob : version_orders) {
      SearchModelVersionsOptions o;
      o.filter_string = mine;
      o.order_by = ob;
      t.expect_call("versions order " + join(ob),
                    [&] { add_versions(t, "  ->", c.search_model_versions(o)); });
    }
    {
      SearchModelVersionsOptions o;
      o.filter_string = mine;
      o.order_by = {"name", "version_number"};
      o.max_results = 4;
      std::vector<std::string> all;
      for (const auto& mv : c.search_model_versions_all(o))
        all.push_back(mv.name + "/" + mv.version);
      t.add("versions all: " + join(all));
    }
  });
}

}  // namespace
}  // namespace mlflow::conformance
