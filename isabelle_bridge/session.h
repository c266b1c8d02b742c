// IsabelleSession: a ProverSession over one PISA server leased from a
// PisaServerPool. Proof states are PISA's named top-level states; a state
// from another session (or from before a server restart) is reached again by
// replaying its steps from "default".
#ifndef THOR_ISABELLE_BRIDGE_SESSION_H_
#define THOR_ISABELLE_BRIDGE_SESSION_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "isabelle_bridge/config.h"
#include "isabelle_bridge/hammer_native.h"
#include "isabelle_bridge/pisa_layout.h"
#include "isabelle_bridge/pisa_pool.h"
#include "search/prover.h"

namespace thor::isabelle {

// Runs the external hammer (Sledgehammer's export solved by Thor's
// portfolio) on the state `apply` acts on; stops its ATPs soon after
// `*interrupted` becomes true.
using ExternalHammerFn = std::function<HammerStepResult(
    const HammerApplyFn& apply, absl::Duration timeout, const std::atomic<bool>* interrupted)>;

class IsabelleSession : public ProverSession {
 public:
  // `pool` must outlive the session. `external` may be empty (native only).
  IsabelleSession(std::shared_ptr<const IsabelleConfig> config, PisaServerPool* pool,
                  ExternalHammerFn external);
  ~IsabelleSession() override;

  absl::StatusOr<ProofState> Start(const Theorem& theorem, absl::Duration timeout) override;
  StepResult Apply(const ProofState& from, const std::string& step,
                   absl::Duration timeout) override;
  HammerStepResult Hammer(const ProofState& from, absl::Duration timeout) override;
  void Interrupt() override;

  // The PISA server this session uses ("" before Start).
  std::string server_address() const;
  // Where the theorem was loaded from (valid after Start).
  const PisaTarget& target() const { return target_; }

 private:
  // Sends the set-up RPCs for target_ to the leased server.
  absl::Status Establish(absl::Time deadline);
  // Replaces the server if it was lost or hung, then re-establishes.
  absl::Status EnsureServer();
  // The PISA name of `from` on the current server, replaying steps if needed.
  absl::StatusOr<std::string> Resolve(const ProofState& from, StepResult* failure);
  // Applies `step` to the PISA state `from_name`.
  StepResult ApplyNamed(const std::string& from_name, const std::vector<std::string>& from_steps,
                        const std::string& step, absl::Duration timeout, bool native,
                        std::string* applied);
  StepResult Lost(StepKind kind, const std::string& why, absl::Time start);
  std::string NewName();
  std::shared_ptr<PisaClient> client() const;

  const std::shared_ptr<const IsabelleConfig> config_;
  PisaServerPool* const pool_;
  const ExternalHammerFn external_;
  const int id_;
  PisaServerPool::Lease lease_;
  PisaTarget target_;
  std::string initial_text_;
  bool started_ = false;
  bool broken_ = false;           // The server must be replaced before use.
  std::string broken_reason_;
  int next_name_ = 0;
  // PISA state name -> steps from the initial state; steps key -> name.
  absl::flat_hash_map<std::string, std::vector<std::string>> names_;
  absl::flat_hash_map<std::string, std::string> by_path_;
  mutable absl::Mutex mu_;
  std::shared_ptr<PisaClient> client_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> interrupted_{false};
};

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_SESSION_H_
