// A policy backed by a Thor-era model server: POST <base>/complete with
// {"context", "temp", "gen_tokens", "n", "top_p"}.
//
// Its kind is "pisa-http", the name configurations and --policy use. "PISA"
// there names this model-server protocol, after the Thor/PISA-era setups
// that served it, not a prover: a request carries nothing prover-specific
// (Thor's prompt around whatever goal text the prover prints), so the policy
// serves every prover and lives here, not in a bridge.
#ifndef THOR_LM_CLIENT_COMPLETE_HTTP_POLICY_H_
#define THOR_LM_CLIENT_COMPLETE_HTTP_POLICY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lm_client/http_client.h"
#include "lm_client/policy_options.h"
#include "lm_client/prompt.h"
#include "search/policy.h"

namespace thor {

// Parses a /complete response. Accepted shapes (servers of that era differ):
// a JSON array of strings or of objects; or an object holding such an array
// under "completions", "completion", "choices", "samples" or "outputs".
// Objects give their text in "text", "completion" or "output" and their
// log-probability in "logprob", "log_prob" or "score"; an object may instead
// carry a parallel array under "logprobs" / "log_probs" / "scores".
// Internal error naming the accepted shapes otherwise.
absl::StatusOr<std::vector<RawCompletion>> ParseCompleteResponse(
    const std::string& body);

class CompleteHttpPolicy : public Policy {
 public:
  // InvalidArgument for a bad base URL.
  static absl::StatusOr<std::unique_ptr<CompleteHttpPolicy>> Create(
      PolicyOptions options);

  std::string Name() const override { return "pisa-http"; }

  // Sends the Thor prompt as "context", query.temperature as "temp",
  // options.max_tokens as "gen_tokens", query.n, options.top_p.
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& query,
                                                 absl::Duration deadline) override;

 private:
  CompleteHttpPolicy(PolicyOptions options, BaseUrl base);

  PolicyOptions options_;
  HttpJsonClient http_;
};

}  // namespace thor

#endif  // THOR_LM_CLIENT_COMPLETE_HTTP_POLICY_H_
