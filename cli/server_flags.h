// The server's settings as flags: `thor serve`, and the in-process server of
// `thor prove/suggest/check` and `thor eval --servers=in-process`.
#ifndef THOR_CLI_SERVER_FLAGS_H_
#define THOR_CLI_SERVER_FLAGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/config.h"

namespace thor {

// --config (JSON file) over the defaults, then every server flag the user
// set over that. Errors name the flag or the config key.
absl::StatusOr<ServerConfig> ServerConfigFromFlags();

// The bearer token: the first line of --auth_token_file if given, else
// $THOR_AUTH_TOKEN (empty if neither).
absl::StatusOr<std::string> TokenFromFlags();

// The bearer token: the first line of `file` if given, else $THOR_AUTH_TOKEN.
absl::StatusOr<std::string> ReadToken(const std::string& file);

}  // namespace thor

#endif  // THOR_CLI_SERVER_FLAGS_H_
