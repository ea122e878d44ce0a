// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The embedded store's seam: make_sqlite_stores gives the four stores of one URI on one
// sqlite::Database, whose write() is one transaction.

#include "sqlite/sqlite_backend.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "mlflow/errors.hpp"
#include "sqlite/database.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {

TEST(SqliteBackend, TheFourStoresShareOneDatabase) {
  // ":memory:" is private to its connection: only stores on the same Database see each
  // other's rows.
  const SqliteStores stores = make_sqlite_stores("sqlite:///:memory:");
  ASSERT_TRUE(stores.tracking && stores.logged_models && stores.registry && stores.workspaces);
  const std::string exp = stores.tracking->create_experiment("shared", std::nullopt, {});

  CreateLoggedModelRequest model;
  model.experiment_id = exp;
  model.name = "net";
  const LoggedModel logged = stores.logged_models->create_logged_model(model);
  EXPECT_EQ(logged.experiment_id, exp);

  stores.registry->create_registered_model("reg", {}, std::nullopt);
  CreateModelVersionRequest version;
  version.name = "reg";
  version.source = "models:/" + logged.model_id;
  // The registry reads the logged model's row: the same database.
  EXPECT_EQ(stores.registry->create_model_version(version).version, "1");
  EXPECT_EQ(stores.registry->get_model_version_download_uri("reg", "1"), logged.artifact_location);

  EXPECT_EQ(stores.workspaces->list_workspaces().size(), 1u);
  stores.workspaces->create_workspace(
      {"team", std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  EXPECT_EQ(stores.workspaces->list_workspaces().size(), 2u);

  // The stores of another make_sqlite_stores call are another database.
  EXPECT_THROW(make_sqlite_stores("sqlite:///:memory:").tracking->get_experiment(exp), NotFound);
}

TEST(SqliteBackend, StoresSharingATrackingStoreUseItsDatabase) {
  auto tracking = make_sqlite_tracking_store("sqlite:///:memory:");
  const std::string exp = tracking->create_experiment("from-tracking", std::nullopt, {});
  const SqliteStores stores = sqlite_stores_sharing(tracking);
  EXPECT_EQ(stores.tracking, tracking);
  CreateLoggedModelRequest model;
  model.experiment_id = exp;
  EXPECT_EQ(stores.logged_models->create_logged_model(model).experiment_id, exp);
}

TEST(SqliteDatabase, WriteIsOneTransactionAndReturnsTheLambdasValue) {
  const std::string dir = mlflow::testing::make_temp_dir("sqlite-db");
  auto db = sqlite::Database::open(dir + "/x.db", dir + "/artifacts");
  const std::int64_t id = db->write([](sqlite::Connection& c) {
    c.run("INSERT INTO experiments (name, lifecycle_stage, workspace) VALUES (?, ?, ?)", "kept",
          "active", "default");
    return c.last_insert_rowid();
  });
  EXPECT_GT(id, 0);
  // A throw inside write() rolls every statement of the call back.
  EXPECT_THROW(db->write([](sqlite::Connection& c) {
    c.run("INSERT INTO experiments (name, lifecycle_stage, workspace) VALUES (?, ?, ?)",
          "rolled-back", "active", "default");
    throw std::runtime_error("fail after the insert");
  }),
               std::runtime_error);
  const auto names = db->read([](sqlite::Connection& c) {
    return c.key_values("SELECT name, lifecycle_stage FROM experiments WHERE name != ?", "Default");
  });
  EXPECT_EQ(names, (std::map<std::string, std::string>{{"kept", "active"}}));
}

}  // namespace
}  // namespace mlflow::internal
