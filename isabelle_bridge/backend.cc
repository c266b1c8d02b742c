#include "isabelle_bridge/backend.h"

#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/strings/str_split.h"
#include "isabelle_bridge/hammer_external.h"
#include "isabelle_bridge/isabelle_rules.h"
#include "isabelle_bridge/recheck.h"

namespace thor::isabelle {

absl::StatusOr<std::unique_ptr<IsabelleBackend>> IsabelleBackend::Create(
    IsabelleConfig config, std::shared_ptr<hammer::Hammer> hammer) {
  std::error_code ec;
  const std::string tmp = std::filesystem::temp_directory_path(ec).string();
  bool own_staging_dir = false;
  if (config.staging_dir.empty()) {
    config.staging_dir = absl::StrCat(tmp, "/thor-isabelle-", ::getpid());
    own_staging_dir = true;
  }
  if (config.external.problem_dir.empty()) {
    config.external.problem_dir = absl::StrCat(config.staging_dir, "/problems");
  }
  absl::StatusOr<std::unique_ptr<PisaServerPool>> pool = PisaServerPool::Create(config.pool);
  if (!pool.ok()) return pool.status();
  auto shared = std::make_shared<const IsabelleConfig>(std::move(config));
  ExternalHammerFn external = MakeExternalHammer(shared, std::move(hammer));
  auto backend = std::unique_ptr<IsabelleBackend>(
      new IsabelleBackend(shared, *std::move(pool), std::move(external)));
  if (own_staging_dir) backend->remove_on_exit_ = shared->staging_dir;
  return backend;
}

IsabelleBackend::IsabelleBackend(std::shared_ptr<const IsabelleConfig> config,
                                 std::unique_ptr<PisaServerPool> pool, ExternalHammerFn external)
    : config_(std::move(config)), pool_(std::move(pool)), external_(std::move(external)) {}

IsabelleBackend::~IsabelleBackend() {
  pool_.reset();  // The PISA servers first: they may hold files there.
  // The temporary folder Thor chose itself (not an operator's staging_dir).
  if (!remove_on_exit_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(remove_on_exit_, ignored);
  }
}

absl::StatusOr<std::unique_ptr<ProverSession>> IsabelleBackend::NewSession() {
  return std::unique_ptr<ProverSession>(
      new IsabelleSession(config_, pool_.get(), external_));
}

RecheckResult IsabelleBackend::Recheck(const Theorem& theorem,
                                       const std::vector<std::string>& steps,
                                       absl::Duration timeout) {
  return RecheckTheory(config_->recheck, config_->default_session, theorem, steps, timeout);
}

std::string IsabelleBackend::ProofText(const std::vector<std::string>& steps) const {
  return absl::StrJoin(steps, "\n");
}

absl::Status IsabelleBackend::CheckStep(absl::string_view step) const {
  return CheckIsabelleStep(step);
}

absl::Status IsabelleBackend::ValidateTheorem(const Theorem& theorem) const {
  return ValidateIsabelleTheorem(theorem);
}

absl::StatusOr<std::vector<std::string>> IsabelleBackend::ParseProofText(
    absl::string_view text) const {
  return ParseIsabelleProofText(text);
}

absl::StatusOr<std::unique_ptr<IsabelleBackend>> MakeIsabelleBackend(
    const std::map<std::string, std::string>& settings) {
  absl::StatusOr<IsabelleConfig> config = ParseIsabelleSettings(settings);
  if (!config.ok()) return config.status();
  return IsabelleBackend::Create(*std::move(config));
}

absl::StatusOr<std::unique_ptr<IsabelleBackend>> MakeIsabelleBackendFromJson(
    const std::string& options_json, std::shared_ptr<hammer::Hammer> hammer) {
  absl::StatusOr<IsabelleConfig> config = ParseIsabelleSettingsJson(options_json);
  if (!config.ok()) return config.status();
  return IsabelleBackend::Create(*std::move(config), std::move(hammer));
}

}  // namespace thor::isabelle
