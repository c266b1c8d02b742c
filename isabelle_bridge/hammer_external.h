// The external hammer: Sledgehammer's own problem generation exports the
// goal and its relevance-filtered facts as TPTP (a dummy prover with a
// per-request problem directory, sledgehammer_export.md §0), Thor's hammer/
// portfolio solves it, the used formula names are mapped back to Isabelle
// fact names (ATP_Problem_Generate.unascii_of), and `by (metis ...)` /
// `by (smt ...)` is applied through PISA.
#ifndef THOR_ISABELLE_BRIDGE_HAMMER_EXTERNAL_H_
#define THOR_ISABELLE_BRIDGE_HAMMER_EXTERNAL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "hammer/hammer.h"
#include "isabelle_bridge/config.h"
#include "isabelle_bridge/session.h"

namespace thor::isabelle {

// Inverse of Sledgehammer's ascii_of: "__" -> "_", "_A".."_P" -> ' '..'/',
// "_DDD" -> the byte DDD; anything else unchanged.
std::string UnasciiOf(absl::string_view s);

// Isabelle's name for a TPTP formula name "fact_<j>_<ascii(name)>"; "" for
// every other name (conj_*, help_*, tcon_*, ...) and for λ-lifting facts.
std::string IsabelleFactName(absl::string_view tptp_name);

// The facts an ATP proof used, in Isabelle's names, with the signals
// Sledgehammer's reconstruction uses.
struct UsedFacts {
  std::vector<std::string> facts;  // Deduplicated, in first-use order.
  bool typed_helper = false;       // A help_*_T was used: prefer full_types.
  bool lambda_lifted = false;      // An ATP.lambda_ fact was used: lifting.
};
UsedFacts MapUsedPremises(const std::vector<std::string>& tptp_names);

// The Isar step that makes Isabelle write the problem for the current goal
// into `dir` with file prefix `prefix` (config names differ 2021 / 2022).
std::string ExportStep(PisaVersion version, const ExternalHammerConfig& config,
                       const std::string& dir, const std::string& prefix);

// Reconstruction attempts in order (sledgehammer_export.md §4 "Recommended
// ladder"), for `facts` on `version`.
std::vector<std::string> ReconstructionLadder(PisaVersion version, const UsedFacts& facts);

// The external hammer for sessions of `config`: every call solves on
// `hammer` (the server's, whose premise database then learns from these
// proofs), or on one Hammer the returned function keeps when it is null;
// each call passes its own options and cancel flag.
ExternalHammerFn MakeExternalHammer(std::shared_ptr<const IsabelleConfig> config,
                                    std::shared_ptr<hammer::Hammer> hammer = nullptr);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_HAMMER_EXTERNAL_H_
