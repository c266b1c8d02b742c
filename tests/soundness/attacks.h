// The red-team attacks of issue #12 as data: what each one sends, through
// which entry points, and what must stop it. The tests instantiate one test
// case per (attack, entry point); README.md tabulates the same list.
#ifndef THOR_TESTS_SOUNDNESS_ATTACKS_H_
#define THOR_TESTS_SOUNDNESS_ATTACKS_H_

#include <string>
#include <vector>

#include "proto/thor/v1/thor.pb.h"

namespace thor::testing {

// Entry points an attack goes through (a bit set).
enum Entry : unsigned {
  kProve = 1,       // Prove: the steps come from the "attack" policy (fake model).
  kSuggest = 2,     // SuggestSteps with try_steps: all but the last step as the
                    // request's steps, the last one as the model's suggestion.
  kCheckSteps = 4,  // CheckProof with the steps.
  kCheckText = 8,   // CheckProof with proof_text (the attack's, or the steps in
                    // "Proof. ... Qed.").
  kHammer = 16,     // Hammer on the state reached by all but the last step.
};

// What has to stop an attack once issue #12 is done.
inline constexpr char kStepAllowList[] = "step allow-list";
inline constexpr char kValidation[] = "input validation";
inline constexpr char kKernel[] = "kernel check";
inline constexpr char kFilePolicy[] = "file policy";

struct Attack {
  std::string name;     // CamelCase; the test case's name.
  std::string klass;    // step, statement, imports, context, file_path, proof_text.
  std::string stop;     // One of the k* strings above (or two joined by " + ").
  std::string prover;   // "coq" or "isabelle".
  std::string statement;
  std::string context;
  std::vector<std::string> imports;
  std::string file_path;
  std::vector<std::string> steps;  // The proof (the model's candidates).
  std::string proof_text;          // For kCheckText; empty: built from steps.
  unsigned entries = 0;
  // Placeholders in every field: "@T@" is a fresh directory owned by the test
  // that must stay empty; "@S@" a file holding the secret marker as a Coq
  // sentence; "@SV@" a .v file with the marker before "Theorem t : False.".
};

std::vector<Attack> CoqAttacks();
std::vector<Attack> IsabelleAttacks();

// The theorem an attack sends, placeholders filled.
v1::Theorem AttackTheorem(const Attack& a, const std::string& target_dir,
                          const std::string& secret, const std::string& secret_theorem);

}  // namespace thor::testing

#endif  // THOR_TESTS_SOUNDNESS_ATTACKS_H_
