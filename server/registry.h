// The prover backends and policies a server offers, by name. Filled once at
// start-up (from the server configuration), then read-only and thread-safe.
#ifndef THOR_SERVER_REGISTRY_H_
#define THOR_SERVER_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hammer/hammer.h"
#include "search/policy.h"
#include "search/prover.h"

namespace thor {

class Registry {
 public:
  // The server's one long-lived hammer: the SelectPremises and Hammer RPCs
  // and the bridges' external hammers (BackendContext) all solve on it, so
  // every proof they find is in one premise database (--premise_db).
  const std::shared_ptr<hammer::Hammer>& hammer() const { return hammer_; }

  // Registers `backend` under `name` (a prover module's name); replaces any
  // earlier one of that name.
  void AddBackend(const std::string& name, std::shared_ptr<ProverBackend> backend);
  // Records that prover `name` exists but is not set up on this server;
  // requests for it fail with FailedPrecondition carrying `how_to_enable`.
  void AddUnavailableBackend(const std::string& name, const std::string& how_to_enable);
  // Registers `policy` under `name` ("heuristic", "openai", a configured name).
  void AddPolicy(const std::string& name, std::shared_ptr<Policy> policy);
  // The policy used when a request names none.
  void SetDefaultPolicy(const std::string& name) { default_policy_ = name; }

  // The backend called `name`. FailedPrecondition if it is known but not set
  // up (the message says how); InvalidArgument naming `field` and listing the
  // available provers if it is unknown.
  absl::StatusOr<std::shared_ptr<ProverBackend>> Backend(const std::string& name,
                                                         const std::string& field) const;
  // The policy called `name`, or the default policy if `name` is empty.
  // InvalidArgument naming `field` and listing the available policies if none.
  absl::StatusOr<std::shared_ptr<Policy>> GetPolicy(const std::string& name,
                                                    const std::string& field) const;

  std::vector<std::string> BackendNames() const;
  std::vector<std::string> PolicyNames() const;
  const std::string& default_policy() const { return default_policy_; }

 private:
  std::shared_ptr<hammer::Hammer> hammer_ = std::make_shared<hammer::Hammer>();
  std::map<std::string, std::shared_ptr<ProverBackend>> backends_;
  std::map<std::string, std::string> unavailable_;
  std::map<std::string, std::shared_ptr<Policy>> policies_;
  std::string default_policy_ = "heuristic";
};

}  // namespace thor

#endif  // THOR_SERVER_REGISTRY_H_
