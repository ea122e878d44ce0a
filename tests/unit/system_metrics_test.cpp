// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// System metrics: the /proc parsers on fixture text, aggregation as Python's monitors do it,
// metric names, and the sampler thread logging to a temp SQLite run (directly and through the
// fluent API). NVML is pointed at a missing library, so no GPU metrics appear on any machine.

#include "mlflow/system_metrics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>

#include "fluent/state.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/logging.hpp"
#include "support/test_env.hpp"
#include "system_metrics/monitor.hpp"
#include "system_metrics/nvml.hpp"
#include "system_metrics/probes.hpp"

namespace mlflow {
namespace {

using namespace internal::sysmetrics;
using Env = std::map<std::string, std::optional<std::string>>;

const std::vector<std::string> kHostMetrics = {
    "cpu_utilization_percentage", "system_memory_usage_megabytes", "system_memory_usage_percentage",
    "disk_usage_percentage",      "disk_usage_megabytes",          "disk_available_megabytes",
    "network_receive_megabytes",  "network_transmit_megabytes"};

constexpr const char* kNoNvml = "libnvidia-ml-absent-for-tests.so.1";

TEST(SystemMetricsProbes, Round1IsPythonsRound) {
  EXPECT_EQ(round1(0.25), 0.2);  // exact tie: to even
  EXPECT_EQ(round1(12.25), 12.2);
  EXPECT_EQ(round1(0.35), 0.3);  // 0.35 is 0.34999... as a double
  EXPECT_EQ(round1(0.15), 0.1);
  EXPECT_EQ(round1(2.675), 2.7);
  EXPECT_EQ(round1(0.05), 0.1);
  EXPECT_EQ(round1(47.05882352941176), 47.1);
  EXPECT_EQ(round1(100.0), 100.0);
}

TEST(SystemMetricsProbes, CpuPercentFromProcStat) {
  const auto before = parse_proc_stat(
      "cpu  100 10 50 800 40 5 5 0 20 0\ncpu0 50 5 25 400 20 2 2 0 10 0\nintr 12345\n");
  const auto after = parse_proc_stat("cpu  160 10 70 880 50 5 5 0 30 0\nintr 12399\n");
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->fields.size(), 10u);
  // Deltas: user 60, system 20, idle 80, iowait 10, guest 10 (inside user, not counted
  // twice): total 170, busy 80 -> 47.06 %.
  EXPECT_EQ(cpu_percent(*before, *after), 47.1);
  EXPECT_EQ(cpu_percent(*after, *after), 0.0);
  // A counter that steps back counts as 0, not negative.
  const auto back = parse_proc_stat("cpu  159 10 70 900 50 5 5 0 30 0\n");
  EXPECT_EQ(cpu_percent(*after, *back), 0.0);
  // Older kernels with only four fields.
  const auto a4 = parse_proc_stat("cpu 10 0 10 80\n");
  const auto b4 = parse_proc_stat("cpu 40 0 20 140\n");
  ASSERT_TRUE(a4 && b4);
  EXPECT_EQ(cpu_percent(*a4, *b4), 40.0);
  EXPECT_FALSE(parse_proc_stat("intr 1 2 3\n"));
  EXPECT_FALSE(parse_proc_stat("cpu 1 2\n"));
}

TEST(SystemMetricsProbes, MemoryUsedIsTotalMinusAvailable) {
  const std::string meminfo =
      "MemTotal:        1000000 kB\nMemFree:          200000 kB\nMemAvailable:     600000 kB\n"
      "Buffers:           10000 kB\nCached:           300000 kB\nSwapCached:            0 kB\n"
      "SReclaimable:      50000 kB\n";
  auto usage = parse_meminfo(meminfo);
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->total, 1000000.0 * 1024);
  EXPECT_EQ(usage->used, 400000.0 * 1024);
  EXPECT_EQ(usage->used / 1e6, 409.6);

