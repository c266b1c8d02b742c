// The coq-stdlib suite, read from the Coq sources Debian installs, and its
// CI sample proved and re-checked in real coqtop/coqc.
#include "coq_bridge/stdlib_suite.h"

#include <set>

#include "absl/strings/match.h"
#include "coq_bridge/coq_backend.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_env.h"
#include "tests/testing/processes.h"

namespace thor::coq {
namespace {

TEST(StdlibSuiteTest, SelectionNamesParse) {
  EXPECT_EQ(*ParseStdlibSelection("classic"), StdlibSelection::kClassic);
  EXPECT_EQ(*ParseStdlibSelection("wide"), StdlibSelection::kWide);
  EXPECT_EQ(*ParseStdlibSelection("heldout"), StdlibSelection::kHeldOut);
  EXPECT_EQ(*ParseStdlibSelection("training"), StdlibSelection::kTraining);
  absl::StatusOr<StdlibSelection> bad = ParseStdlibSelection("held-out");
  ASSERT_TRUE(absl::IsInvalidArgument(bad.status())) << bad.status();
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "'held-out'")) << bad.status();
}

TEST(StdlibSuiteTest, SelectionIsDeterministicAndWellFormed) {
  absl::StatusOr<std::vector<Theorem>> all = StdlibSuite();
  ASSERT_TRUE(all.ok()) << all.status() << " (apt-get install coq libcoq-hammer)";
  EXPECT_GT(all->size(), 500u);
  std::set<std::string> names;
  for (const Theorem& t : *all) {
    EXPECT_EQ(t.prover, "coq");
    EXPECT_TRUE(names.insert(t.name).second) << "duplicate " << t.name;
    EXPECT_TRUE(absl::StrContains(t.context, "\nFrom Hammer Require Import Hammer.\n")) << t.name;
    // CoqHammer's import loads Coq.Lists.List: its theorems need the filter.
    if (absl::StartsWith(t.name, "Lists/List.v:")) {
      EXPECT_TRUE(absl::EndsWith(t.context, "Add Hammer Filter Coq.Lists.List.\n")) << t.name;
    }
    EXPECT_EQ(t.statement.back(), '.') << t.name;
  }
  EXPECT_EQ(names.count("Lists/List.v:app_nil_r"), 1u);
  absl::StatusOr<std::vector<Theorem>> again = StdlibSuite();
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), all->size());
  for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i].name, (*again)[i].name);
  StdlibSuiteOptions sampled;
  sampled.sample = 100;
  absl::StatusOr<std::vector<Theorem>> hundred = StdlibSuite(sampled);
  ASSERT_TRUE(hundred.ok());
  EXPECT_EQ(hundred->size(), 100u);
  EXPECT_EQ(hundred->front().name, all->front().name);
}

// A library that includes the file's module is filtered too: VectorSpec's
// lemmas are also Coq.Vectors.Vector's (found on the training sample, where
// the external hammer proved two of them with their compiled copies).
TEST(StdlibSuiteTest, LibrariesIncludingTheFilesModuleAreFilteredToo) {
  StdlibSuiteOptions wide;
  wide.selection = StdlibSelection::kWide;
  absl::StatusOr<std::vector<Theorem>> all = StdlibSuite(wide);
  ASSERT_TRUE(all.ok()) << all.status() << " (apt-get install coq libcoq-hammer)";
  int vector_spec = 0;
  for (const Theorem& t : *all) {
    // A file no loaded library includes keeps its one filter line.
    if (absl::StartsWith(t.name, "Lists/List.v:")) {
      EXPECT_TRUE(absl::EndsWith(t.context, "\nFrom Hammer Require Import Hammer.\n"
                                            "Add Hammer Filter Coq.Lists.List.\n"))
          << t.name;
    }
    if (!absl::StartsWith(t.name, "Vectors/VectorSpec.v:")) continue;
    ++vector_spec;
    EXPECT_TRUE(absl::StrContains(t.context, "Add Hammer Filter Coq.Vectors.VectorSpec.\n"))
        << t.name;
    EXPECT_TRUE(absl::StrContains(t.context, "Add Hammer Filter Coq.Vectors.Vector.\n")) << t.name;
  }
  EXPECT_GT(vector_spec, 10);
}

