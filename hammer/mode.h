// Which hammer a prover bridge runs: the prover's own (a hammer tactic or
// tool inside the prover) or its problem export solved by Thor's portfolio
// (hammer/).
// One enum for every bridge; a bridge that lacks a mode rejects it when it
// parses its options.
#ifndef THOR_HAMMER_MODE_H_
#define THOR_HAMMER_MODE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace thor::hammer {

enum class HammerMode {
  kNative,    // The prover's own hammer (its ATPs, its reconstruction).
  kExternal,  // The prover's export, Thor's portfolio, the bridge's replay.
  kBoth,      // Native with half the budget, then external with the rest.
};

// "native", "external", "both"; InvalidArgument otherwise.
absl::StatusOr<HammerMode> ParseHammerMode(absl::string_view name);
const char* HammerModeName(HammerMode mode);

}  // namespace thor::hammer

#endif  // THOR_HAMMER_MODE_H_
