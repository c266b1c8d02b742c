// IsabelleBackend: the ProverBackend for Isabelle. It owns the pool of PISA
// servers, creates IsabelleSessions on it, and re-checks finished proofs
// as whole theories through the Isabelle server.
#ifndef THOR_ISABELLE_BRIDGE_BACKEND_H_
#define THOR_ISABELLE_BRIDGE_BACKEND_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hammer/hammer.h"
#include "isabelle_bridge/config.h"
#include "isabelle_bridge/pisa_pool.h"
#include "isabelle_bridge/session.h"
#include "search/prover.h"

namespace thor::isabelle {

class IsabelleBackend : public ProverBackend {
 public:
  // Starts (or connects to) the PISA servers of `config.pool`. Errors as
  // PisaServerPool::Create, plus InvalidArgument for a bad configuration.
  // The external hammer solves on `hammer` (the server's) when given, else on
  // one of the backend's own.
  static absl::StatusOr<std::unique_ptr<IsabelleBackend>> Create(
      IsabelleConfig config, std::shared_ptr<hammer::Hammer> hammer = nullptr);
  // REQUIRES: every session it created was destroyed first.
  ~IsabelleBackend() override;

  std::string Name() const override { return "isabelle"; }
  absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() override;
  // Writes the theory with the proof and checks it with `use_theories` on an
  // Isabelle server (config.recheck). kSkipped when no Isabelle server is
  // configured (the message says so).
  RecheckResult Recheck(const Theorem& theorem, const std::vector<std::string>& steps,
                        absl::Duration timeout) override;
  // Steps joined by newlines (Isar proof text).
  std::string ProofText(const std::vector<std::string>& steps) const override;
  absl::Status CheckStep(absl::string_view step) const override;
  absl::Status ValidateTheorem(const Theorem& theorem) const override;
  absl::StatusOr<std::vector<std::string>> ParseProofText(
      absl::string_view text) const override;

  PisaServerPool& pool() { return *pool_; }
  const IsabelleConfig& config() const { return *config_; }

 private:
  IsabelleBackend(std::shared_ptr<const IsabelleConfig> config,
                  std::unique_ptr<PisaServerPool> pool, ExternalHammerFn external);

  const std::shared_ptr<const IsabelleConfig> config_;
  std::unique_ptr<PisaServerPool> pool_;
  const ExternalHammerFn external_;
  std::string remove_on_exit_;  // The default staging folder, when Thor made it.
};

// Convenience for the CLI: ParseIsabelleSettings + IsabelleBackend::Create.
absl::StatusOr<std::unique_ptr<IsabelleBackend>> MakeIsabelleBackend(
    const std::map<std::string, std::string>& settings);
// The same from the server's JSON options text (ParseIsabelleSettingsJson).
absl::StatusOr<std::unique_ptr<IsabelleBackend>> MakeIsabelleBackendFromJson(
    const std::string& options_json, std::shared_ptr<hammer::Hammer> hammer = nullptr);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_BACKEND_H_
