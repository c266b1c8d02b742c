// TraceCoqFile against the real coqtop (Debian's coq): a small fixture
// traced into exact steps and states, a broken file and a file past its time
// limit into error records, a whole run resumed; nothing left running.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/subprocess.h"
#include "coq_bridge/coq_backend.h"
#include "coq_bridge/coq_extract.h"
#include "extract/run.h"
#include "gtest/gtest.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::coq {
namespace {

using Strings = std::vector<std::string>;

// Three proved theorems (bullets, a nested pattern, steps on one line), an
// admitted one (dropped) and vernacular between them (run, not recorded),
// ending in a recursive notation.
constexpr char kFixture[] = R"(Require Import List.
Import ListNotations.

Definition double (n : nat) := n + n.

Lemma double_0 : double 0 = 0.
Proof.
  unfold double. reflexivity.
Qed.

(* A comment between proofs. *)
Theorem app_nil_r' : forall (A : Type) (l : list A), l ++ [] = l.
Proof.
  intros A l. induction l as [| a l IH].
  - reflexivity.
  - simpl. rewrite IH. reflexivity.
Qed.

Lemma skipped : 1 = 2.
Proof.
Admitted.

Check double.

Lemma and_swap : forall P Q : Prop, P /\ Q -> Q /\ P.
Proof. intros P Q [HP HQ]. split; assumption. Qed.

(* ".." before a blank does not end a sentence (as in Lists/List.v). *)
Notation "[[ x ; .. ; y ]]" := (cons x .. (cons y nil) ..).
Check [[1; 2]].
)";

std::string WriteFile(const std::string& name, const std::string& text) {
  static const std::string dir = testing::MakeTempDir();
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

class CoqExtractTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq").ok())
        << "coqtop is missing: apt-get install coq libcoq-hammer (scripts/bootstrap)";
  }
};

// The display without its goal IDs ("1 goal (ID 12)"): they number the
// evars a process has made so far, so they differ between two processes.
std::string NoIds(const std::string& display) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t at = display.find(" (ID ", pos);
    if (at == std::string::npos) break;
    const size_t close = display.find(')', at);
    out += display.substr(pos, at - pos);
    pos = close + 1;
  }
  return out + display.substr(pos);
}

Strings Tactics(const extract::TheoremTrace& t) {
  Strings out;
  for (const extract::StepRecord& s : t.steps) out.push_back(s.tactic);
  return out;
}