TEST(StdlibSuiteTest, CoqcThatCannotSayWhereTheLibraryIsIsNotFound) {
  thor::testing::FakeEnv env;
  RunResult failed;
  failed.exit_code = 2;
  env.Script({"coqc", absl::Seconds(1), failed});
  StdlibSuiteOptions options;
  options.env = &env;
  absl::StatusOr<std::vector<Theorem>> all = StdlibSuite(options);
  EXPECT_TRUE(absl::IsNotFound(all.status())) << all.status();
  EXPECT_TRUE(absl::StrContains(all.status().message(), "apt-get install coq")) << all.status();
  ASSERT_EQ(env.runs().size(), 1u);
  EXPECT_EQ(env.runs()[0], (std::vector<std::string>{"coqc", "-where"}));
}

TEST(StdlibSuiteTest, ParsesOnlyProvedTheoremsWithTheirFilePrefix) {
  const std::string text =
      "Require Import Arith.\n(* Lemma in_comment : True. *)\n"
      "Lemma a : True.\nProof. exact I. Qed.\n"
      "Theorem b (n : nat) :\n  n = n.\nProof. reflexivity. Defined.\n"
      "Lemma c : False.\nAdmitted.\n"
      "Definition d := 1.\n";
  std::vector<Theorem> thms = TheoremsOfFile(text, "X/Y.v", {"Coq.X.Y"}, "/x/Y.v");
  ASSERT_EQ(thms.size(), 2u);
  EXPECT_EQ(thms[0].name, "X/Y.v:a");
  EXPECT_EQ(thms[1].name, "X/Y.v:b");
  EXPECT_EQ(thms[1].statement, "Theorem b (n : nat) :\n  n = n.");
  EXPECT_TRUE(absl::StrContains(thms[1].context, "Proof. exact I. Qed.\n\nFrom Hammer"))
      << thms[1].context;
  EXPECT_TRUE(absl::EndsWith(thms[1].context, "Add Hammer Filter Coq.X.Y.\n")) << thms[1].context;
}

TEST(StdlibSuiteTest, CiSampleLoadsProvesAndRechecks) {
  StdlibSuiteOptions options;
  options.ci_sample = true;
  absl::StatusOr<std::vector<Theorem>> sample = StdlibSuite(options);
  ASSERT_TRUE(sample.ok()) << sample.status();
  ASSERT_EQ(sample->size(), 3u);
  const std::vector<std::string> proofs[] = {
      {"destruct b; reflexivity."}, {"induction l; simpl; congruence."}, {"reflexivity."}};
  {
    CoqConfig config;
    config.warm_hammer = false;  // No hammer here.
    CoqBackend backend(config);
    for (size_t i = 0; i < sample->size(); ++i) {
      const Theorem& thm = (*sample)[i];
      auto session = backend.NewSession();
      ASSERT_TRUE(session.ok());
      absl::StatusOr<ProofState> s0 = (*session)->Start(thm, absl::Seconds(60));
      ASSERT_TRUE(s0.ok()) << thm.name << ": " << s0.status();
      ProofState state = *s0;
      StepResult r;
      for (const std::string& step : proofs[i]) {
        r = (*session)->Apply(state, step, absl::Seconds(10));
        state = r.state;
      }
      EXPECT_EQ(r.kind, StepKind::kProofFinished) << thm.name << ": " << r.message;
      RecheckResult check = backend.Recheck(thm, proofs[i], absl::Seconds(120));
      EXPECT_EQ(check.verdict, RecheckVerdict::kPassed) << thm.name << ": " << check.message;
    }
  }
  EXPECT_EQ(testing::LeftoverChildren(5000), "");
}

}  // namespace
}  // namespace thor::coq
