// The pure parts of Coq extraction: identifiers worth a Locate, Locate's
// answer, _CoqProject files.
#include <filesystem>
#include <fstream>

#include "coq_bridge/coq_extract.h"
#include "gtest/gtest.h"
#include "tests/testing/paths.h"

namespace thor::coq {
namespace {

using Strings = std::vector<std::string>;

TEST(CoqExtractTextTest, CandidateIdentifiersKeepQualifiedNamesAndDropKeywords) {
  EXPECT_EQ(CandidateIdentifiers("rewrite Nat.add_comm in H; apply (f_equal S) with (x := n)."),
            (Strings{"rewrite", "Nat.add_comm", "H", "apply", "f_equal", "S", "x", "n"}));
  EXPECT_EQ(CandidateIdentifiers("intros n m. (* app_nil_r *) exact \"app\".", {"n"}),
            (Strings{"intros", "m", "exact"}));
  EXPECT_EQ(CandidateIdentifiers("fun (x : nat) => match x with 0 => True | S _ => False end"),
            (Strings{"x", "nat", "True", "S", "False"}));
  EXPECT_EQ(CandidateIdentifiers("H' H'' 2x 0x1F"), (Strings{"H'", "H''"}));
}

TEST(CoqExtractTextTest, CandidateIdentifiersInTacticsSkipTacticNames) {
  EXPECT_EQ(CandidateIdentifiers("split; [apply conj | exact I].", {}, true),
            (Strings{"conj", "I"}));
  EXPECT_EQ(CandidateIdentifiers("try (rewrite app_nil_r); do 2 f_equal.", {}, true),
            (Strings{"app_nil_r"}));
  EXPECT_EQ(CandidateIdentifiers("2: apply (f_equal S) with (x := n).", {}, true),
            (Strings{"f_equal", "S", "x", "n"}));
  EXPECT_EQ(CandidateIdentifiers("split; reflexivity."), (Strings{"split", "reflexivity"}));
}

// Outputs of Coq 8.16's Locate after `Require Import List.`.
TEST(CoqExtractTextTest, LocatedConstantReadsWhatTheNameRefersTo) {
  EXPECT_EQ(LocatedConstant("Constant Coq.Lists.List.app_nil_r", "app_nil_r"),
            "Coq.Lists.List.app_nil_r");
  EXPECT_EQ(LocatedConstant("Constant Coq.Init.Datatypes.app\nConstant Coq.Init.Decimal.app\n"
                            "  (shorter name to refer to it in current context is Decimal.app)\n",
                            "app"),
            "Coq.Init.Datatypes.app");
  EXPECT_EQ(
      LocatedConstant("Constant Coq.Init.Nat.add\nConstant Coq.Arith.PeanoNat.Nat.add\n"
                      "  (shorter name to refer to it in current context is PeanoNat.Nat.add)\n"
                      "  (alias of Nat.add)",
                      "Nat.add"),
      "Coq.Init.Nat.add");
  // Only reachable qualified: `reflexivity` here is the tactic.
  bool tactic = false;
  EXPECT_EQ(LocatedConstant("Constant Coq.Classes.RelationClasses.reflexivity\n"
                            "  (shorter name to refer to it in current context is "
                            "RelationClasses.reflexivity)\nLtac Coq.Init.Ltac.reflexivity",
                            "reflexivity", &tactic),
            "");
  EXPECT_TRUE(tactic);
  EXPECT_EQ(
      LocatedConstant("Constant Coq.Lists.List.split\nLtac Coq.Init.Ltac.split", "split", &tactic),
      "Coq.Lists.List.split");
  EXPECT_TRUE(tactic);
  EXPECT_EQ(LocatedConstant("Inductive Coq.Init.Datatypes.nat", "nat", &tactic),
            "Coq.Init.Datatypes.nat");
  EXPECT_FALSE(tactic);
  EXPECT_EQ(LocatedConstant("Constructor Coq.Init.Logic.eq_refl\nConstant "
                            "Coq.Arith.PeanoNat.Nat.eq_refl\n  (shorter name to refer to it in "
                            "current context is PeanoNat.Nat.eq_refl)",
                            "eq_refl"),
            "Coq.Init.Logic.eq_refl");
  EXPECT_EQ(LocatedConstant("Ltac Coq.Init.Tactics.easy", "easy"), "");
  EXPECT_EQ(LocatedConstant("No object of basename intros", "intros"), "");
  EXPECT_EQ(LocatedConstant("", "x"), "");
}

TEST(CoqExtractTextTest, CoqProjectArgsMakesFoldersAbsolute) {
  const std::string dir = testing::MakeTempDir();
  const std::string project = dir + "/proj/_CoqProject";
  std::filesystem::create_directories(dir + "/proj");
  std::ofstream(project) << "# a comment\n-R theories MyLib\n-Q src Other # trailing\n"
                            "-I ml\n-arg -w -arg -notation-overridden\n-arg \"-w -deprecated\"\n"
                            "theories/A.v\nsrc/B.v\n";
  auto args = CoqProjectArgs(project);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(*args,
            (Strings{"-R", dir + "/proj/theories", "MyLib", "-Q", dir + "/proj/src", "Other", "-I",
                     dir + "/proj/ml", "-w", "-notation-overridden", "-w", "-deprecated"}));
  std::ofstream(project) << "-Q theories\n";
  EXPECT_EQ(CoqProjectArgs(project).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CoqProjectArgs(dir + "/none/_CoqProject").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace thor::coq