TEST_F(CoqExtractTest, FixtureGivesExactStepsAndStates) {
  const std::string path = WriteFile("Small.v", kFixture);
  extract::FileTrace trace = TraceCoqFile(path, CoqExtractOptions());
  ASSERT_TRUE(trace.file.status.ok()) << trace.file.status;
  EXPECT_EQ(trace.file.file, path);
  ASSERT_EQ(trace.theorems.size(), 3u);
  EXPECT_EQ(trace.file.theorems, 3);
  EXPECT_EQ(trace.file.steps, 10);

  const extract::TheoremTrace& d = trace.theorems[0];
  EXPECT_EQ(d.theorem.theorem, "double_0");
  EXPECT_EQ(d.theorem.statement, "Lemma double_0 : double 0 = 0.");
  EXPECT_EQ(d.theorem.line, 6);
  EXPECT_EQ(d.theorem.end, "Qed");
  EXPECT_EQ(d.theorem.steps, 2);
  EXPECT_EQ(Tactics(d), (Strings{"unfold double.", "reflexivity."}));
  EXPECT_EQ(d.steps[0].line, 8);
  EXPECT_EQ(NoIds(d.steps[0].before.text),
            "1 goal\n  \n  ============================\n  double 0 = 0");
  ASSERT_EQ(d.steps[0].before.goals.size(), 1u);
  EXPECT_EQ(d.steps[0].before.goals[0].conclusion, "double 0 = 0");
  EXPECT_TRUE(d.steps[0].before.goals[0].hypotheses.empty());
  EXPECT_EQ(d.steps[0].after.goals[0].conclusion, "0 + 0 = 0");
  EXPECT_EQ(d.steps[1].before.text, d.steps[0].after.text);
  EXPECT_EQ(d.steps[1].after.text, "No more goals.");
  EXPECT_FALSE(d.steps[0].finished);
  EXPECT_TRUE(d.steps[1].finished);
  EXPECT_TRUE(d.steps[1].after.goals.empty());
  EXPECT_EQ(d.steps[0].constants, (Strings{"Top.double"}));
  EXPECT_TRUE(d.steps[1].constants.empty());
  for (const char* c : {"Top.double", "Coq.Init.Logic.eq", "Coq.Init.Logic.eq_refl",
                        "Coq.Init.Datatypes.nat", "Coq.Init.Datatypes.O"}) {
    EXPECT_NE(std::find(d.theorem.dependencies.begin(), d.theorem.dependencies.end(), c),
              d.theorem.dependencies.end())
        << c;
  }

  const extract::TheoremTrace& a = trace.theorems[1];
  EXPECT_EQ(a.theorem.theorem, "app_nil_r'");
  EXPECT_EQ(a.theorem.line, 12);
  EXPECT_EQ(Tactics(a), (Strings{"intros A l.", "induction l as [| a l IH].", "reflexivity.",
                                 "simpl.", "rewrite IH.", "reflexivity."}));
  for (size_t k = 0; k < a.steps.size(); ++k) EXPECT_EQ(a.steps[k].index, static_cast<int>(k));
  // After intros: A and l; induction makes two goals.
  ASSERT_EQ(a.steps[1].before.goals.size(), 1u);
  ASSERT_EQ(a.steps[1].before.goals[0].hypotheses.size(), 2u);
  EXPECT_EQ(a.steps[1].before.goals[0].hypotheses[0].names, Strings{"A"});
  EXPECT_EQ(a.steps[1].before.goals[0].hypotheses[0].type, "Type");
  EXPECT_EQ(a.steps[1].before.goals[0].hypotheses[1].names, Strings{"l"});
  EXPECT_EQ(a.steps[1].before.goals[0].hypotheses[1].type, "list A");
  EXPECT_EQ(a.steps[1].before.goals[0].conclusion, "l ++ [] = l");
  ASSERT_EQ(a.steps[1].after.goals.size(), 2u);
  EXPECT_EQ(a.steps[1].after.goals[0].conclusion, "[] ++ [] = []");
  EXPECT_EQ(a.steps[1].after.goals[1].conclusion, "(a :: l) ++ [] = a :: l");
  // The bullet focuses: the state before the first reflexivity is its goal.
  ASSERT_EQ(a.steps[2].before.goals.size(), 1u);
  EXPECT_EQ(a.steps[2].before.goals[0].conclusion, "[] ++ [] = []");
  EXPECT_FALSE(a.steps[2].finished);  // The other bullet's goal is left.
  // The second bullet: hypotheses A, a, l, IH.
  ASSERT_EQ(a.steps[4].before.goals.size(), 1u);
  EXPECT_EQ(a.steps[4].before.goals[0].hypotheses.back().names, Strings{"IH"});
  EXPECT_EQ(a.steps[4].before.goals[0].hypotheses.back().type, "l ++ [] = l");
  EXPECT_TRUE(a.steps[5].finished);
  for (const extract::StepRecord& s : a.steps) EXPECT_TRUE(s.constants.empty()) << s.tactic;

  const extract::TheoremTrace& s = trace.theorems[2];
  EXPECT_EQ(s.theorem.theorem, "and_swap");
  EXPECT_EQ(Tactics(s), (Strings{"intros P Q [HP HQ].", "split; assumption."}));
  EXPECT_EQ(s.steps[1].before.goals[0].conclusion, "Q /\\ P");
  EXPECT_TRUE(s.steps[1].finished);
  EXPECT_NE(std::find(s.theorem.dependencies.begin(), s.theorem.dependencies.end(),
                      "Coq.Init.Logic.conj"),
            s.theorem.dependencies.end());
  EXPECT_EQ(testing::LeftoverChildren(), "");
}

