#include "isabelle_bridge/isabelle_module.h"

#include <nlohmann/json.hpp>

#include <utility>

#include "absl/strings/str_cat.h"
#include "isabelle_bridge/backend.h"

namespace thor::isabelle {

const char kIsabelleHowToEnable[] =
    "it needs PISA servers: start thor with --pisa HOST:PORT, or configure "
    "provers.isabelle in the --config file (pisa, pisa-jar, isabelle-home, ...)";

absl::StatusOr<std::shared_ptr<ProverBackend>> MakeIsabelleBackendForServer(
    const std::string& options_json, const std::string& prefix) {
  nlohmann::json options = nlohmann::json::parse(options_json, nullptr, false);
  if (options.is_object()) options.erase("enabled");  // The server's key, not the bridge's.
  auto backend = MakeIsabelleBackendFromJson(options.dump());
  if (!backend.ok()) {
    return absl::Status(backend.status().code(),
                        absl::StrCat(prefix, ": ", backend.status().message()));
  }
  return std::shared_ptr<ProverBackend>(std::move(*backend));
}

}  // namespace thor::isabelle
