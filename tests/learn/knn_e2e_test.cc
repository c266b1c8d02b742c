// The learned policy end to end with real coqtop: `thor extract` traces a
// small .v file written here, `thor train` builds a model from it, and
// `thor prove --knn_model` (knn chosen by the model file alone) and
// `--policy=knn` prove a lemma of the same shape under other names (the
// proof re-checked by coqc), and `thor suggest` ranks the neighbours'
// tactics first, adapted to those names; a server learning online suggests
// the proof it found. Also: a missing or corrupt model stops `thor prove` with a
// clear message before any search. No process is left behind.
#include <sys/prctl.h>
#include <sys/wait.h>

#include <csignal>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/subprocess.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"
#include "tests/testing/serve_process.h"

namespace thor::testing {
namespace {

#ifndef THOR_BIN_DEFAULT
#define THOR_BIN_DEFAULT ""
#endif

constexpr char kSmallV[] = R"(Lemma my_add_0_r : forall n : nat, n + 0 = n.
Proof.
  intros n.
  induction n as [|n IHn].
  - reflexivity.
  - simpl. rewrite IHn. reflexivity.
Qed.

Lemma my_add_succ_r : forall n m : nat, n + S m = S (n + m).
Proof.
  intros n m.
  induction n as [|n IHn].
  - reflexivity.
  - simpl. rewrite IHn. reflexivity.
Qed.
)";

class KnnE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    thor_ = TestBinary("THOR_BIN", "app/thor", THOR_BIN_DEFAULT);
    ASSERT_FALSE(thor_.empty()) << "set THOR_BIN to the thor binary";
    ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
        << "coqtop is missing: apt-get install coq libcoq-hammer";
    dir_ = MakeTempDir();
    std::ofstream(dir_ + "/Small.v") << kSmallV;
    config_ = dir_ + "/server.json";
    std::ofstream(config_) << R"({"provers": {"coq": {"warm_hammer": false}}})";
  }
  void TearDown() override {
    EXPECT_EQ(LeftoverChildren(10000), "");
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }

  RunResult Run(std::vector<std::string> args) {
    SubprocessOptions o;
    o.argv = {thor_};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    absl::StatusOr<RunResult> r = RunSubprocess(o, "", absl::Seconds(240));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : RunResult{};
  }

  // Extracts Small.v and trains on it; returns the model's path.
  std::string TrainModel() {
    RunResult e = Run({"extract", "--prover=coq", "--out=" + dir_ + "/steps.jsonl",
                       dir_ + "/Small.v"});
    EXPECT_EQ(e.exit_code, 0) << e.out << e.err;
    EXPECT_NE(e.err.find("2 theorems, 12 steps"), std::string::npos) << e.err;
    const std::string model = dir_ + "/small.knn";
    RunResult t = Run({"train", "--in=" + dir_ + "/steps.jsonl", "--out=" + model});
    EXPECT_EQ(t.exit_code, 0) << t.out << t.err;
    EXPECT_NE(t.out.find("12 steps"), std::string::npos) << t.out;
    EXPECT_NE(t.out.find("trained in"), std::string::npos) << t.out;
    EXPECT_NE(t.out.find("MB -> " + model), std::string::npos) << t.out;
    return model;
  }

  // The first step `thor suggest` printed (its output if it printed none);
  // its score in `*logprob` if given.
  static std::string FirstSuggestion(const RunResult& r, double* logprob = nullptr) {
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const size_t at = r.out.find("suggestions:\n");
    if (at == std::string::npos) return r.out;
    const std::string line = r.out.substr(at + 13, r.out.find('\n', at + 13) - at - 13);
    const size_t step = line.find_first_not_of(" -.0123456789");
    if (logprob != nullptr) *logprob = std::stod(line.substr(0, step));
    return line.substr(step);
  }

  std::string thor_, dir_, config_;
};

