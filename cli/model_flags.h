// --policy and the model-backend flags (--lm_url, --model, --lm_api_key_file,
// --lm_api_key_env, --lm_ca_file): `thor prove` and `suggest` name a policy
// with them; on `thor serve` and on the in-process server of prove/suggest
// the model flags also define that policy, so an OpenAI-compatible server
// needs no configuration file.
#ifndef THOR_CLI_MODEL_FLAGS_H_
#define THOR_CLI_MODEL_FLAGS_H_

#include "absl/status/status.h"
#include "server/config.h"

namespace thor {

// With --policy=P, makes P the server's default policy and, when the user
// set model flags or P is a model kind (openai, openai-chat, pisa-http)
// that `config` does not define, defines config.policies[P]: --config's
// policy P with the flags the user set over its keys, else a new policy of
// kind P from those flags alone (each flag sets one key: --lm_url base_url,
// --model model, --lm_api_key_file api_key_file, --lm_api_key_env
// api_key_env, --lm_ca_file ca_file). Flags left unset are not applied.
// InvalidArgument naming the flag: an unknown policy, a model flag without
// --policy or for a policy that takes none, a malformed --lm_url, a missing
// --model, an unreadable key or CA file, an unset key variable.
absl::Status ApplyModelFlags(ServerConfig& config);

// For a call to a remote server (--server): InvalidArgument if a model flag
// is set, since that server's own configuration defines its policies.
absl::Status CheckNoModelFlags();

}  // namespace thor

#endif  // THOR_CLI_MODEL_FLAGS_H_
