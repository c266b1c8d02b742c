#include "search/step_filter.h"

#include <gtest/gtest.h>

namespace thor {
namespace {

TEST(StepFilterTest, RefusesCheatingCoqSteps) {
  for (const char* step : {"admit.", "Admitted.", "intros. admit.", "Abort.",
                           "Axiom cheat : False.", "Load \"x.v\".", "Redirect \"f\" Print nat.",
                           "Declare ML Module \"evil\".", "Drop."}) {
    absl::Status s = CheckStepAllowed("coq", step);
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << step;
  }
}

TEST(StepFilterTest, AcceptsOrdinaryCoqSteps) {
  for (const char* step : {"intros.", "induction l1; simpl; auto.", "lia.",
                           "sauto use: app_length.", "apply admit_lemma.", "rewrite Nat.add_comm."}) {
    EXPECT_TRUE(CheckStepAllowed("coq", step).ok()) << step;
  }
}

TEST(StepFilterTest, RefusesCheatingIsabelleSteps) {
  for (const char* step : {"sorry", "by auto sorry", "oops", "ML \\<open>0\\<close>",
                           "ML_file \"x.ML\"", "export_code f in SML file \"x\""}) {
    EXPECT_EQ(CheckStepAllowed("isabelle", step).code(), absl::StatusCode::kPermissionDenied)
        << step;
  }
}

TEST(StepFilterTest, AcceptsOrdinaryIsabelleSteps) {
  for (const char* step : {"by auto", "apply (simp add: sorry_free_lemma)", "by (metis add.commute)",
                           "using assms by linarith"}) {
    EXPECT_TRUE(CheckStepAllowed("isabelle", step).ok()) << step;
  }
}

TEST(StepFilterTest, UnknownProverIsInvalid) {
  EXPECT_EQ(CheckStepAllowed("lean", "simp").code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace thor