  // No MemAvailable (old kernels): free + buffers + cached + reclaimable slab.
  usage = parse_meminfo(
      "MemTotal: 1000000 kB\nMemFree: 200000 kB\nBuffers: 10000 kB\nCached: 300000 kB\n"
      "SReclaimable: 50000 kB\n");
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->used, 440000.0 * 1024);

  // MemAvailable above MemTotal (some containers): MemFree is used instead, as psutil does.
  usage = parse_meminfo("MemTotal: 1000000 kB\nMemFree: 200000 kB\nMemAvailable: 2000000 kB\n");
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->used, 800000.0 * 1024);
  EXPECT_FALSE(parse_meminfo("Buffers: 1 kB\n"));
}

TEST(SystemMetricsProbes, DiskUsageAsPsutil) {
  const DiskUsage usage = disk_usage_from(1000, 300, 250, 4096);
  EXPECT_EQ(usage.used, 700.0 * 4096);
  EXPECT_EQ(usage.free, 250.0 * 4096);
  EXPECT_EQ(usage.percent, 73.7);  // 700 / (700 + 250), root's reserve left out
  EXPECT_EQ(disk_usage_from(0, 0, 0, 4096).percent, 0.0);
  const auto root = disk_usage("/");
  ASSERT_TRUE(root);
  EXPECT_GT(root->used + root->free, 0.0);
  EXPECT_FALSE(disk_usage("/no/such/dir/for/sysmetrics"));
}

TEST(SystemMetricsProbes, NetworkSumsEveryInterfaceIncludingLoopback) {
  const std::string net_dev =
      "Inter-|   Receive                                                |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
      "drop fifo colls carrier compressed\n"
      "    lo: 598864972  233128    0    0    0     0          0         0 598864972  233128    "
      "0    0    0     0       0          0\n"
      "  eth0: 312049678    7278    0    0    0     0          0         0   393645    3568    "
      "0    0    0     0       0          0\n"
      "vethabc123:10 1 0 0 0 0 0 0 20 2 0 0 0 0 0 0\n";
  const auto counters = parse_net_dev(net_dev);
  ASSERT_TRUE(counters);
  EXPECT_EQ(counters->bytes_recv, 598864972.0 + 312049678.0 + 10.0);
  EXPECT_EQ(counters->bytes_sent, 598864972.0 + 393645.0 + 20.0);
  EXPECT_FALSE(parse_net_dev("Inter-|\n face |\n"));
}

TEST(SystemMetricsProbes, AggregationMeanRoundedNetworkLastValue) {
  Samples samples;
  EXPECT_TRUE(samples.empty());
  samples.add("cpu_utilization_percentage", 10.0);
  samples.add("cpu_utilization_percentage", 20.0);
  samples.add("cpu_utilization_percentage", 20.5);
  samples.add("disk_usage_megabytes", 1234.5678);
  samples.set_last("network_receive_megabytes", 1.23456);
  samples.set_last("network_receive_megabytes", 2.34567);
  auto out = samples.aggregate();
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(out["cpu_utilization_percentage"], 16.8);  // 50.5 / 3 = 16.83
  EXPECT_EQ(out["disk_usage_megabytes"], 1234.6);
  EXPECT_EQ(out["network_receive_megabytes"], 2.34567);  // last value, not rounded
  samples.clear();
  EXPECT_TRUE(samples.empty());
  EXPECT_TRUE(samples.aggregate().empty());
}

TEST(SystemMetricsProbes, MetricPrefix) {
  EXPECT_EQ(metric_prefix(std::nullopt), "system/");
  EXPECT_EQ(metric_prefix(std::string()), "system/");
  EXPECT_EQ(metric_prefix(std::string("node_0")), "system/node_0/");
}

// ---- NVML, faked: names, units and failures -------------------------------------------------

