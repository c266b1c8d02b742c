// Each ATP runner on real binaries, output parsing on canned and garbage
// output, and process hygiene.
#include "hammer/atp.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hammer/encode.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::hammer {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

Problem Load(const std::string& name) {
  auto p = ReadProblemFile(thor::testing::SourceDir() + "/tests/hammer/data/" + name);
  EXPECT_TRUE(p.ok()) << p.status();
  NormaliseNumerals(*p);
  return *p;
}

std::vector<std::string> UsedNames(const Problem& p, const AtpOutcome& r) {
  std::vector<std::string> out;
  for (int i : r.used) out.push_back(p.formulas[i].name);
  return out;
}

void RequireInstalled(Prover p) {
  ASSERT_TRUE(ProverInstalled(p)) << ProverName(p) << " missing: " << ProverAvailabilityReport()
                                  << " (scripts/bootstrap installs it)";
}

class EachProverTest : public ::testing::TestWithParam<Prover> {};

TEST_P(EachProverTest, ProvesAndReportsThePremisesUsed) {
  RequireInstalled(GetParam());
  Problem p = Load("p1_prov.p");
  AtpOutcome r = RunAtp(GetParam(), p, p.PremiseIndices(), absl::Seconds(10), {}, nullptr);
  ASSERT_EQ(r.status, AtpStatus::kProved) << r.message;
  EXPECT_EQ(r.szs, "Theorem");
  EXPECT_TRUE(r.core_known);
  EXPECT_THAT(UsedNames(p, r), UnorderedElementsAre("a02_human_mortal", "a07_socrates_human"));
  EXPECT_EQ(thor::testing::LeftoverChildren(), "");
}

TEST_P(EachProverTest, EqualityProblemCoreContainsTheNeededFacts) {
  RequireInstalled(GetParam());
  Problem p = Load("p2_eq.p");
  AtpOutcome r = RunAtp(GetParam(), p, p.PremiseIndices(), absl::Seconds(10), {}, nullptr);
  ASSERT_EQ(r.status, AtpStatus::kProved) << r.message;
  std::vector<std::string> used = UsedNames(p, r);
  for (const char* needed : {"app_nil", "app_cons", "len_nil", "len_cons"}) {
    EXPECT_THAT(used, ::testing::Contains(needed)) << ProverName(GetParam());
  }
}

TEST_P(EachProverTest, NeverProvesAnUnprovableGoal) {
  RequireInstalled(GetParam());
  Problem p = Load("p3_csat.p");
  AtpOutcome r = RunAtp(GetParam(), p, p.PremiseIndices(), absl::Seconds(3), {}, nullptr);
  EXPECT_NE(r.status, AtpStatus::kProved) << r.message;
  EXPECT_NE(r.status, AtpStatus::kError) << r.message;
}

TEST_P(EachProverTest, TimesOutOnAHardProblemWithinTheWatchdog) {
  RequireInstalled(GetParam());
  Problem p = Load("p4_hard.p");
  absl::Time start = absl::Now();
  AtpOutcome r = RunAtp(GetParam(), p, p.PremiseIndices(), absl::Seconds(1), {}, nullptr);
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  EXPECT_EQ(r.status, AtpStatus::kUnknown) << r.szs << " " << r.message;
  EXPECT_EQ(thor::testing::LeftoverChildren(), "");
}

TEST_P(EachProverTest, QuotedNamesAndNumeralsMapBack) {
  RequireInstalled(GetParam());
  Problem p = Load("p5_quoted.p");
  AtpOutcome r = RunAtp(GetParam(), p, p.PremiseIndices(), absl::Seconds(10), {}, nullptr);
  ASSERT_EQ(r.status, AtpStatus::kProved) << r.message;
  std::vector<std::string> used = UsedNames(p, r);
  EXPECT_THAT(used, ::testing::Contains("List.app_nil_l"));
  EXPECT_THAT(used, ::testing::Contains("Datatypes.length cons"));
  EXPECT_THAT(used, ::testing::Not(::testing::Contains("unused fact")));
}

TEST_P(EachProverTest, CnfWithNegatedConjecture) {
  RequireInstalled(GetParam());
  Problem p = Load("p7_cnf.p");
  AtpOutcome r = RunAtp(GetParam(), p, p.PremiseIndices(), absl::Seconds(10), {}, nullptr);
  ASSERT_EQ(r.status, AtpStatus::kProved) << r.message;
  EXPECT_THAT(UsedNames(p, r), UnorderedElementsAre("c1", "c2"));
}

