// The red-team rig of issue #12: everything an attack talks to, built the
// way a user's server is built (app/wiring.cc's BuildRegistry from a JSON
// configuration), plus the checks every attack ends with.
//
// - Coq: real coqtop/coqc, no hammer warm-up, no idle process kept (so "no
//   coqtop left" is exact and no attack can leave a tainted process in a pool).
// - Isabelle: a fake PISA server scripted to accept every cheating step (as
//   PISA's REPL with quick_and_dirty does) and a fake `isabelle server` that
//   passes every theory it is given: the bridge itself has to refuse them.
// - The policy "attack": an OpenAI policy pointed at a fake model server whose
//   completions are the attack's steps (ModelReturns).
#ifndef THOR_TESTS_SOUNDNESS_ATTACK_RIG_H_
#define THOR_TESTS_SOUNDNESS_ATTACK_RIG_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "server/thor_server.h"
#include "tests/soundness/attacks.h"
#include "tests/isabelle_bridge/fake_isabelle_server.h"
#include "tests/isabelle_bridge/fake_pisa_service.h"
#include "tests/lm_client/fake_model_server.h"

namespace thor::testing {

// A secret a file-reading attack tries to exfiltrate; it must never appear in
// any response, message or event.
inline constexpr char kSecretMarker[] = "thor_secret_marker_59a1";

// The Isabelle steps the fake PISA server accepts as closing any goal: every
// cheat an Isabelle attack offers, and the positive control's "by simp".
std::vector<std::string> IsabelleScriptedSteps();

// What one call through an entry point produced, reduced to what the checks
// need: did anything count as a proof, and all text the client saw.
struct Outcome {
  bool rpc_ok = false;
  std::string rpc_error;      // Code name and message when !rpc_ok.
  bool counted = false;       // PROVED, RECHECK_PASSED or a PROOF_FINISHED suggestion.
  std::string verdict;        // Status / verdict name(s), for messages.
  std::string everything;     // Every event / response, as text (for marker checks).
};

class AttackRig {
 public:
  // Builds the fakes, the configuration and an in-process server; "" or an
  // error message through `error`.
  static std::unique_ptr<AttackRig> Start(std::string* error);
  ~AttackRig();

  // The fake model server answers every completion request with `steps`.
  void ModelReturns(const std::vector<std::string>& steps);

  // The server configuration as JSON (for `thor --config=`): the same
  // provers and the "attack" policy.
  const std::string& config_json() const { return config_json_; }
  // A fresh directory owned by the test (file-writing attacks aim inside it).
  std::string NewTargetDir(const std::string& label);
  // Paths of files holding the secret marker: a Coq sentence ("Check
  // <marker>."), and a .v file whose statement "Theorem t : False." follows
  // the marker sentence (for Theorem.file_path).
  const std::string& secret_file() const { return secret_file_; }
  const std::string& secret_theorem_file() const { return secret_theorem_file_; }

  v1::ProofSearch::Stub& stub() { return *stub_; }
  // Every theory text the fake `isabelle server` was asked to check.
  std::vector<std::string> IsabelleTheoriesChecked() const { return isabelle_server_->theories(); }

  // The entry points, with short budgets. Each returns what came back.
  Outcome Prove(const v1::Theorem& theorem, int max_queries = 4);
  Outcome Suggest(const v1::Theorem& theorem, const std::vector<std::string>& steps,
                  bool try_steps = true);
  Outcome CheckSteps(const v1::Theorem& theorem, const std::vector<std::string>& steps);
  Outcome CheckText(const v1::Theorem& theorem, const std::string& proof_text);
  Outcome HammerState(const v1::Theorem& theorem, const std::vector<std::string>& steps);

 private:
  AttackRig() = default;
  std::string scratch_;
  std::string secret_file_;
  std::string secret_theorem_file_;
  std::string config_json_;
  int next_dir_ = 0;
  std::unique_ptr<FakeModelServer> model_;
  isabelle::fake::RunningFakePisa pisa_;
  std::unique_ptr<isabelle::fake::FakeIsabelleServer> isabelle_server_;
  std::unique_ptr<ThorServer> server_;
  std::unique_ptr<v1::ProofSearch::Stub> stub_;
};

// Replaces "@T@" with `target_dir` and "@S@" / "@SV@" with the rig's secret
// files in `text`.
std::string Fill(const std::string& text, const std::string& target_dir, const AttackRig& rig);

// Runs `attack` through `entry` (one bit of Entry) and checks it: nothing
// counted as a proof, the attack's target directory is still empty, and no
// secret appears in anything the client saw. Adds gtest failures.
void RunAttack(AttackRig& rig, const Attack& attack, unsigned entry);

// "Prove", "Suggest", ... for test names.
std::string EntryName(unsigned entry);

// "" if `dir` is empty, else the names found in it.
std::string FilesIn(const std::string& dir);

}  // namespace thor::testing

#endif  // THOR_TESTS_SOUNDNESS_ATTACK_RIG_H_
