// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// NVIDIA GPU readings through NVML, loaded at run time with dlopen so that the SDK has no build
// or link dependency on CUDA: without the library (or without a GPU) there are simply no GPU
// metrics, as in Python when pynvml is missing or nvmlInit fails.

#include <memory>
#include <string>
#include <vector>

#include "system_metrics/probes.hpp"

namespace mlflow::internal::sysmetrics {

// The few NVML types and functions used, as laid out in nvml.h (a stable C ABI); declared here
// so that no CUDA header is needed to build.
namespace nvml_abi {
using Return = int;
constexpr Return kSuccess = 0;
struct DeviceSt;
using Device = DeviceSt*;
struct Memory {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};
struct Utilization {
  unsigned int gpu;
  unsigned int memory;
};
struct Functions {
  Return (*init)() = nullptr;                                  // nvmlInit_v2
  Return (*shutdown)() = nullptr;                              // nvmlShutdown
  Return (*device_count)(unsigned int*) = nullptr;             // nvmlDeviceGetCount_v2
  Return (*handle_by_index)(unsigned int, Device*) = nullptr;  // nvmlDeviceGetHandleByIndex_v2
  Return (*memory_info)(Device, Memory*) = nullptr;            // nvmlDeviceGetMemoryInfo
  Return (*utilization)(Device, Utilization*) = nullptr;       // nvmlDeviceGetUtilizationRates
  Return (*power_usage)(Device, unsigned int*) = nullptr;      // nvmlDeviceGetPowerUsage (mW)
  Return (*power_limit)(Device, unsigned int*) = nullptr;      // nvmlDeviceGetEnforcedPowerLimit
  const char* (*error_string)(Return) = nullptr;               // nvmlErrorString (optional)
};
}  // namespace nvml_abi

class Nvml {
  struct Key {};  // only open()/open_with() construct an Nvml

 public:
  /// Loads `library` and initialises NVML; nullptr (and a DEBUG log line) when either fails or
  /// no device is found.
  static std::unique_ptr<Nvml> open(const std::string& library = "libnvidia-ml.so.1");
  /// The same over functions already at hand (tests pass fakes). `library` (a dlopen handle or
  /// nullptr) is closed with the object.
  static std::unique_ptr<Nvml> open_with(const nvml_abi::Functions& functions,
                                         void* library = nullptr);

  Nvml(Key, void* library, const nvml_abi::Functions& functions,
       std::vector<nvml_abi::Device> devices);
  ~Nvml();
  Nvml(const Nvml&) = delete;
  Nvml& operator=(const Nvml&) = delete;

  std::size_t device_count() const { return devices_.size(); }
  /// Adds gpu_<i>_memory_usage_percentage / _memory_usage_megabytes / _utilization_percentage
  /// / _power_usage_watts / _power_usage_percentage for every device (a reading that fails is
  /// logged and left out, as Python does).
  void sample(Samples& samples) const;

 private:
  std::string error(nvml_abi::Return code) const;

  void* library_;
  nvml_abi::Functions fn_;
  std::vector<nvml_abi::Device> devices_;
};

}  // namespace mlflow::internal::sysmetrics