namespace fake_nvml {
using namespace nvml_abi;
int init_result = kSuccess;
unsigned int count = 2;
int shutdowns = 0;
DeviceSt* device(unsigned int i) { return reinterpret_cast<DeviceSt*>(std::uintptr_t{0x1000} + i); }
unsigned int index(Device d) {
  return static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(d) - 0x1000);
}
Functions functions() {
  Functions fn;
  fn.init = [] { return init_result; };
  fn.shutdown = [] {
    ++shutdowns;
    return kSuccess;
  };
  fn.device_count = [](unsigned int* n) {
    *n = count;
    return kSuccess;
  };
  fn.handle_by_index = [](unsigned int i, Device* d) {
    *d = device(i);
    return kSuccess;
  };
  fn.memory_info = [](Device d, Memory* m) {
    *m = index(d) == 0 ? Memory{80000000000ULL, 60000000000ULL, 20000000000ULL}
                       : Memory{3000000000ULL, 2000000000ULL, 1000000000ULL};
    return kSuccess;
  };
  fn.utilization = [](Device d, Utilization* u) {
    *u = Utilization{index(d) == 0 ? 37u : 90u, 5u};
    return kSuccess;
  };
  fn.power_usage = [](Device d, unsigned int* mw) {
    if (index(d) == 1) return 3;  // NVML_ERROR_NOT_SUPPORTED
    *mw = 150000;
    return kSuccess;
  };
  fn.power_limit = [](Device, unsigned int* mw) {
    *mw = 700000;
    return kSuccess;
  };
  return fn;
}
}  // namespace fake_nvml

TEST(SystemMetricsNvml, NamesAndUnitsAsPython) {
  fake_nvml::init_result = nvml_abi::kSuccess;
  fake_nvml::count = 2;
  fake_nvml::shutdowns = 0;
  {
    auto nvml = Nvml::open_with(fake_nvml::functions());
    ASSERT_TRUE(nvml);
    EXPECT_EQ(nvml->device_count(), 2u);
    Samples samples;
    nvml->sample(samples);
    nvml->sample(samples);
    const std::map<std::string, double> expected = {
        {"gpu_0_memory_usage_percentage", 25.0}, {"gpu_0_memory_usage_megabytes", 20000.0},
        {"gpu_0_utilization_percentage", 37.0},  {"gpu_0_power_usage_watts", 150.0},
        {"gpu_0_power_usage_percentage", 21.4},  // 150 W of a 700 W limit
        {"gpu_1_memory_usage_percentage", 33.3}, {"gpu_1_memory_usage_megabytes", 1000.0},
        {"gpu_1_utilization_percentage", 90.0},
        // GPU 1's power reading fails: left out, the rest still logged.
    };
    EXPECT_EQ(samples.aggregate(), expected);
  }
  EXPECT_EQ(fake_nvml::shutdowns, 1);
}

TEST(SystemMetricsNvml, NoLibraryNoInitNoDeviceMeansNoGpu) {
  EXPECT_FALSE(Nvml::open(kNoNvml));
  fake_nvml::count = 0;
  EXPECT_FALSE(Nvml::open_with(fake_nvml::functions()));
  fake_nvml::count = 2;
  fake_nvml::init_result = 9;  // NVML_ERROR_DRIVER_NOT_LOADED
  EXPECT_FALSE(Nvml::open_with(fake_nvml::functions()));
  fake_nvml::init_result = nvml_abi::kSuccess;
  auto incomplete = fake_nvml::functions();
  incomplete.power_limit = nullptr;
  EXPECT_FALSE(Nvml::open_with(incomplete));
}

// ---- The monitor on a temp SQLite store ----------------------------------------------------

class SystemMetricsMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("sysmetrics");
    uri_ = "sqlite:///" + dir_ + "/mlflow.db";
    client_.emplace(uri_);
  }

  internal::SystemMetricsSettings fast_settings() const {
    internal::SystemMetricsSettings settings;
    settings.sampling_interval_s = 0.05;
    settings.nvml_library = kNoNvml;
    return settings;
  }

  // Polls (no timing is asserted: the deadline only keeps a broken build from hanging).
  void wait_for_points(const std::string& run_id, const std::string& key, std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (client_->get_metric_history(run_id, key).size() < n) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no " << key << " points";
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // Every metric of the run with its steps, which must be first..first+n-1 for each.
  std::map<std::string, std::vector<std::int64_t>> steps_by_key(const std::string& run_id) {
    std::map<std::string, std::vector<std::int64_t>> out;
    for (const auto& [key, value] : client_->get_run(run_id).data.metrics) {
      auto& steps = out[key];
      for (const auto& m : client_->get_metric_history(run_id, key)) steps.push_back(m.step);
      std::sort(steps.begin(), steps.end());
    }
    return out;
  }

  std::string dir_;
  std::string uri_;
  std::optional<MlflowClient> client_;
};

