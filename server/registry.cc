#include "server/registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace thor {
namespace {

template <typename T>
std::vector<std::string> Keys(const std::map<std::string, T>& m) {
  std::vector<std::string> out;
  for (const auto& [name, value] : m) out.push_back(name);
  return out;
}

std::string Listed(const std::vector<std::string>& names) {
  return names.empty() ? "none are configured on this server"
                       : absl::StrCat("available: ", absl::StrJoin(names, ", "));
}

}  // namespace

void Registry::AddBackend(const std::string& name, std::shared_ptr<ProverBackend> backend) {
  backends_[name] = std::move(backend);
}

void Registry::AddUnavailableBackend(const std::string& name,
                                     const std::string& how_to_enable) {
  unavailable_[name] = how_to_enable;
}

void Registry::AddPolicy(const std::string& name, std::shared_ptr<Policy> policy) {
  policies_[name] = std::move(policy);
}

absl::StatusOr<std::shared_ptr<ProverBackend>> Registry::Backend(
    const std::string& name, const std::string& field) const {
  auto it = backends_.find(name);
  if (auto u = unavailable_.find(name); it == backends_.end() && u != unavailable_.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": prover '", name, "' is not set up on this server: ", u->second));
  }
  if (it == backends_.end()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": unknown prover '", name, "' (",
                                                   Listed(BackendNames()), ")"));
  }
  return it->second;
}

absl::StatusOr<std::shared_ptr<Policy>> Registry::GetPolicy(const std::string& name,
                                                            const std::string& field) const {
  const std::string& key = name.empty() ? default_policy_ : name;
  auto it = policies_.find(key);
  if (it == policies_.end()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": unknown policy '", key, "' (",
                                                   Listed(PolicyNames()), ")"));
  }
  return it->second;
}

std::vector<std::string> Registry::BackendNames() const { return Keys(backends_); }
std::vector<std::string> Registry::PolicyNames() const { return Keys(policies_); }

}  // namespace thor