// The states of the records are the displays Thor's own Coq session gives a
// policy as {state}: a model trained on them sees at search time what it saw
// in training.
TEST_F(CoqExtractTest, StatesAreTheDisplaysThorsSearchSees) {
  extract::FileTrace trace = TraceCoqFile(WriteFile("Small3.v", kFixture), CoqExtractOptions());
  ASSERT_TRUE(trace.file.status.ok()) << trace.file.status;
  const extract::TheoremTrace& a = trace.theorems[1];
  CoqConfig config;
  config.warm_hammer = false;
  config.max_idle_processes = 0;
  {
    CoqBackend backend(config);
    auto session = backend.NewSession();
    ASSERT_TRUE(session.ok()) << session.status();
    Theorem thm;
    thm.prover = "coq";
    thm.name = "app_nil_r'";
    thm.statement = a.theorem.statement;
    const std::string fixture = kFixture;
    thm.context = fixture.substr(0, fixture.find("Theorem app_nil_r'"));
    absl::StatusOr<ProofState> s0 = (*session)->Start(thm, absl::Seconds(60));
    ASSERT_TRUE(s0.ok()) << s0.status();
    EXPECT_EQ(NoIds(s0->text), NoIds(a.steps[0].before.text));
    StepResult r1 = (*session)->Apply(*s0, a.steps[0].tactic, absl::Seconds(10));
    ASSERT_EQ(r1.kind, StepKind::kNewState) << r1.message;
    EXPECT_EQ(NoIds(r1.state.text), NoIds(a.steps[0].after.text));
    StepResult r2 = (*session)->Apply(r1.state, a.steps[1].tactic, absl::Seconds(10));
    ASSERT_EQ(r2.kind, StepKind::kNewState) << r2.message;
    EXPECT_EQ(NoIds(r2.state.text), NoIds(a.steps[1].after.text));
    EXPECT_NE(r2.state.text.find("goal 2 (ID"), std::string::npos) << r2.state.text;
  }
  EXPECT_EQ(testing::LeftoverChildren(), "");
}

TEST_F(CoqExtractTest, ConstantsCanBeSwitchedOff) {
  CoqExtractOptions options;
  options.constants = false;
  extract::FileTrace trace = TraceCoqFile(WriteFile("Small2.v", kFixture), options);
  ASSERT_TRUE(trace.file.status.ok()) << trace.file.status;
  ASSERT_EQ(trace.theorems.size(), 3u);
  EXPECT_TRUE(trace.theorems[0].steps[0].constants.empty());
  EXPECT_TRUE(trace.theorems[0].theorem.dependencies.empty());
}

TEST_F(CoqExtractTest, EllipsisStepsOfProofWithAreStepsAndTheFileGoesOn) {
  // `tac...` runs tac then the `Proof with` tactic (as in the stdlib's
  // NArith/Ndigits.v, Vectors/VectorSpec.v, Structures/OrderedType.v): its
  // "..." ends the sentence; it is not the ".." of a recursive notation.
  const std::string path = WriteFile("Ellipsis.v", R"(Notation "[[ x ; .. ; y ]]" := (cons x .. (cons y nil) ..).

Lemma with_ellipsis : (exists n : nat, n = 2) /\ True.
Proof with auto.
  split...
  - exists 2...
Qed.

Corollary after : True /\ True.
Proof.
  split; exact I.
Qed.
)");
  extract::FileTrace trace = TraceCoqFile(path, CoqExtractOptions());
  ASSERT_TRUE(trace.file.status.ok()) << trace.file.status;
  ASSERT_EQ(trace.theorems.size(), 2u);
  const extract::TheoremTrace& w = trace.theorems[0];
  EXPECT_EQ(w.theorem.theorem, "with_ellipsis");
  EXPECT_EQ(Tactics(w), (Strings{"split...", "exists 2..."}));
  ASSERT_EQ(w.steps.size(), 2u);
  EXPECT_EQ(w.steps[1].line, 6);
  // `split...` left the existential (auto closed True).
  ASSERT_EQ(w.steps[0].after.goals.size(), 1u);
  EXPECT_EQ(w.steps[0].after.goals[0].conclusion, "exists n : nat, n = 2");
  EXPECT_TRUE(w.steps[1].finished);
  EXPECT_EQ(trace.theorems[1].theorem.theorem, "after");
  EXPECT_EQ(Tactics(trace.theorems[1]), (Strings{"split; exact I."}));
  EXPECT_EQ(testing::LeftoverChildren(), "");
}

