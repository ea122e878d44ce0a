// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Umbrella header: everything of the public API.

#include "mlflow/active_run.hpp"
#include "mlflow/artifact_options.hpp"
#include "mlflow/client_options.hpp"
#include "mlflow/dataset.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/experiment.hpp"
#include "mlflow/file_info.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/image.hpp"
#include "mlflow/logging.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/paged_list.hpp"
#include "mlflow/param.hpp"
#include "mlflow/run.hpp"
#include "mlflow/run_status.hpp"
#include "mlflow/system_metrics.hpp"
#include "mlflow/tag.hpp"
#include "mlflow/tracking_options.hpp"
#include "mlflow/version.hpp"
#include "mlflow/view_type.hpp"
