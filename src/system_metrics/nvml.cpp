// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.

#include "system_metrics/nvml.hpp"

#include <dlfcn.h>

#include "core/log.hpp"

namespace mlflow::internal::sysmetrics {
namespace {

using namespace nvml_abi;

template <typename Fn>
void resolve(void* library, const char* name, Fn& fn) {
  fn = reinterpret_cast<Fn>(::dlsym(library, name));
}

}  // namespace

std::unique_ptr<Nvml> Nvml::open(const std::string& library) {
  void* handle = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    log(LogLevel::kDebug, "mlflow: no GPU metrics: cannot load " + library);
    return nullptr;
  }
  Functions fn;
  resolve(handle, "nvmlInit_v2", fn.init);
  resolve(handle, "nvmlShutdown", fn.shutdown);
  resolve(handle, "nvmlDeviceGetCount_v2", fn.device_count);
  resolve(handle, "nvmlDeviceGetHandleByIndex_v2", fn.handle_by_index);
  resolve(handle, "nvmlDeviceGetMemoryInfo", fn.memory_info);
  resolve(handle, "nvmlDeviceGetUtilizationRates", fn.utilization);
  resolve(handle, "nvmlDeviceGetPowerUsage", fn.power_usage);
  resolve(handle, "nvmlDeviceGetEnforcedPowerLimit", fn.power_limit);
  resolve(handle, "nvmlErrorString", fn.error_string);
  return open_with(fn, handle);
}

std::unique_ptr<Nvml> Nvml::open_with(const Functions& fn, void* library) {
  auto give_up = [library](const std::string& why) -> std::unique_ptr<Nvml> {
    log(LogLevel::kDebug, "mlflow: no GPU metrics: " + why);
    if (library != nullptr) ::dlclose(library);
    return nullptr;
  };
  if (fn.init == nullptr || fn.shutdown == nullptr || fn.device_count == nullptr ||
      fn.handle_by_index == nullptr || fn.memory_info == nullptr || fn.utilization == nullptr ||
      fn.power_usage == nullptr || fn.power_limit == nullptr) {
    return give_up("the NVML library lacks functions");
  }
  if (const Return rc = fn.init(); rc != kSuccess) {
    return give_up("nvmlInit failed with code " + std::to_string(rc));
  }
  unsigned int count = 0;
  if (fn.device_count(&count) != kSuccess || count == 0) {
    fn.shutdown();
    return give_up("no GPU found");
  }
  std::vector<Device> devices(count, nullptr);
  for (unsigned int i = 0; i < count; ++i) {
    if (fn.handle_by_index(i, &devices[i]) != kSuccess) devices[i] = nullptr;
  }
  return std::make_unique<Nvml>(Key{}, library, fn, std::move(devices));
}

Nvml::Nvml(Key, void* library, const Functions& functions, std::vector<Device> devices)
    : library_(library), fn_(functions), devices_(std::move(devices)) {}

Nvml::~Nvml() {
  fn_.shutdown();
  if (library_ != nullptr) ::dlclose(library_);
}

std::string Nvml::error(Return code) const {
  const char* text = fn_.error_string != nullptr ? fn_.error_string(code) : nullptr;
  return text != nullptr ? text : "NVML error " + std::to_string(code);
}

void Nvml::sample(Samples& samples) const {
  for (std::size_t i = 0; i < devices_.size(); ++i) {
    const Device device = devices_[i];
    const std::string name = "gpu_" + std::to_string(i) + "_";
    if (device == nullptr) {
      log(LogLevel::kWarning, "mlflow: GPU " + std::to_string(i) + " has no NVML handle");
      continue;
    }
    Memory memory{};
    if (const Return rc = fn_.memory_info(device, &memory); rc == kSuccess) {
      const double used = static_cast<double>(memory.used);
      const double total = static_cast<double>(memory.total);
      // Python rounds each sample's percentage before averaging.
      samples.add(name + "memory_usage_percentage", total > 0 ? round1(used / total * 100) : 0);
      samples.add(name + "memory_usage_megabytes", used / 1e6);
    } else {
      log(LogLevel::kWarning, "mlflow: GPU memory reading failed: " + error(rc));
    }
    Utilization utilization{};
    if (const Return rc = fn_.utilization(device, &utilization); rc == kSuccess) {
      samples.add(name + "utilization_percentage", utilization.gpu);
    } else {
      log(LogLevel::kWarning, "mlflow: GPU utilization reading failed: " + error(rc));
    }
    unsigned int milliwatts = 0;
    unsigned int limit_milliwatts = 0;
    Return rc = fn_.power_usage(device, &milliwatts);
    if (rc == kSuccess) rc = fn_.power_limit(device, &limit_milliwatts);
    if (rc != kSuccess) {
      log(LogLevel::kWarning, "mlflow: GPU power reading failed: " + error(rc));
    } else if (limit_milliwatts > 0) {
      samples.add(name + "power_usage_watts", milliwatts / 1000.0);
      samples.add(name + "power_usage_percentage",
                  static_cast<double>(milliwatts) / limit_milliwatts * 100);
    }
  }
}

}  // namespace mlflow::internal::sysmetrics
