// Pins the heuristic policy's candidate lists (steps, order, hammer flag,
// log-probabilities) for a few goal displays, so moving the per-prover lists
// and the Coq goal parser out of lm_client cannot change what it proposes.
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "lm_client/heuristic_policy.h"
#include "provers/provers.h"
#include "search/types.h"

namespace thor {
namespace {

std::vector<std::string> Render(HeuristicPolicy& p, const std::string& prover,
                                const std::string& state, int n = 64) {
  Theorem t;
  t.prover = prover;
  PolicyQuery q;
  q.theorem = &t;
  q.state_text = state;
  q.hammer_token = "HAMMER";
  q.n = n;
  absl::StatusOr<std::vector<Candidate>> got = p.Propose(q, absl::Seconds(1));
  EXPECT_TRUE(got.ok()) << got.status();
  if (!got.ok()) return {};
  std::vector<std::string> out;
  for (size_t i = 0; i < got->size(); ++i) {
    const Candidate& c = (*got)[i];
    EXPECT_DOUBLE_EQ(c.logprob, -0.05 * static_cast<double>(i));
    EXPECT_EQ(c.is_hammer, i + 1 == got->size() && c.step == "HAMMER");
    out.push_back(c.step);
  }
  return out;
}

const std::vector<std::string> kCoqFixed = {"auto",       "easy",      "lia",  "firstorder",
                                            "intuition", "sauto",     "hauto"};

std::vector<std::string> Coq(std::vector<std::string> induction, bool hammer = true) {
  std::vector<std::string> out = kCoqFixed;
  out.insert(out.end(), induction.begin(), induction.end());
  if (hammer) out.push_back("HAMMER");
  return out;
}

TEST(HeuristicCandidatesTest, CoqCandidatesForGoalDisplays) {
  HeuristicPolicy p(AllProverHeuristics());
  // No goal display.
  EXPECT_EQ(Render(p, "coq", ""), Coq({}));
  EXPECT_EQ(Render(p, "coq", "No more goals."), Coq({}));
  // Hypotheses: nat first; the sort and the uppercase-typed variable left out.
  EXPECT_EQ(Render(p, "coq",
                   "1 goal (ID 11)\n  \n  A : Type\n  a : A\n  m, n : nat\n"
                   "  ============================\n  nth n (repeat a m) a = a\n\n"),
            Coq({"induction m; sauto", "induction n; sauto"}));
  // Top-level forall binders; functions and nested binders left out; at most
  // three variables.
  EXPECT_EQ(Render(p, "coq",
                   "1 goal (ID 15)\n  \n  ============================\n"
                   "  forall (A : Type) (l : list A) (f : A -> nat),\n"
                   "  list A -> forall n k : nat, (forall z : nat, z = z) -> length l = n + k\n\n"
                   "goal 2 (ID 16) is:\n forall q : nat, q = q\n"),
            Coq({"induction l; sauto", "induction n; sauto", "induction k; sauto"}));
  // Recursive types first, then other lowercase types; definitions skipped.
  EXPECT_EQ(Render(p, "coq",
                   "  b : bool\n  d := 3 : nat\n  p : positive\n  x : nat\n"
                   "  ====\n  forall t : tree, P\n"),
            Coq({"induction p; sauto", "induction x; sauto", "induction b; sauto"}));
  // Untyped binders count as the second group.
  EXPECT_EQ(Render(p, "coq", "  ============================\n  forall x y, x = y\n"),
            Coq({"induction x; sauto", "induction y; sauto"}));
  // Truncation keeps the order.
  EXPECT_EQ(Render(p, "coq", "  x : nat\n  ====\n  x = x\n", 8),
            Coq({"induction x; sauto"}, /*hammer=*/false));
  EXPECT_EQ(Render(p, "coq", "  x : nat\n  ====\n  x = x\n", 2),
            (std::vector<std::string>{"auto", "easy"}));
}

TEST(HeuristicCandidatesTest, IsabelleCandidatesIgnoreTheState) {
  HeuristicPolicy p(AllProverHeuristics());
  const std::vector<std::string> want = {
      "by auto",       "by simp", "by blast",  "by fastforce",
      "by force",      "by eval", "by presburger", "by sos",
      "by arith",      "by linarith", "by (auto simp: field_simps)", "HAMMER"};
  EXPECT_EQ(Render(p, "isabelle", ""), want);
  EXPECT_EQ(Render(p, "isabelle", "  x : nat\n  ====\n  forall n : nat, n = n\n"), want);
}

}  // namespace
}  // namespace thor