TEST_F(SystemMetricsMonitorTest, OneSampleHasEveryHostMetricAndNoGpu) {
  const std::string run_id = client_->create_run("0").info.run_id;
  internal::SystemMetricsMonitor monitor(*client_, run_id, fast_settings());
  EXPECT_FALSE(monitor.has_gpu());
  monitor.sample();
  monitor.sample();
  const auto values = monitor.aggregate();
  std::set<std::string> names;
  for (const auto& [name, value] : values) names.insert(name);
  EXPECT_EQ(names, std::set<std::string>(kHostMetrics.begin(), kHostMetrics.end()));
  EXPECT_GE(values.at("cpu_utilization_percentage"), 0.0);
  EXPECT_LE(values.at("cpu_utilization_percentage"), 100.0);
  EXPECT_GT(values.at("system_memory_usage_megabytes"), 0.0);
  EXPECT_GT(values.at("system_memory_usage_percentage"), 0.0);
  EXPECT_LE(values.at("system_memory_usage_percentage"), 100.0);
  EXPECT_GE(values.at("network_receive_megabytes"), 0.0);
}

TEST_F(SystemMetricsMonitorTest, GpuMetricsFromNvmlAreLoggedWithThePrefix) {
  fake_nvml::init_result = nvml_abi::kSuccess;
  fake_nvml::count = 1;
  const auto functions = fake_nvml::functions();
  auto settings = fast_settings();
  settings.nvml_functions = &functions;
  const std::string run_id = client_->create_run("0").info.run_id;
  internal::SystemMetricsMonitor monitor(*client_, run_id, settings);
  EXPECT_TRUE(monitor.has_gpu());
  monitor.start();
  wait_for_points(run_id, "system/gpu_0_power_usage_watts", 1);
  monitor.stop();
  const auto metrics = client_->get_run(run_id).data.metrics;
  EXPECT_EQ(metrics.at("system/gpu_0_utilization_percentage"), 37.0);
  EXPECT_EQ(metrics.at("system/gpu_0_memory_usage_megabytes"), 20000.0);
  EXPECT_EQ(metrics.size(), kHostMetrics.size() + 5);
  fake_nvml::count = 2;
}

TEST_F(SystemMetricsMonitorTest, SamplerLogsStepsFromZeroAndStopsPromptly) {
  const std::string run_id = client_->create_run("0").info.run_id;
  internal::SystemMetricsMonitor monitor(*client_, run_id, fast_settings());
  monitor.start();
  wait_for_points(run_id, "system/cpu_utilization_percentage", 3);
  monitor.stop();
  const auto logged = steps_by_key(run_id);
  ASSERT_EQ(logged.size(), kHostMetrics.size());
  const std::size_t n = logged.at("system/cpu_utilization_percentage").size();
  ASSERT_GE(n, 3u);
  for (const auto& name : kHostMetrics) {
    const auto& steps = logged.at("system/" + name);
    ASSERT_EQ(steps.size(), n) << name;  // one batch per step holds every metric
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(steps[i], static_cast<std::int64_t>(i));
  }
  for (const auto& [key, steps] : logged) EXPECT_EQ(key.find("gpu_"), std::string::npos) << key;
  // Stopped: nothing more arrives.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(client_->get_metric_history(run_id, "system/cpu_utilization_percentage").size(), n);
  monitor.stop();  // idempotent
}

TEST_F(SystemMetricsMonitorTest, NodeIdSamplesBeforeLoggingAndFirstStep) {
  const std::string run_id = client_->create_run("0").info.run_id;
  auto settings = fast_settings();
  settings.node_id = "node_7";
  settings.samples_before_logging = 2;
  internal::SystemMetricsMonitor monitor(*client_, run_id, settings, /*first_step=*/5);
  monitor.start();
  wait_for_points(run_id, "system/node_7/disk_usage_percentage", 2);
  monitor.stop();
  const auto logged = steps_by_key(run_id);
  ASSERT_EQ(logged.size(), kHostMetrics.size());
  for (const auto& name : kHostMetrics) {
    const auto& steps = logged.at("system/node_7/" + name);
    ASSERT_GE(steps.size(), 2u);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      EXPECT_EQ(steps[i], static_cast<std::int64_t>(5 + i));
    }
  }
}

