#include "cli/local_server.h"

#include "cli/local_theorem.h"
#include "cli/server_flags.h"

namespace thor {

absl::StatusOr<ServerConfig> LocalServerConfig(const std::string& listen,
                                               const std::string& token,
                                               const std::vector<const v1::Theorem*>& theorems,
                                               absl::Status* no_root) {
  absl::StatusOr<ServerConfig> config = ServerConfigFromFlags();
  if (!config.ok()) return config.status();
  config->listen = listen;
  config->auth_token = token;
  if (config->theorem_file_root.empty()) {
    absl::StatusOr<std::string> root = RootCovering(theorems);
    if (root.ok()) {
      config->theorem_file_root = *root;
    } else if (no_root != nullptr) {
      *no_root = root.status();
    } else {
      return root.status();
    }
  }
  return config;
}

}  // namespace thor
