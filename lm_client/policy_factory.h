// Builds a Policy by name, for the server and the CLI.
#ifndef THOR_LM_CLIENT_POLICY_FACTORY_H_
#define THOR_LM_CLIENT_POLICY_FACTORY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lm_client/policy_options.h"
#include "search/policy.h"

namespace thor {

// The names MakePolicy accepts: "heuristic" (built in, no server),
// "hammer" (the hammer token alone, no server), "knn" (the learned k-NN
// policy over options.knn_model, no server), "openai" (/v1/completions),
// "openai-chat" (/v1/chat/completions), "pisa-http" (POST /complete).
std::vector<std::string> PolicyNames();

// Those of PolicyNames() that need neither a model server nor a model file
// ("heuristic", "hammer"): every server has them under these names.
const std::vector<std::string>& ModelFreePolicyNames();

// A new policy. InvalidArgument for an unknown name (the message lists
// PolicyNames()) or bad options (bad base URL, missing model name).
// Thread-safe results: each policy may serve many searches at once.
absl::StatusOr<std::unique_ptr<Policy>> MakePolicy(const std::string& name,
                                                   const PolicyOptions& options);

}  // namespace thor

#endif  // THOR_LM_CLIENT_POLICY_FACTORY_H_
