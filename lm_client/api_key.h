// The API key of a hosted model server: read from a file only its owner can
// read, or from an environment variable. The key is a secret: no message
// here (or anywhere in lm_client) quotes it; errors name the file or the
// variable.
#ifndef THOR_LM_CLIENT_API_KEY_H_
#define THOR_LM_CLIENT_API_KEY_H_

#include <string>

#include "absl/status/statusor.h"
#include "lm_client/policy_options.h"

namespace thor {

// The first line of `path`, trimmed. NotFound if it cannot be read;
// InvalidArgument if it is not a regular file, if users other than its
// owner and group may read or write it (like ssh's keys: chmod 600), or if
// the first line is empty.
absl::StatusOr<std::string> ReadApiKeyFile(const std::string& path);

// The key `options` name: ReadApiKeyFile(options.api_key_file) if set, else
// the value of $options.api_key_env if the variable is set, else "" (no
// key; local servers need none).
absl::StatusOr<std::string> ApiKey(const PolicyOptions& options);

}  // namespace thor

#endif  // THOR_LM_CLIENT_API_KEY_H_
