// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Keys are (registry URI, workspace, name, version-or-alias), as Python's PromptCacheKey
// (which hashes the registry URI so no secret sits in the key; here the key never leaves the
// process, so the URI is kept as given).
#include "mlflow/prompt_cache.hpp"

#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>
#include <tuple>

#include "mlflow/errors.hpp"

namespace mlflow {

struct PromptCache::Impl {
  // (registry, workspace, name, kind: 'v' or 'a', version-or-alias)
  using Key = std::tuple<std::string, std::string, std::string, char, std::string>;
  struct Entry {
    PromptVersion value;
    std::optional<std::chrono::steady_clock::time_point> expiry;
  };
  mutable std::mutex mu;
  std::map<Key, Entry> entries;

  static Key key(const std::string& registry, const std::string& workspace, const PromptUri& u) {
    return u.version ? Key{registry, workspace, u.name, 'v', std::to_string(*u.version)}
                     : Key{registry, workspace, u.name, 'a', u.alias.value_or("latest")};
  }
};

PromptCache::PromptCache() : impl_(std::make_unique<Impl>()) {}
PromptCache::~PromptCache() = default;

PromptCache& PromptCache::instance() {
  static PromptCache cache;
  return cache;
}

std::optional<std::chrono::duration<double>> PromptCache::default_ttl(const PromptUri& uri) {
  const char* name = uri.version ? "MLFLOW_VERSION_PROMPT_CACHE_TTL_SECONDS"
                                 : "MLFLOW_ALIAS_PROMPT_CACHE_TTL_SECONDS";
  const char* raw = std::getenv(name);
  if (raw == nullptr || *raw == '\0') {
    if (uri.version) return std::nullopt;
    return std::chrono::duration<double>(60.0);
  }
  char* end = nullptr;
  const double seconds = std::strtod(raw, &end);
  while (end && (*end == ' ' || *end == '\t' || *end == '\n')) ++end;
  if (end == raw || (end && *end != '\0') || std::isnan(seconds)) {
    throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                          std::string(name) + " must be a number of seconds, got '" + raw + "'.");
  }
  if (seconds < 0) {
    throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                          std::string(name) + " must be greater than or equal to 0.");
  }
  if (std::isinf(seconds)) return std::nullopt;
  return std::chrono::duration<double>(seconds);
}

std::optional<PromptVersion> PromptCache::get(const std::string& registry,
                                              const std::string& workspace, const PromptUri& uri) {
  const auto k = Impl::key(registry, workspace, uri);
  std::lock_guard<std::mutex> lock(impl_->mu);
  const auto it = impl_->entries.find(k);
  if (it == impl_->entries.end()) return std::nullopt;
  if (it->second.expiry && std::chrono::steady_clock::now() > *it->second.expiry) {
    impl_->entries.erase(it);
    return std::nullopt;
  }
  return it->second.value;
}

void PromptCache::set(const std::string& registry, const std::string& workspace,
                      const PromptUri& uri, PromptVersion value,
                      std::optional<std::chrono::duration<double>> ttl) {
  std::optional<std::chrono::steady_clock::time_point> expiry;
  if (ttl) {
    // Very long TTLs saturate instead of overflowing the clock.
    const double capped = std::min(ttl->count(), 1e9);
    expiry = std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                 std::chrono::duration<double>(capped));
  }
  const auto k = Impl::key(registry, workspace, uri);
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->entries.insert_or_assign(k, Impl::Entry{std::move(value), expiry});
}

void PromptCache::erase(const std::string& registry, const std::string& workspace,
                        const PromptUri& uri) {
  const auto k = Impl::key(registry, workspace, uri);
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->entries.erase(k);
}

void PromptCache::erase_all(const std::string& registry, const std::string& workspace,
                            const std::string& name) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  for (auto it = impl_->entries.begin(); it != impl_->entries.end();) {
    if (std::get<0>(it->first) == registry && std::get<1>(it->first) == workspace &&
        std::get<2>(it->first) == name) {
      it = impl_->entries.erase(it);
    } else {
      ++it;
    }
  }
}

void PromptCache::clear() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->entries.clear();
}

std::size_t PromptCache::size() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->entries.size();
}

}  // namespace mlflow
