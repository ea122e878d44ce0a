// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The two stores a parameterised test runs against: the real MLflow server and the embedded
// SQLite store, so that both answer every case the same way.

#include <gtest/gtest.h>

#include <string>

#include "mlflow/mlflow_client.hpp"

namespace mlflow::testing {

enum class StoreKind { kServer, kEmbedded };

/// A client on the test server, or on an embedded database file of its own in a temporary
/// folder named after `dir_prefix` (one per prefix, kept for the whole process).
MlflowClient client_for(StoreKind kind, const std::string& dir_prefix);

/// "Server" or "Embedded": the test-name suffix of INSTANTIATE_TEST_SUITE_P.
std::string store_kind_name(const ::testing::TestParamInfo<StoreKind>& info);

/// Both kinds, for INSTANTIATE_TEST_SUITE_P(Stores, Suite, kBothStores, store_kind_name).
inline const auto kBothStores = ::testing::Values(StoreKind::kServer, StoreKind::kEmbedded);

}  // namespace mlflow::testing