TEST_F(SystemMetricsMonitorTest, StopsByItselfWhenTheRunIsEndedElsewhere) {
  const std::string run_id = client_->create_run("0").info.run_id;
  internal::SystemMetricsMonitor monitor(*client_, run_id, fast_settings());
  monitor.start();
  wait_for_points(run_id, "system/cpu_utilization_percentage", 1);
  client_->set_terminated(run_id);
  // The thread sees the run FINISHED after its next sample and exits: the count settles.
  std::size_t before = 0;
  std::size_t after = 1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (before != after) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    before = client_->get_metric_history(run_id, "system/cpu_utilization_percentage").size();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    after = client_->get_metric_history(run_id, "system/cpu_utilization_percentage").size();
  }
  monitor.stop();
}

TEST_F(SystemMetricsMonitorTest, DeletedRunMakesTheMonitorQuitWithoutThrowing) {
  std::mutex mutex;
  std::vector<std::pair<LogLevel, std::string>> lines;
  set_log_handler(
      [&](LogLevel level, const std::string& line) {
        std::lock_guard<std::mutex> lock(mutex);
        lines.emplace_back(level, line);
      },
      LogLevel::kWarning);
  const std::string run_id = client_->create_run("0").info.run_id;
  internal::SystemMetricsMonitor monitor(*client_, run_id, fast_settings());
  client_->delete_run(run_id);
  monitor.start();
  EXPECT_TRUE(monitor.running());
  // It quits by itself (not through stop()): its first log_batch is refused for the deleted
  // run. Polled; the deadline only keeps a broken build from hanging.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (monitor.running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_FALSE(monitor.running()) << "the monitor kept running for a deleted run";
  monitor.stop();
  set_log_handler({});
  // Quit through the refusal, reported as a warning; nothing escaped the thread (an exception
  // would have ended it through the "monitoring failed" error, or terminated the process).
  bool refused = false;
  for (const auto& [level, line] : lines) {
    EXPECT_EQ(line.find("monitoring failed"), std::string::npos) << line;
    if (level == LogLevel::kWarning &&
        line.find("failed to log system metrics") != std::string::npos &&
        line.find(run_id) != std::string::npos) {
      refused = true;
    }
  }
  EXPECT_TRUE(refused) << "no warning about the refused system metrics";
  EXPECT_TRUE(client_->get_run(run_id).data.metrics.empty());
}

// ---- Fluent integration --------------------------------------------------------------------

class SystemMetricsFluentTest : public SystemMetricsMonitorTest {
 protected:
  void SetUp() override {
    SystemMetricsMonitorTest::SetUp();
    internal::reset_fluent_state();
    internal::reset_system_metrics_settings();
    set_tracking_uri(uri_);
    set_system_metrics_sampling_interval(0.05);
  }
  void TearDown() override {
    while (active_run()) end_run();
    internal::reset_fluent_state();
    internal::reset_system_metrics_settings();
  }

  testing::ScopedEnv env_{testing::unset_vars(
      {"MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID", "MLFLOW_RUN_ID", "MLFLOW_TRACKING_URI",
       "MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL",
       "MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING", "MLFLOW_SYSTEM_METRICS_NODE_ID"})};
};

bool has_system_metric(const Run& run) {
  for (const auto& [key, value] : run.data.metrics) {
    if (key.rfind("system/", 0) == 0) return true;
  }
  return false;
}

TEST_F(SystemMetricsFluentTest, StartRunOptionLogsUntilTheRunEnds) {
  StartRunOptions options;
  options.log_system_metrics = true;
  std::string run_id;
  std::size_t n = 0;
  {
    ActiveRun run = start_run(options);
    run_id = run.run_id();
    wait_for_points(run_id, "system/cpu_utilization_percentage", 2);
  }  // RAII end stops the monitor before the run is ended
  n = client_->get_metric_history(run_id, "system/cpu_utilization_percentage").size();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(client_->get_metric_history(run_id, "system/cpu_utilization_percentage").size(), n);
  EXPECT_EQ(get_run(run_id).info.status, RunStatus::kFinished);
  for (const auto& name : kHostMetrics) {
    EXPECT_EQ(get_run(run_id).data.metrics.count("system/" + name), 1u) << name;
  }
}