INSTANTIATE_TEST_SUITE_P(Atps, EachProverTest,
                         ::testing::Values(Prover::kE, Prover::kCvc5, Prover::kCvc4,
                                           Prover::kSpass, Prover::kZ3),
                         [](const auto& info) { return std::string(ProverName(info.param)); });

TEST(AtpTest, TypedProblemRunsOnTypedProversAndSpassDeclines) {
  Problem p = Load("p6_tff.p");
  for (Prover prover : {Prover::kE, Prover::kCvc5, Prover::kCvc4, Prover::kZ3}) {
    RequireInstalled(prover);
    AtpOutcome r = RunAtp(prover, p, p.PremiseIndices(), absl::Seconds(10), {}, nullptr);
    ASSERT_EQ(r.status, AtpStatus::kProved) << ProverName(prover) << ": " << r.szs << " "
                                            << r.message;
    EXPECT_THAT(UsedNames(p, r), UnorderedElementsAre("len_nil", "len_cons", "even_zero", "even_ss"))
        << ProverName(prover);
  }
  AtpOutcome spass = RunAtp(Prover::kSpass, p, p.PremiseIndices(), absl::Seconds(5), {}, nullptr);
  EXPECT_EQ(spass.status, AtpStatus::kError);
  EXPECT_THAT(spass.message, HasSubstr("tff"));
}

TEST(AtpTest, MissingProverIsAnErrorListingInstalledOnes) {
  if (ProverInstalled(Prover::kVampire)) GTEST_SKIP() << "vampire is installed here";
  Problem p = Load("p1_prov.p");
  AtpOutcome r = RunAtp(Prover::kVampire, p, p.PremiseIndices(), absl::Seconds(1), {}, nullptr);
  EXPECT_EQ(r.status, AtpStatus::kError);
  EXPECT_THAT(r.message, HasSubstr("vampire is not installed"));
  EXPECT_THAT(r.message, HasSubstr("installed: e, cvc5"));
}

TEST(AtpTest, ParsesStatusLinesOfEveryProver) {
  std::vector<int> given = {3, 5, 8};
  auto parse = [&](Prover p, const std::string& out, int code = 0, int sig = 0) {
    return ParseAtpOutput(p, out, code, sig, false, given);
  };
  AtpOutcome e = parse(Prover::kE,
                       "# SZS status Theorem\n# SZS output start CNFRefutation\n"
                       "fof(ax5, axiom, p(a), file('<stdin>', ax5)).\n"
                       "fof(goal0, conjecture, q, file('<stdin>', goal0)).\n"
                       "fof(c_0_1, plain, ax8_like_text, inference(x,[],[ax5])).\n"
                       "# SZS output end CNFRefutation\n");
  EXPECT_EQ(e.status, AtpStatus::kProved);
  EXPECT_THAT(e.used, UnorderedElementsAre(5));
  AtpOutcome cvc5 = parse(Prover::kCvc5,
                          "% SZS status Unsatisfiable for x\n% SZS output start UnsatCore \n"
                          "goal0\nax3\nax8\nax99\n% SZS output end UnsatCore \n");
  EXPECT_EQ(cvc5.szs, "Theorem");
  EXPECT_THAT(cvc5.used, UnorderedElementsAre(3, 8));  // ax99 was not given.
  EXPECT_EQ(parse(Prover::kCvc5, "% SZS status Satisfiable for x\n").status,
            AtpStatus::kDisproved);
  // cvc5 aborts at its time limit with no SZS line: unknown, not an error.
  AtpOutcome abort = parse(Prover::kCvc5, "interrupted by timeout.\n", -1, 6);
  EXPECT_EQ(abort.status, AtpStatus::kUnknown);
  AtpOutcome spass = parse(Prover::kSpass,
                           "SPASS beiseite: Proof found.\nFormulae used in the proof : ax8 goal0 ax3\n");
  EXPECT_THAT(spass.used, UnorderedElementsAre(3, 8));
  EXPECT_EQ(parse(Prover::kSpass, "SPASS beiseite: Completion found.\n").status,
            AtpStatus::kDisproved);
  EXPECT_EQ(parse(Prover::kSpass, "SPASS beiseite: Ran out of time.\n").status,
            AtpStatus::kUnknown);
  AtpOutcome z3 = parse(Prover::kZ3, "unsat\n(ax5 goal0)\n");
  EXPECT_THAT(z3.used, UnorderedElementsAre(5));
  EXPECT_EQ(parse(Prover::kZ3, "timeout\n").status, AtpStatus::kUnknown);
  // z3 carries on after rejecting an assertion: that run is an error.
  EXPECT_EQ(parse(Prover::kZ3, "(error \"line 3: unknown constant\")\nunsat\n()\n").status,
            AtpStatus::kError);
  EXPECT_EQ(parse(Prover::kE, "# SZS status ContradictoryAxioms\n").status, AtpStatus::kProved);
  EXPECT_EQ(parse(Prover::kE, "eprover: syntax error\n", 3).status, AtpStatus::kError);
}

