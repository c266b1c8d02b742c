// The hammer's portfolio in simulated time (tests/testing/fake_env.h): the
// budget and the slices' time limits are checked exactly, with scripted
// prover runs instead of real ones, in milliseconds of real time. The real
// provers are tested in hammer_test.cc and atp_test.cc.
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hammer/atp.h"
#include "hammer/hammer.h"
#include "tests/testing/fake_env.h"
#include "tests/testing/paths.h"

namespace thor::hammer {
namespace {

using ::testing::UnorderedElementsAre;

std::string Data(const std::string& name) {
  return thor::testing::SourceDir() + "/tests/hammer/data/" + name;
}

// One E slice after another, no minimisation: each scripted run is one slice.
HammerOptions OnlyE(thor::testing::FakeEnv* env, absl::Duration timeout) {
  HammerOptions o;
  o.timeout = timeout;
  o.provers = {"e"};
  o.parallelism = 1;
  o.minimize = false;
  o.env = env;
  return o;
}

TEST(HammerFakeEnvTest, ProofTakesExactlyTheScriptedTime) {
  // The portfolio picks only installed provers (PATH), even with a fake.
  ASSERT_TRUE(ProverInstalled(Prover::kE)) << "install E: apt-get install eprover";
  thor::testing::FakeEnv env;
  RunResult proof;
  proof.exit_code = 0;
  // E's answer on p1_prov.p: the refutation uses a02 and a07 (ax1, ax6).
  proof.out =
      "# SZS status Theorem\n# SZS output start CNFRefutation\n"
      "fof(c_0_0, axiom, x, file('<stdin>', ax1)).\n"
      "fof(c_0_1, axiom, y, file('<stdin>', ax6)).\n"
      "# SZS output end CNFRefutation\n";
  env.Script({"eprover", absl::Seconds(2), proof});
  const absl::Time real_start = absl::Now();
  Hammer hammer(OnlyE(&env, absl::Seconds(30)));
  absl::StatusOr<HammerResult> r = hammer.SolveFile(Data("p1_prov.p"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status, AtpStatus::kProved) << r->message;
  EXPECT_THAT(r->used_premises, UnorderedElementsAre("a02_human_mortal", "a07_socrates_human"));
  EXPECT_EQ(r->elapsed, absl::Seconds(2));  // Simulated: parsing and selection take none.
  EXPECT_EQ(env.runs().size(), 1u);
  EXPECT_LT(absl::Now() - real_start, absl::Seconds(10));
}

// Each E slice is cut at its share of the budget (the schedule's E shares
// add up to less than the whole, and no other prover is allowed).
TEST(HammerFakeEnvTest, ProversThatNeverAnswerAreCutWithinTheBudget) {
  ASSERT_TRUE(ProverInstalled(Prover::kE)) << "install E: apt-get install eprover";
  thor::testing::FakeEnv env;
  for (int i = 0; i < 50; ++i) env.Script({"eprover", absl::Hours(1), RunResult()});
  const absl::Time real_start = absl::Now();
  Hammer hammer(OnlyE(&env, absl::Seconds(30)));  // The paper's hammer budget.
  absl::StatusOr<HammerResult> r = hammer.SolveFile(Data("p4_hard.p"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, AtpStatus::kUnknown) << r->message;
  EXPECT_LE(r->elapsed, absl::Seconds(30));
  EXPECT_GE(r->elapsed, absl::Seconds(1));  // Slices ran, each to its limit.
  EXPECT_GE(env.runs().size(), 1u);
  EXPECT_LT(env.runs().size(), 50u);
  EXPECT_LT(absl::Now() - real_start, absl::Seconds(10));  // Not 30 s of real time.
}

}  // namespace
}  // namespace thor::hammer
