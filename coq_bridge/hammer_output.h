// Reading what CoqHammer prints and turning ATP premises into CoqHammer
// reconstruction tactics. Pure functions.
#ifndef THOR_COQ_BRIDGE_HAMMER_OUTPUT_H_
#define THOR_COQ_BRIDGE_HAMMER_OUTPUT_H_

#include <string>
#include <vector>

namespace thor::coq {

// What a successful `hammer` call printed.
struct NativeHammerOutput {
  std::string tactic;                 // "scongruence use: Nat.add_comm, app_length."; "" if none.
  std::string prover;                 // "cvc4/nbayes-128"; "" if not printed.
  std::vector<std::string> premises;  // From "- dependencies: ...".
};
NativeHammerOutput ParseNativeHammerOutput(const std::string& output);

// `output` without <infomsg> tags, input echoes and CoqHammer's progress
// lines, trimmed: the part worth showing a user.
std::string StripCoqNoise(const std::string& output);

// The problem file named in "Writing translated problem to file '...'",
// or "" if none.
std::string ExportedProblemPath(const std::string& output);

// ATP premises (CoqHammer TPTP formula names, quoted or not) sorted into
// what CoqHammer's tactics take.
struct CoqPremises {
  std::vector<std::string> uses;        // Global lemmas (full paths).
  std::vector<std::string> unfolds;     // From $_def_<constant>.
  std::vector<std::string> inversions;  // From $_inversion_<ind> / $_case_<ind>$n.
};
CoqPremises ClassifyTptpPremises(const std::vector<std::string>& names);

// CoqHammer tactics to try, cheapest first, each with the premises as
// use:/unfold:/inv: arguments (e.g. "hauto use: A, B unfold: f.").
std::vector<std::string> ReconstructionTactics(const CoqPremises& premises);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_HAMMER_OUTPUT_H_