TEST_F(SystemMetricsFluentTest, SettingsAndEnvironmentDecide) {
  {
    // Off by default.
    ActiveRun run = start_run();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    run.end();
    EXPECT_FALSE(has_system_metric(get_run(run.run_id())));
  }
  {
    testing::ScopedEnv env(Env{{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "TRUE"},
                               {"MLFLOW_SYSTEM_METRICS_NODE_ID", "envnode"}});
    ActiveRun run = start_run();
    wait_for_points(run.run_id(), "system/envnode/cpu_utilization_percentage", 1);
    run.end();
    // disable_system_metrics_logging wins over the environment...
    disable_system_metrics_logging();
    ActiveRun off = start_run();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    off.end();
    EXPECT_FALSE(has_system_metric(get_run(off.run_id())));
    // ... and an explicit option wins over both.
    StartRunOptions options;
    options.log_system_metrics = true;
    set_system_metrics_node_id(std::string("setter"));
    ActiveRun on = start_run(options);
    wait_for_points(on.run_id(), "system/setter/cpu_utilization_percentage", 1);
  }
  end_run();
  enable_system_metrics_logging();
  StartRunOptions off_options;
  off_options.log_system_metrics = false;
  ActiveRun off = start_run(off_options);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  off.end();
  EXPECT_FALSE(has_system_metric(get_run(off.run_id())));
}

TEST_F(SystemMetricsFluentTest, InvalidEnableValueFailsBeforeARunExists) {
  testing::ScopedEnv env(Env{{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "yes"}});
  EXPECT_THROW({ auto run = start_run(); }, InvalidArgument);
  EXPECT_FALSE(active_run());
  EXPECT_TRUE(search_runs().empty());
}

TEST_F(SystemMetricsFluentTest, InvalidIntervalLogsAndRunsWithoutMonitor) {
  set_system_metrics_sampling_interval(std::nullopt);
  testing::ScopedEnv env(Env{{"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "soon"}});
  StartRunOptions options;
  options.log_system_metrics = true;
  ActiveRun run = start_run(options);  // Python logs the failure and runs on
  EXPECT_TRUE(active_run());
  run.end();
  EXPECT_EQ(get_run(run.run_id()).info.status, RunStatus::kFinished);
}

TEST_F(SystemMetricsFluentTest, SettersRejectNonPositiveValues) {
  EXPECT_THROW(set_system_metrics_sampling_interval(0.0), InvalidArgument);
  EXPECT_THROW(set_system_metrics_sampling_interval(-1.0), InvalidArgument);
  EXPECT_THROW(set_system_metrics_samples_before_logging(0), InvalidArgument);
  set_system_metrics_samples_before_logging(3);
  set_system_metrics_samples_before_logging(std::nullopt);
  testing::ScopedEnv env(Env{{"MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING", "4"},
                             {"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "2.5"}});
  set_system_metrics_sampling_interval(std::nullopt);
  const auto settings = internal::resolve_system_metrics_settings();
  EXPECT_EQ(settings.samples_before_logging, 4);
  EXPECT_EQ(settings.sampling_interval_s, 2.5);
  set_system_metrics_sampling_interval(0.5);
  EXPECT_EQ(internal::resolve_system_metrics_settings().sampling_interval_s, 0.5);
}

TEST_F(SystemMetricsFluentTest, ResumedRunContinuesAfterItsLargestSystemStep) {
  const std::string run_id = client_->create_run("0").info.run_id;
  LogMetricOptions at4;
  at4.step = 4;
  client_->log_metric(run_id, "system/cpu_utilization_percentage", 1.0, at4);
  LogMetricOptions at99;
  at99.step = 99;
  client_->log_metric(run_id, "loss", 1.0, at99);  // not a system metric: ignored
  client_->set_terminated(run_id);
  StartRunOptions options;
  options.run_id = run_id;
  options.log_system_metrics = true;
  ActiveRun run = start_run(options);
  wait_for_points(run_id, "system/disk_usage_percentage", 1);
  run.end();
  const auto steps = steps_by_key(run_id).at("system/disk_usage_percentage");
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.front(), 5);
}

}  // namespace
}  // namespace mlflow