TEST_F(CoqExtractTest, ProofTermClosesItsLemmaAndTheFileGoesOn) {
  // `Proof term.` (as in the stdlib's Arith/Between.v) right after its
  // statement: no step, and the theorems after it are traced.
  const std::string path = WriteFile("ProofTerm.v", R"(Lemma base : True.
Proof. exact I. Qed.

Lemma by_term : True.
Proof base.

Lemma after : True /\ True.
Proof using.
  split; exact I.
Qed.
)");
  extract::FileTrace trace = TraceCoqFile(path, CoqExtractOptions());
  ASSERT_TRUE(trace.file.status.ok()) << trace.file.status;
  ASSERT_EQ(trace.theorems.size(), 3u);
  EXPECT_EQ(trace.theorems[1].theorem.theorem, "by_term");
  EXPECT_EQ(trace.theorems[1].theorem.end, "Qed");
  EXPECT_TRUE(trace.theorems[1].steps.empty());
  const std::vector<std::string>& deps = trace.theorems[1].theorem.dependencies;
  EXPECT_NE(std::find(deps.begin(), deps.end(), "Top.base"), deps.end());
  ASSERT_EQ(trace.theorems[2].steps.size(), 1u);
  EXPECT_EQ(trace.theorems[2].steps[0].tactic, "split; exact I.");
  EXPECT_EQ(testing::LeftoverChildren(), "");
}

TEST_F(CoqExtractTest, BrokenFileGivesAnErrorAndKeepsEarlierTheorems) {
  const std::string path = WriteFile("Broken.v", R"(Lemma fine : True.
Proof. exact I. Qed.

Lemma bad : 1 = 2.
Proof. reflexivity. Qed.
)");
  extract::FileTrace trace = TraceCoqFile(path, CoqExtractOptions());
  EXPECT_EQ(trace.file.status.code(), absl::StatusCode::kInvalidArgument) << trace.file.status;
  EXPECT_TRUE(absl::StrContains(trace.file.status.message(), "line 5")) << trace.file.status;
  ASSERT_EQ(trace.theorems.size(), 1u);
  EXPECT_EQ(trace.theorems[0].theorem.theorem, "fine");
  EXPECT_EQ(TraceCoqFile(path + ".missing", CoqExtractOptions()).file.status.code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(testing::LeftoverChildren(), "");
}

TEST_F(CoqExtractTest, FilePastItsTimeLimitIsKilledWithAnError) {
  // Rewriting with commutativity never stops.
  const std::string path = WriteFile(
      "Loop.v", "Require Import PeanoNat.\nLemma loops : forall n m : nat, n + m = m + n.\n"
                "Proof.\n  intros n m. repeat rewrite PeanoNat.Nat.add_comm.\nQed.\n");
  CoqExtractOptions options;
  options.file_timeout = absl::Seconds(4);
  const absl::Time start = absl::Now();
  extract::FileTrace trace = TraceCoqFile(path, options);
  EXPECT_EQ(trace.file.status.code(), absl::StatusCode::kDeadlineExceeded) << trace.file.status;
  EXPECT_LT(absl::Now() - start, absl::Seconds(15));
  EXPECT_EQ(testing::LeftoverChildren(), "");
}

TEST_F(CoqExtractTest, RunResumesAndWritesOneBlockPerFile) {
  const std::string good = WriteFile("Good.v", kFixture);
  const std::string bad = WriteFile("Bad.v", "Lemma bad : 1 = 2.\nProof. reflexivity. Qed.\n");
  extract::RunOptions options;
  options.out_path = WriteFile("out.jsonl", "");
  options.jobs = 2;
  auto tracer = [](const std::string& p) { return TraceCoqFile(p, CoqExtractOptions()); };
  auto first = extract::RunExtraction({good, bad}, tracer, options);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->traced, 2);
  EXPECT_EQ(first->failed, 1);
  EXPECT_EQ(first->steps, 10);
  std::ifstream in(options.out_path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int steps = 0, files = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    nlohmann::json j = nlohmann::json::parse(line);
    steps += j["kind"] == "step";
    files += j["kind"] == "file";
  }
  EXPECT_EQ(steps, 10);
  EXPECT_EQ(files, 2);
  auto second = extract::RunExtraction({good, bad}, tracer, options);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->skipped, 2);
  EXPECT_EQ(second->traced, 0);
  EXPECT_EQ(testing::LeftoverChildren(), "");
}

}  // namespace
}  // namespace thor::coq