TEST_F(KnnE2eTest, TrainedModelProvesALemmaOfTheSameShapeUnderOtherNames) {
  const std::string model = TrainModel();
  const std::string statement = "--statement=forall k : nat, k * 2 + 0 = k * 2";
  for (const std::string& policy : {std::string(""), std::string("--policy=knn")}) {
    std::vector<std::string> args = {"prove", "--prover=coq", "--config=" + config_,
                                     "--knn_model=" + model, statement, "--hammer_timeout=1",
                                     "--wall_time=120"};
    if (!policy.empty()) args.push_back(policy);
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("with policy knn"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find("status: PROVED"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find("recheck: RECHECK_PASSED"), std::string::npos) << r.out;
  }
  // The model's first steps, its names adapted to this goal's (k, not n),
  // rank first on the real states (the prover's cheap steps come after
  // them, so the proof above may be theirs).
  auto first_suggestion = [&](const std::vector<std::string>& more) {
    std::vector<std::string> args = {"suggest", "--prover=coq", "--config=" + config_,
                                     "--knn_model=" + model, statement, "--n=3"};
    args.insert(args.end(), more.begin(), more.end());
    return FirstSuggestion(Run(args));
  };
  EXPECT_EQ(first_suggestion({}), "intros k.");
  EXPECT_EQ(first_suggestion({"--steps=intros k."}), "induction k as [|k IHn].");
}

TEST_F(KnnE2eTest, HoldOutDropsTheStepsOfTheHeldOutSuitesFiles) {
  // Step records of one held-out stdlib file (Sorting/Permutation.v) and one
  // training file (Lists/List.v), as thor extract writes them.
  RunResult where = Run({"--version"});  // thor runs at all.
  ASSERT_EQ(where.exit_code, 0) << where.err;
  SubprocessOptions coqc;
  coqc.argv = {"coqc", "-where"};
  absl::StatusOr<RunResult> lib = RunSubprocess(coqc, "", absl::Seconds(30));
  ASSERT_TRUE(lib.ok() && lib->exit_code == 0) << "coqc -where failed: apt-get install coq";
  const std::string theories = lib->out.substr(0, lib->out.find('\n')) + "/theories";
  auto step = [](const std::string& file, const std::string& thm, int index) {
    return "{\"kind\":\"step\",\"file\":\"" + file + "\",\"theorem\":\"" + thm +
           "\",\"index\":" + std::to_string(index) +
           ",\"before\":{\"text\":\"1 goal\\n  ============================\\n   True\"},"
           "\"tactic\":\"exact I.\"}\n";
  };
  const std::string steps = dir_ + "/mixed.jsonl";
  std::ofstream(steps) << step(theories + "/Lists/List.v", "app_nil_r", 0)
                       << step(theories + "/Lists/List.v", "app_nil_r", 1)
                       << step(theories + "/Sorting/Permutation.v", "Permutation_refl", 0)
                       << step(theories + "/Lists/../Sorting/Permutation.v", "Permutation_sym", 0);
  RunResult t = Run({"train", "--in=" + steps, "--out=" + dir_ + "/m.knn",
                     "--hold_out=coq-stdlib-heldout"});
  EXPECT_EQ(t.exit_code, 0) << t.out << t.err;
  EXPECT_NE(t.out.find("held out (coq-stdlib-heldout): 2 steps of 2 files dropped"),
            std::string::npos)
      << t.out;
  EXPECT_NE(t.out.find("thor train: 2 steps"), std::string::npos) << t.out;
  // Only held-out steps: nothing to train on, said so.
  std::ofstream(dir_ + "/held.jsonl") << step(theories + "/Sorting/Permutation.v", "x", 0);
  RunResult none = Run({"train", "--in=" + dir_ + "/held.jsonl", "--out=" + dir_ + "/n.knn",
                        "--hold_out=coq-stdlib-heldout"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("every step is held out"), std::string::npos) << none.err;
  RunResult unknown = Run({"train", "--in=" + steps, "--out=" + dir_ + "/u.knn",
                           "--hold_out=no-such-suite"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--hold_out=no-such-suite"), std::string::npos) << unknown.err;
  // --own_file_only keeps the held-out steps, marked; an input without any
  // of the suite's files is an error rather than a model without the marks.
  RunResult own = Run({"train", "--in=" + steps, "--out=" + dir_ + "/o.knn",
                       "--own_file_only=coq-stdlib-heldout"});
  EXPECT_EQ(own.exit_code, 0) << own.out << own.err;
  EXPECT_NE(own.out.find("own-file-only (coq-stdlib-heldout): 2 steps of 2 files"),
            std::string::npos)
      << own.out;
  EXPECT_NE(own.out.find("thor train: 4 steps"), std::string::npos) << own.out;
  std::ofstream(dir_ + "/train-only.jsonl") << step(theories + "/Lists/List.v", "app_nil_r", 0);
  RunResult no_match = Run({"train", "--in=" + dir_ + "/train-only.jsonl",
                            "--out=" + dir_ + "/t.knn", "--own_file_only=coq-stdlib-heldout"});
  EXPECT_EQ(no_match.exit_code, 2);
  EXPECT_NE(no_match.err.find("no file of the input belongs to it"), std::string::npos)
      << no_match.err;
}

// Online learning on a real server: `thor serve` with a k-NN policy that
// learns (knn_learn_online) proves a bool lemma the model has nothing like;
// then, for the same goal under another name, the server's suggestions put
// that proof's first step first: a step they did not put first before, or
// the same one at a clearly higher score.
TEST_F(KnnE2eTest, AServerThatLearnsOnlineSuggestsTheProofItFound) {
  const std::string model = TrainModel();
  const std::string config = dir_ + "/online.json";
  std::ofstream(config) << R"({"provers": {"coq": {"warm_hammer": false}},
      "default_policy": "online",
      "policies": {"online": {"kind": "knn", "knn_model": ")"
                        << model << R"(", "knn_learn_online": true,
                                     "knn_mix": "learned_first",
                                     "knn_probe_s": 0}}})";
  absl::StatusOr<ServeProcess> serve = StartServe(thor_, {"--config=" + config});
  ASSERT_TRUE(serve.ok()) << serve.status();
  const std::string server = "--server=127.0.0.1:" + std::to_string(serve->port);
  auto first_suggestion = [&](double* logprob) {
    return FirstSuggestion(Run({"suggest", server, "--prover=coq",
                                "--statement=forall d : bool, negb (negb d) = d", "--n=3"}),
                           logprob);
  };
  double before_logprob = 0, after_logprob = 0;
  const std::string before = first_suggestion(&before_logprob);
  RunResult proved = Run({"prove", server, "--prover=coq",
                          "--statement=forall c : bool, negb (negb c) = c", "--wall_time=120"});
  EXPECT_EQ(proved.exit_code, 0) << proved.out << proved.err;
  ASSERT_NE(proved.out.find("status: PROVED"), std::string::npos) << proved.out << proved.err;
  const std::string after = first_suggestion(&after_logprob);
  // Another step first, or the same one (the model's first guess was the
  // proof's first step) now far more likely: the learnt state is this one.
  if (after == before) {
    EXPECT_GT(after_logprob, before_logprob + 0.1) << after << "\n" << proved.out;
  }
  // The learnt step, as the proof printed it (names adapted, c to d).
  const std::string step = std::regex_replace(after, std::regex("\\bd\\b"), "c");
  EXPECT_NE(proved.out.find(step), std::string::npos) << "'" << after << "' not in\n" << proved.out;
  serve->process->SignalGroup(SIGTERM);
  EXPECT_TRUE(serve->process->Wait(absl::Now() + absl::Seconds(30)));
}

TEST_F(KnnE2eTest, MissingOrCorruptModelStopsProveWithAClearMessage) {
  RunResult missing = Run({"prove", "--prover=coq", "--config=" + config_,
                           "--knn_model=" + dir_ + "/none.knn", "--statement=True"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("none.knn cannot be read; train one with: thor train"),
            std::string::npos)
      << missing.err;
  std::ofstream(dir_ + "/bad.knn") << "THORKNN\nnot a model";
  RunResult corrupt = Run({"prove", "--prover=coq", "--config=" + config_, "--policy=knn",
                           "--knn_model=" + dir_ + "/bad.knn", "--statement=True"});
  EXPECT_NE(corrupt.exit_code, 0);
  EXPECT_NE(corrupt.err.find("bad.knn"), std::string::npos) << corrupt.err;
  EXPECT_NE(corrupt.err.find("retrain it with thor train"), std::string::npos) << corrupt.err;
  RunResult no_model =
      Run({"prove", "--prover=coq", "--config=" + config_, "--policy=knn", "--statement=True"});
  EXPECT_NE(no_model.exit_code, 0);
  EXPECT_NE(no_model.err.find("--knn_model=FILE"), std::string::npos) << no_model.err;
}

}  // namespace
}  // namespace thor::testing