TEST(AtpTest, GarbageOutputIsNeverAProof) {
  std::vector<int> given = {0, 1};
  for (Prover p : {Prover::kE, Prover::kCvc5, Prover::kCvc4, Prover::kSpass, Prover::kZ3,
                   Prover::kVampire}) {
    for (const char* out : {"", "\x01\x02garbage\xff", "Theorem\nproof found\nunsat-ish\n",
                            "SZS status\n", "% SZS status   \n", "sat unsat\n"}) {
      for (int code : {0, 1, 134}) {
        AtpOutcome r = ParseAtpOutput(p, out, code, 0, false, given);
        EXPECT_NE(r.status, AtpStatus::kProved) << ProverName(p) << " on '" << out << "'";
      }
    }
  }
}

// A fake `eprover` that prints garbage and crashes: never "proved".
TEST(AtpTest, CrashingProverPrintingGarbageIsNotAProof) {
  std::string dir = thor::testing::MakeTempDir();
  std::string fake = dir + "/eprover";
  {
    std::ofstream f(fake);
    f << "#!/bin/sh\ncat > /dev/null\necho 'Theorem? maybe ### proof'\nkill -SEGV $$\n";
  }
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  std::string old_path = std::getenv("PATH");
  setenv("PATH", (dir + ":" + old_path).c_str(), 1);
  Problem p = Load("p1_prov.p");
  AtpOutcome r = RunAtp(Prover::kE, p, p.PremiseIndices(), absl::Seconds(5), {}, nullptr);
  setenv("PATH", old_path.c_str(), 1);
  EXPECT_NE(r.status, AtpStatus::kProved);
  EXPECT_EQ(thor::testing::LeftoverChildren(), "");
}

TEST(AtpTest, CancelKillsTheProverQuickly) {
  RequireInstalled(Prover::kE);
  Problem p = Load("p4_hard.p");
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(300));
    cancel = true;
  });
  absl::Time start = absl::Now();
  AtpOutcome r = RunAtp(Prover::kE, p, p.PremiseIndices(), absl::Seconds(20), {}, &cancel);
  canceller.join();
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  EXPECT_EQ(r.status, AtpStatus::kUnknown);
  EXPECT_EQ(thor::testing::LeftoverChildren(), "");
}

TEST(AtpTest, SmtLibEncodingSeparatesOverloadedSymbols) {
  auto p = ParseProblem(
      "fof(a1, axiom, p(a) & p(a, b)).\nfof(a2, axiom, ![X]: (q(X) => f(X) = f)).\n"
      "fof(g, conjecture, p(a)).\n",
      "", "t.p");
  ASSERT_TRUE(p.ok()) << p.status();
  std::string smt = EncodeSmtLib(*p, p->PremiseIndices());
  // p/1 and p/2 become two predicates; f/1 and the constant f two functions.
  EXPECT_THAT(smt, HasSubstr("(declare-fun f1 (U) Bool)"));
  EXPECT_THAT(smt, HasSubstr("(declare-fun f3 (U U) Bool)"));
  EXPECT_THAT(smt, HasSubstr("(declare-fun f5 (U) U)"));
  EXPECT_THAT(smt, HasSubstr("(declare-fun f6 () U)"));
  EXPECT_THAT(smt, HasSubstr("(assert (! (and (f1 f0) (f3 f0 f2)) :named ax0))"));
  EXPECT_THAT(smt, HasSubstr("(assert (! (not (f1 f0)) :named goal0))"));
  RequireInstalled(Prover::kZ3);
  AtpOutcome r = RunAtp(Prover::kZ3, *p, p->PremiseIndices(), absl::Seconds(5), {}, nullptr);
  EXPECT_EQ(r.status, AtpStatus::kProved) << r.message;
  EXPECT_THAT(r.used, UnorderedElementsAreArray(std::vector<int>{0}));
}

}  // namespace
}  // namespace thor::hammer
